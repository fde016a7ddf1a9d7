"""The import page's preview of a draft: the plan as a tree, each fact with where it was
read from and whether it is a guess, each unit with the department it is read as (or the
closest ones to choose from), and each task marked with what importing it would do."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from departments.selectors import closest_department_names, department_lookup
from tasks_ledger.plan.diff import PlanDiff, plan_diff, task_code
from tasks_ledger.plan.models import Assignment, Deadline

FIELD_LABELS = {
    "title": _("title"),
    "body": _("text"),
    "other_units": _("other units"),
    "ongoing": _("ongoing"),
    "departments": _("units"),
    "deadlines": _("deadlines"),
}
ROLE_LABELS = dict(Assignment.Role.choices)
KIND_LABELS = dict(Deadline.Kind.choices)


@dataclass
class UnitRow:
    index: int
    name: str
    role: str
    role_label: str
    source: str
    guess: bool
    department: str | None  # the department it is read as, None when unknown
    via_alias: bool
    suggestions: list = field(default_factory=list)  # the closest departments


@dataclass
class TaskNode:
    path: str  # "0.2.1": section index, task index, sub-task index (the forms' address)
    code: str
    task: dict
    units: list[UnitRow]
    deadlines: list[dict]
    children: list["TaskNode"]
    status: str  # added, changed, unchanged (or "new" when the year has no plan yet)
    changed_labels: list = field(default_factory=list)


@dataclass
class Preview:
    sections: list[dict]
    diff: PlanDiff
    unknown: list[UnitRow]
    task_count: int


def import_preview(*, data: dict) -> Preview:
    """A fixed number of queries: departments and aliases, the stored plan, entries."""
    diff = plan_diff(data=data)
    lookup = department_lookup()
    by_name = {d.name: d for d in lookup.values()}
    names = sorted(by_name)
    changed = {change.task.key: change.fields for change in diff.changed}
    added = {ref.key for ref in diff.added}
    unknown: dict[str, UnitRow] = {}
    count = 0

    def unit_rows(task: dict) -> list[UnitRow]:
        rows = []
        for index, unit in enumerate(task.get("departments", [])):
            department = lookup.get(unit["name"])
            row = UnitRow(
                index=index,
                name=unit["name"],
                role=unit["role"],
                role_label=ROLE_LABELS.get(unit["role"], unit["role"]),
                source=unit.get("source", ""),
                guess=bool(unit.get("guess")),
                department=department.name if department else None,
                via_alias=bool(department) and department.name != unit["name"],
            )
            if department is None:
                row.suggestions = [
                    by_name[n] for n in closest_department_names(unit["name"], names)
                ]
                unknown.setdefault(unit["name"], row)
            rows.append(row)
        return rows

    def node(section: dict, numbers: tuple, path: tuple, task: dict) -> TaskNode:
        nonlocal count
        count += 1
        key = (section.get("number", ""), (*numbers, task["number"]))
        if not diff.exists:
            status = "new"
        elif key in added:
            status = "added"
        elif key in changed:
            status = "changed"
        else:
            status = "unchanged"
        return TaskNode(
            path=".".join(str(i) for i in path),
            code=task_code(key),
            task=task,
            units=unit_rows(task),
            deadlines=[
                {**d, "kind_label": KIND_LABELS.get(d.get("kind"), "")}
                for d in task.get("deadlines", [])
            ],
            children=[
                node(section, key[1], (*path, i), child)
                for i, child in enumerate(task.get("tasks", []))
            ],
            status=status,
            changed_labels=[FIELD_LABELS[f] for f in changed.get(key, ())],
        )

    sections = [
        {
            "number": section.get("number", ""),
            "title": section.get("title", ""),
            "tasks": [
                node(section, (), (s, t), task) for t, task in enumerate(section.get("tasks", []))
            ],
        }
        for s, section in enumerate(data.get("sections", []))
    ]
    return Preview(sections=sections, diff=diff, unknown=list(unknown.values()), task_count=count)
