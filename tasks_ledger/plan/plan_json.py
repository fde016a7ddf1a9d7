"""The plan JSON of design.md: checking a document's shape, naming the place of any fault.

Read from a document, a plan may also carry what the import preview shows and the database
does not keep: where each department and deadline was read ("source", "guess"), where the
year was read ("year_source"), and "year": null when the document does not say (a preview
asks for it; storing needs it).
"""

import datetime

KINDS = {"date", "relative", "recurring"}
UNITS = {"workday", "day", "hour"}
EVERY = {"week", "month", "quarter", "year", "periodic"}
ROLES = {"lead", "partner"}
ROUND_KINDS = {"check", "assessment"}
PROVENANCE_KEYS = ("source", "guess")


class PlanFormatError(ValueError):
    """A plan document is malformed; `where` names the place, like sections[1].tasks[0]."""

    def __init__(self, where: str, message: str):
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)


def validate_plan(data, *, year_required: bool = True) -> None:
    """Raise PlanFormatError at the first fault; return None for a well-formed plan.
    `year_required=False` accepts `"year": null` (a preview of a document that names none)."""
    _require(isinstance(data, dict), "", "the plan must be a JSON object")
    year = data.get("year")
    _require(
        (year is None and not year_required)
        or (isinstance(year, int) and not isinstance(year, bool) and 1990 <= year <= 2200),
        "year",
        "must be a year such as 2016",
    )
    for key in ("title", "issuer", "preamble", "year_source"):
        _string(data, key, key)
    sections = data.get("sections")
    _require(isinstance(sections, list) and sections, "sections", "must be a non-empty list")
    numbers = set()
    for i, section in enumerate(sections):
        where = f"sections[{i}]"
        _require(isinstance(section, dict), where, "must be an object")
        if i == 0 and section.get("number") == "":
            # A plan without 一、 headings has one section with empty number and title; an
            # excerpt may also open with tasks whose heading was cut off.
            for key in ("number", "title"):
                _require(isinstance(section.get(key), str), f"{where}.{key}", "must be a string")
        else:
            _text(section, "number", where)
            _text(section, "title", where)
        _string(section, "body", f"{where}.body")
        _require(
            section["number"] not in numbers,
            f"{where}.number",
            f"section {section['number']} appears twice",
        )
        numbers.add(section["number"])
        _tasks(section.get("tasks", []), f"{where}.tasks", year)
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


def without_provenance(data):
    """`data` with every "source" and "guess" key removed: the plan's content alone."""
    if isinstance(data, dict):
        return {k: without_provenance(v) for k, v in data.items() if k not in PROVENANCE_KEYS}
    if isinstance(data, list):
        return [without_provenance(v) for v in data]
    return data


def _tasks(tasks, where: str, year) -> None:
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
            _provenance(dept, dat)
            _require(
                dept["name"] not in names, f"{dat}.name", f"department {dept['name']} appears twice"
            )
            names.add(dept["name"])
        deadlines = task.get("deadlines", [])
        _require(isinstance(deadlines, list), f"{at}.deadlines", "must be a list")
        words = set()
        for j, deadline in enumerate(deadlines):
            _deadline(deadline, f"{at}.deadlines[{j}]", year)
            _require(
                deadline["text"] not in words,
                f"{at}.deadlines[{j}].text",
                f"the words {deadline['text']} appear twice",
            )
            words.add(deadline["text"])
        _tasks(task.get("tasks", []), f"{at}.tasks", year)


def _provenance(item: dict, where: str) -> None:
    _string(item, "source", f"{where}.source")
    _require(isinstance(item.get("guess", False), bool), f"{where}.guess", "must be true or false")


def _deadline(item, where: str, year) -> None:
    _require(isinstance(item, dict), where, "must be an object")
    _text(item, "text", where)
    _provenance(item, where)
    kind = item.get("kind")
    _require(kind in KINDS, f"{where}.kind", "must be 'date', 'relative' or 'recurring'")
    if kind == "date":
        # 年底前 in a plan whose year is unknown has no date until the year is given.
        if not (year is None and item.get("due") is None):
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
