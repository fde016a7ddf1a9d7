"""Plan documents on disk (.json plan JSON, .txt plan text, .xlsx plan sheet) as plan JSON."""

import json
from pathlib import Path

from departments.models import Department
from tasks_ledger.plan.plan_json import PlanFormatError
from tasks_ledger.plan.sheet import read_plan_sheet
from tasks_ledger.plan.text_parser import PlanTextError, parse_plan_text


def read_plan_file(path: Path) -> dict:
    """Return the plan JSON held by `path`; PlanFormatError names what is wrong."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_plan_sheet(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanFormatError("", f"cannot read {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanFormatError("", f"{path.name} is not UTF-8 (byte {exc.start})") from None
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise PlanFormatError(
                f"line {exc.lineno} column {exc.colno}", f"not valid JSON: {exc.msg}"
            ) from None
    if suffix == ".txt":
        known = Department.objects.values_list("name", flat=True)
        try:
            data = parse_plan_text(text, known_departments=list(known))
        except PlanTextError as exc:
            raise PlanFormatError("", str(exc)) from None
        data["source_text"] = text
        return data
    raise PlanFormatError("", f"{path.name}: a plan must be a .json, .txt or .xlsx file")
