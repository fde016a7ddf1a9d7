"""Helpers for the reading tests: one text in each punctuation form, and a plan's tasks by path.

Documents are issued with fullwidth punctuation, stored copies are often ASCII, pasted text
mixes both: every shape is tested in all three.
"""

from tasks_ledger.plan.plan_json import validate_plan
from tasks_ledger.plan.reading import parse_plan_text

FORMS = ["ascii", "fullwidth", "mixed"]
_FULLWIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；"})
_BRACKETS_ONLY = str.maketrans({"(": "（", ")": "）"})


def in_form(text: str, form: str) -> str:
    if form == "fullwidth":
        return text.translate(_FULLWIDTH)
    if form == "mixed":
        return text.translate(_BRACKETS_ONLY)
    return text


def read(text: str, form: str = "ascii", **kwargs) -> dict:
    """The plan JSON of `text` written in `form`; it must be a valid plan (year optional)."""
    plan = parse_plan_text(in_form(text, form), **kwargs)
    validate_plan(plan, year_required=False)
    return plan


def tasks_by_path(plan: dict) -> dict[str, dict]:
    """Every task by its number path: "一/(一)" is written "一/一", sub-tasks "一/一/1"."""
    found = {}

    def walk(tasks, prefix):
        for task in tasks:
            path = f"{prefix}/{task['number']}"
            found[path] = task
            walk(task["tasks"], path)

    for section in plan["sections"]:
        walk(section["tasks"], section["number"])
    return found


def roles(task: dict) -> list[tuple[str, str]]:
    return [(d["name"], d["role"]) for d in task["departments"]]
