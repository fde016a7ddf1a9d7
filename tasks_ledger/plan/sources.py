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
from django.utils.translation import gettext_noop

from departments.selectors import department_lookup
from disclosure.uploads import UnsafeFile, check_import, check_size, load_json
from tasks_ledger.plan.document import Document
from tasks_ledger.plan.plan_json import PlanFormatError, Wording
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
        raise PlanFormatError(
            path.name,
            Wording(
                gettext_noop("cannot read %(path)s: %(reason)s"), path=path, reason=exc.strerror
            ),
        ) from None
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
            where, message = exc.wording
            if exc.where:
                where = Wording(gettext_noop("%(file)s, %(place)s"), file=name, place=where)
            raise PlanFormatError(where or name, message) from None
    document = read_document(data, name=name)
    plan = plan_from_document(document)
    plan["source_text"] = document_text(document)
    return plan


def _read_json(*, name: str, data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanFormatError(
            name, Wording(gettext_noop("not UTF-8 (byte %(byte)s)"), byte=exc.start)
        ) from None
    try:
        return load_json(name=name, text=text)
    except json.JSONDecodeError as exc:
        raise PlanFormatError(
            Wording(
                gettext_noop("%(file)s, line %(line)s column %(column)s"),
                file=name,
                line=exc.lineno,
                column=exc.colno,
            ),
            Wording(gettext_noop("not valid JSON: %(detail)s"), detail=json_problem(exc.msg)),
        ) from None


def plan_from_document(document: Document) -> dict:
    """The plan JSON of a document; unit names already stored help tell units from text."""
    try:
        return parse_plan_document(document, known_departments=_known_unit_names())
    except PlanTextError as exc:
        raise PlanFormatError(document.name, exc.wording) from None


# What Python's json module says is wrong, said in words the page can translate.
JSON_PROBLEMS = {
    "Expecting value": gettext_noop("a value was expected"),
    "Expecting ',' delimiter": gettext_noop("a comma was expected"),
    "Expecting ':' delimiter": gettext_noop("a colon was expected"),
    "Expecting property name enclosed in double quotes": gettext_noop(
        "a name in double quotes was expected"
    ),
    "Unterminated string starting at": gettext_noop("a string is not closed"),
    "Invalid control character at": gettext_noop("a control character inside a string"),
    "Invalid \\escape": gettext_noop("an invalid escape"),
    "Invalid \\uXXXX escape": gettext_noop("an invalid escape"),
    "Extra data": gettext_noop("more data after the plan"),
}


def json_problem(message: str) -> Wording:
    return Wording(JSON_PROBLEMS.get(message, gettext_noop("malformed")))


def _known_unit_names() -> list[str]:
    """The departments already stored and their aliases (a name mapped once in the import
    page is a unit the parser knows). A dry run must read a plan on a machine whose database
    was never migrated (an operator trying a file first): then nothing is known yet."""
    try:
        return list(department_lookup())
    except DatabaseError:
        return []
