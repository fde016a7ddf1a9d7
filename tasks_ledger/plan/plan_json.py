"""The plan JSON of design.md: checking a document's shape, naming the place of any fault."""

import datetime

KINDS = {"date", "relative", "recurring"}
UNITS = {"workday", "day", "hour"}
EVERY = {"week", "month", "quarter", "year", "periodic"}
ROLES = {"lead", "partner"}
ROUND_KINDS = {"check", "assessment"}


class PlanFormatError(ValueError):
    """A plan document is malformed; `where` names the place, like sections[1].tasks[0]."""

    def __init__(self, where: str, message: str):
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)


def validate_plan(data) -> None:
    """Raise PlanFormatError at the first fault; return None for a well-formed plan."""
    _require(isinstance(data, dict), "", "the plan must be a JSON object")
    year = data.get("year")
    _require(
        isinstance(year, int) and not isinstance(year, bool) and 1990 <= year <= 2200,
        "year",
        "must be a year such as 2016",
    )
    for key in ("title", "issuer", "preamble"):
        _string(data, key, key)
    sections = data.get("sections")
    _require(isinstance(sections, list) and sections, "sections", "must be a non-empty list")
    numbers = set()
    for i, section in enumerate(sections):
        where = f"sections[{i}]"
        _require(isinstance(section, dict), where, "must be an object")
        _text(section, "number", where)
        _text(section, "title", where)
        _string(section, "body", f"{where}.body")
        _require(
            section["number"] not in numbers,
            f"{where}.number",
            f"section {section['number']} appears twice",
        )
        numbers.add(section["number"])
        _tasks(section.get("tasks", []), f"{where}.tasks")
    rounds = data.get("review_rounds", [])
    _require(isinstance(rounds, list), "review_rounds", "must be a list")
    for i, item in enumerate(rounds):
        where = f"review_rounds[{i}]"
        _require(isinstance(item, dict), where, "must be an object")
        _require(
            item.get("kind") in ROUND_KINDS, f"{where}.kind", "must be 'check' or 'assessment'"
        )
        _text(item, "text", where)
        _date(item.get("date"), f"{where}.date")


def _tasks(tasks, where: str) -> None:
    _require(isinstance(tasks, list), where, "must be a list")
    numbers = set()
    for i, task in enumerate(tasks):
        at = f"{where}[{i}]"
        _require(isinstance(task, dict), at, "must be an object")
        _text(task, "number", at)
        _text(task, "title", at)
        _string(task, "body", f"{at}.body")
        _string(task, "other_units", f"{at}.other_units")
        _require(
            isinstance(task.get("ongoing", False), bool), f"{at}.ongoing", "must be true or false"
        )
        _require(
            task["number"] not in numbers, f"{at}.number", f"task {task['number']} appears twice"
        )
        numbers.add(task["number"])
        departments = task.get("departments", [])
        _require(isinstance(departments, list), f"{at}.departments", "must be a list")
        names = set()
        for j, dept in enumerate(departments):
            dat = f"{at}.departments[{j}]"
            _require(isinstance(dept, dict), dat, "must be an object")
            _text(dept, "name", dat)
            _require(dept.get("role") in ROLES, f"{dat}.role", "must be 'lead' or 'partner'")
            _require(
                dept["name"] not in names, f"{dat}.name", f"department {dept['name']} appears twice"
            )
            names.add(dept["name"])
        deadlines = task.get("deadlines", [])
        _require(isinstance(deadlines, list), f"{at}.deadlines", "must be a list")
        words = set()
        for j, deadline in enumerate(deadlines):
            _deadline(deadline, f"{at}.deadlines[{j}]")
            _require(
                deadline["text"] not in words,
                f"{at}.deadlines[{j}].text",
                f"the words {deadline['text']} appear twice",
            )
            words.add(deadline["text"])
        _tasks(task.get("tasks", []), f"{at}.tasks")


def _deadline(item, where: str) -> None:
    _require(isinstance(item, dict), where, "must be an object")
    _text(item, "text", where)
    kind = item.get("kind")
    _require(kind in KINDS, f"{where}.kind", "must be 'date', 'relative' or 'recurring'")
    if kind == "date":
        _date(item.get("due"), f"{where}.due")
    elif kind == "relative":
        amount = item.get("amount")
        _require(
            isinstance(amount, int) and not isinstance(amount, bool) and amount > 0,
            f"{where}.amount",
            "must be a whole number above 0",
        )
        _require(item.get("unit") in UNITS, f"{where}.unit", "must be 'workday', 'day' or 'hour'")
        _string(item, "after", f"{where}.after")
    else:
        _require(
            item.get("every") in EVERY,
            f"{where}.every",
            "must be one of " + ", ".join(sorted(EVERY)),
        )


def _require(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise PlanFormatError(where, message)


def _text(obj: dict, key: str, where: str) -> None:
    value = obj.get(key)
    _require(
        isinstance(value, str) and value.strip() != "",
        f"{where}.{key}",
        "must be a non-empty string",
    )


def _string(obj: dict, key: str, where: str) -> None:
    _require(isinstance(obj.get(key, ""), str), where, "must be a string")


def _date(value, where: str) -> None:
    try:
        datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise PlanFormatError(where, "must be a date written YYYY-MM-DD") from None
