"""The plan JSON of design.md: checking a document's shape, naming the place of any fault.

Read from a document, a plan may also carry what the import preview shows and the database
does not keep: where each department and deadline was read ("source", "guess"), where the
year was read ("year_source"), and "year": null when the document does not say (a preview
asks for it; storing needs it).
"""

import datetime
import re

from django.utils.translation import gettext, gettext_noop

KINDS = {"date", "relative", "recurring"}
UNITS = {"workday", "day", "hour"}
EVERY = {"week", "month", "quarter", "year", "periodic"}
ROLES = {"lead", "partner"}
ROUND_KINDS = {"check", "assessment"}
PROVENANCE_KEYS = ("source", "guess")


class Wording:
    """A message of the plan checks, in two forms: `str()` is the English the command line
    and the logs read; `translated()` is the active language, for the import page. The
    template is a msgid (marked with gettext_noop where it is written) with named
    placeholders; a value may be a Wording itself (a place inside a message)."""

    def __init__(self, template: str, **values):
        self.template = template
        self.values = values

    def __str__(self) -> str:
        if not self.values:
            return self.template
        return self.template % {key: str(value) for key, value in self.values.items()}

    def translated(self) -> str:
        text = gettext(self.template)
        if not self.values:
            return text
        # Values are data (a task number, a file name), never looked up as msgids.
        return text % {
            key: value.translated() if isinstance(value, Wording) else value
            for key, value in self.values.items()
        }


class Said(Wording):
    """Text made in both forms where it was raised: `english` for str(), `local` (in the
    active language) for the page."""

    def __init__(self, english: str, local: str):
        super().__init__(english)
        self.local = local

    def translated(self) -> str:
        return self.local


def translated(text) -> str:
    """A Wording in the active language; plain text (a reader's message, worded in the
    active language when it was raised) as it is."""
    return text.translated() if isinstance(text, Wording) else str(text)


# A place in plan JSON (sections[1].tasks[0].title), said in words on the import page.
LIST_PLACES = {
    "sections": gettext_noop("section %(n)s"),
    "tasks": gettext_noop("task %(n)s"),
    "departments": gettext_noop("unit %(n)s"),
    "deadlines": gettext_noop("deadline %(n)s"),
    "review_rounds": gettext_noop("review round %(n)s"),
}
KEY_PLACES = {
    "title": "title",
    "number": "number",
    "body": "body",
    "name": "name",
    "role": "role",
    "kind": "kind",
    "due": "due",
    "amount": "amount",
    "unit": "unit",
    "after": "trigger",
    "every": "every",
    "text": gettext_noop("wording"),
    "date": "date",
    "year": "year",
    "issuer": "issuer",
    "preamble": "preamble",
    "other_units": "other units",
    "ongoing": "ongoing",
    "source": gettext_noop("where it was read"),
    "guess": "guess",
    "year_source": gettext_noop("where the year was read"),
    "sections": "sections",
    "tasks": "tasks",
    "departments": "departments",
    "deadlines": "deadlines",
    "review_rounds": "review rounds",
}
INDEXED = re.compile(r"(?P<key>\w+)\[(?P<index>\d+)\]")


class Place(Wording):
    """A plan JSON path: itself in English, counted from 1 in words when translated."""

    def __init__(self, path: str):
        super().__init__(path)

    def translated(self) -> str:
        words = []
        for token in self.template.split("."):
            if (match := INDEXED.fullmatch(token)) and match["key"] in LIST_PLACES:
                words.append(gettext(LIST_PLACES[match["key"]]) % {"n": int(match["index"]) + 1})
            else:
                words.append(gettext(KEY_PLACES.get(token, token)))
        return " · ".join(words)


class PlanFormatError(ValueError):
    """A plan document is malformed; `where` names the place, like sections[1].tasks[0].
    Both may be given as Wordings: `where` and `message` are their English (the command
    line's), `translated()` the page's words."""

    def __init__(self, where, message):
        self.where = str(where)
        self.message = str(message)
        self.wording = (where, message)
        super().__init__(f"{self.where}: {self.message}" if self.where else self.message)

    def translated(self, *, without: str = "") -> str:
        """The place, then the reason, in the active language; `without` (the file's name,
        which the page names already) is left off the front of the place."""
        where, message = (translated(part) for part in self.wording)
        if without and where.startswith(without):
            where = where[len(without) :].lstrip(",， ")
        if not where:
            return message
        return gettext("%(where)s: %(reason)s") % {"where": where, "reason": message}


def validate_plan(data, *, year_required: bool = True) -> None:
    """Raise PlanFormatError at the first fault; return None for a well-formed plan.
    `year_required=False` accepts `"year": null` (a preview of a document that names none)."""
    _require(isinstance(data, dict), "", gettext_noop("the plan must be a JSON object"))
    year = data.get("year")
    _require(
        (year is None and not year_required)
        or (isinstance(year, int) and not isinstance(year, bool) and 1990 <= year <= 2200),
        "year",
        gettext_noop("must be a year such as 2016"),
    )
    for key in ("title", "issuer", "preamble", "year_source"):
        _string(data, key, key)
    sections = data.get("sections")
    _require(
        isinstance(sections, list) and sections,
        "sections",
        gettext_noop("must be a non-empty list"),
    )
    numbers = set()
    for i, section in enumerate(sections):
        where = f"sections[{i}]"
        _require(isinstance(section, dict), where, gettext_noop("must be an object"))
        if i == 0 and section.get("number") == "":
            # A plan without 一、 headings has one section with empty number and title; an
            # excerpt may also open with tasks whose heading was cut off.
            for key in ("number", "title"):
                _require(
                    isinstance(section.get(key), str),
                    f"{where}.{key}",
                    gettext_noop("must be a string"),
                )
        else:
            _text(section, "number", where)
            _text(section, "title", where)
        _string(section, "body", f"{where}.body")
        _require(
            section["number"] not in numbers,
            f"{where}.number",
            gettext_noop("section %(number)s appears twice"),
            number=section["number"],
        )
        numbers.add(section["number"])
        _tasks(section.get("tasks", []), f"{where}.tasks", year)
    rounds = data.get("review_rounds", [])
    _require(isinstance(rounds, list), "review_rounds", gettext_noop("must be a list"))
    for i, item in enumerate(rounds):
        where = f"review_rounds[{i}]"
        _require(isinstance(item, dict), where, gettext_noop("must be an object"))
        _require(
            item.get("kind") in ROUND_KINDS,
            f"{where}.kind",
            gettext_noop("must be 'check' or 'assessment'"),
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
    _require(isinstance(tasks, list), where, gettext_noop("must be a list"))
    numbers = set()
    for i, task in enumerate(tasks):
        at = f"{where}[{i}]"
        _require(isinstance(task, dict), at, gettext_noop("must be an object"))
        _text(task, "number", at)
        _text(task, "title", at)
        _string(task, "body", f"{at}.body")
        _string(task, "other_units", f"{at}.other_units")
        _require(
            isinstance(task.get("ongoing", False), bool),
            f"{at}.ongoing",
            gettext_noop("must be true or false"),
        )
        _require(
            task["number"] not in numbers,
            f"{at}.number",
            gettext_noop("task %(number)s appears twice"),
            number=task["number"],
        )
        numbers.add(task["number"])
        departments = task.get("departments", [])
        _require(isinstance(departments, list), f"{at}.departments", gettext_noop("must be a list"))
        names = set()
        for j, dept in enumerate(departments):
            dat = f"{at}.departments[{j}]"
            _require(isinstance(dept, dict), dat, gettext_noop("must be an object"))
            _text(dept, "name", dat)
            _require(
                dept.get("role") in ROLES,
                f"{dat}.role",
                gettext_noop("must be 'lead' or 'partner'"),
            )
            _provenance(dept, dat)
            _require(
                dept["name"] not in names,
                f"{dat}.name",
                gettext_noop("department %(name)s appears twice"),
                name=dept["name"],
            )
            names.add(dept["name"])
        deadlines = task.get("deadlines", [])
        _require(isinstance(deadlines, list), f"{at}.deadlines", gettext_noop("must be a list"))
        words = set()
        for j, deadline in enumerate(deadlines):
            _deadline(deadline, f"{at}.deadlines[{j}]", year)
            _require(
                deadline["text"] not in words,
                f"{at}.deadlines[{j}].text",
                gettext_noop("the words %(words)s appear twice"),
                words=deadline["text"],
            )
            words.add(deadline["text"])
        _tasks(task.get("tasks", []), f"{at}.tasks", year)


def _provenance(item: dict, where: str) -> None:
    _string(item, "source", f"{where}.source")
    _require(
        isinstance(item.get("guess", False), bool),
        f"{where}.guess",
        gettext_noop("must be true or false"),
    )


def _deadline(item, where: str, year) -> None:
    _require(isinstance(item, dict), where, gettext_noop("must be an object"))
    _text(item, "text", where)
    _provenance(item, where)
    kind = item.get("kind")
    _require(
        kind in KINDS, f"{where}.kind", gettext_noop("must be 'date', 'relative' or 'recurring'")
    )
    if kind == "date":
        # 年底前 in a plan whose year is unknown has no date until the year is given.
        if not (year is None and item.get("due") is None):
            _date(item.get("due"), f"{where}.due")
    elif kind == "relative":
        amount = item.get("amount")
        _require(
            isinstance(amount, int) and not isinstance(amount, bool) and amount > 0,
            f"{where}.amount",
            gettext_noop("must be a whole number above 0"),
        )
        _require(
            item.get("unit") in UNITS,
            f"{where}.unit",
            gettext_noop("must be 'workday', 'day' or 'hour'"),
        )
        _string(item, "after", f"{where}.after")
    else:
        _require(
            item.get("every") in EVERY,
            f"{where}.every",
            gettext_noop("must be one of %(choices)s"),
            choices=", ".join(f"'{every}'" for every in sorted(EVERY)),
        )


def _require(condition: bool, where: str, message, **values) -> None:
    """`message` is a msgid (gettext_noop), `values` its placeholders'."""
    if not condition:
        raise PlanFormatError(Place(where), Wording(message, **values))


def _text(obj: dict, key: str, where: str) -> None:
    value = obj.get(key)
    _require(
        isinstance(value, str) and value.strip() != "",
        f"{where}.{key}",
        gettext_noop("must be a non-empty string"),
    )


def _string(obj: dict, key: str, where: str) -> None:
    _require(isinstance(obj.get(key, ""), str), where, gettext_noop("must be a string"))


def _date(value, where: str) -> None:
    try:
        datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise PlanFormatError(
            Place(where), Wording(gettext_noop("must be a date written YYYY-MM-DD"))
        ) from None
