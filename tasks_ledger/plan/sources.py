"""Plan files as plan JSON: a document as published, plan JSON or a plan sheet.

`read_plan_bytes` serves the browser's upload and `read_plan_file` the import command. Every
file first passes disclosure.uploads (size, zip bombs, XML entities); then plan JSON (.json)
is loaded with its nesting bounded, a plan sheet (.xlsx) read by plan/sheet.py, and a
document (.txt, .docx, .html/.htm, .pdf) read into the Document form and parsed. Every
error is a PlanFormatError naming the file and the reason; nothing here writes.
"""

import io
import json
from pathlib import Path

from django.db import DatabaseError
from django.utils.translation import gettext as _

from departments.selectors import department_lookup
from disclosure.uploads import UnsafeFile, check_import, check_size, load_json
from tasks_ledger.plan.document import Document
from tasks_ledger.plan.plan_json import PlanFormatError
from tasks_ledger.plan.readers import READERS, document_text, read_document
from tasks_ledger.plan.reading import PlanTextError, parse_plan_document
from tasks_ledger.plan.sheet import read_plan_sheet

SUFFIXES = (".json", ".xlsx", *READERS)


def read_plan_file(path: Path) -> dict:
    """Return the plan JSON held by `path`; the size is checked before the file is read."""
    try:
        check_size(name=path.name, size=path.stat().st_size)
        data = path.read_bytes()
    except UnsafeFile as exc:
        raise PlanFormatError(exc.name, exc.reason) from None
    except OSError as exc:
        raise PlanFormatError(path.name, f"cannot read {path}: {exc.strerror}") from None
    return read_plan_bytes(name=path.name, data=data)


def read_plan_bytes(*, name: str, data: bytes) -> dict:
    """Return the plan JSON of an uploaded or read file called `name`."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise PlanFormatError(
            name,
            _("a plan must be one of these files: %(suffixes)s")
            % {"suffixes": ", ".join(SUFFIXES)},
        )
    try:
        check_import(name=name, data=data)
        if suffix == ".json":
            return _read_json(name=name, data=data)
    except UnsafeFile as exc:
        raise PlanFormatError(exc.name, exc.reason) from None
    if suffix == ".xlsx":
        source = io.BytesIO(data)
        source.name = name  # read_plan_sheet names the file in its errors
        try:
            return read_plan_sheet(source)
        except PlanFormatError as exc:
            if name in exc.message:
                raise
            where = f"{name}, {exc.where}" if exc.where else name
            raise PlanFormatError(where, exc.message) from None
    document = read_document(data, name=name)
    plan = plan_from_document(document)
    plan["source_text"] = document_text(document)
    return plan


def _read_json(*, name: str, data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanFormatError(name, f"not UTF-8 (byte {exc.start})") from None
    try:
        return load_json(name=name, text=text)
    except json.JSONDecodeError as exc:
        raise PlanFormatError(
            f"{name}, line {exc.lineno} column {exc.colno}", f"not valid JSON: {exc.msg}"
        ) from None


def plan_from_document(document: Document) -> dict:
    """The plan JSON of a document; unit names already stored help tell units from text."""
    try:
        return parse_plan_document(document, known_departments=_known_unit_names())
    except PlanTextError as exc:
        raise PlanFormatError(document.name, str(exc)) from None


def _known_unit_names() -> list[str]:
    """The departments already stored and their aliases (a name mapped once in the import
    page is a unit the parser knows). A dry run must read a plan on a machine whose database
    was never migrated (an operator trying a file first): then nothing is known yet."""
    try:
        return list(department_lookup())
    except DatabaseError:
        return []
