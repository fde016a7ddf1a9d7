"""What importing a plan JSON would do to the stored plan of its year (a selector).

Tasks are matched as the importer matches them: by section number and the task's number
path (二, (三), 1), so a renumbered task is one removed and one added.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from departments.selectors import department_lookup
from tasks_ledger.plan.models import Plan, Task
from tasks_ledger.plan.selectors import plan_as_json

# The fields of a task compared, with the word the preview shows for each.
COMPARED = ("title", "body", "other_units", "ongoing", "departments", "deadlines")


@dataclass(frozen=True)
class TaskRef:
    key: tuple
    code: str
    title: str
    has_entries: bool = False


@dataclass(frozen=True)
class TaskChange:
    task: TaskRef
    fields: tuple[str, ...]


@dataclass
class PlanDiff:
    year: int | None
    exists: bool = False
    added: list[TaskRef] = field(default_factory=list)
    changed: list[TaskChange] = field(default_factory=list)
    removed: list[TaskRef] = field(default_factory=list)
    unknown_departments: list[str] = field(default_factory=list)
    # Review rounds the plan no longer names that hold findings: never removed either.
    blocked_rounds: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> list[TaskRef]:
        """Removed tasks with ledger entries or findings: the import cannot remove them."""
        return [task for task in self.removed if task.has_entries]


def count_tasks(data: dict) -> int:
    return sum(1 for _ in _walk(data))


def task_code(key: tuple) -> str:
    """二(三)1, as people cite a task (Task.code); a plan with no 一、 has no section part."""
    section, numbers = key
    return f"{section}({numbers[0]})" + "".join(numbers[1:])


def plan_diff(*, data: dict) -> PlanDiff:
    """Compare plan JSON with the stored plan of its year: tasks added, changed (which
    fields), removed (and whether they have ledger entries), and unit names that match no
    department nor alias. A fixed number of queries whatever the plans' size."""
    lookup = department_lookup()
    unknown = []
    for _key, task in _walk(data):
        for unit in task.get("departments", []):
            if unit.get("name") not in lookup and unit.get("name") not in unknown:
                unknown.append(unit.get("name"))
    diff = PlanDiff(year=data.get("year"), unknown_departments=unknown)
    plan = Plan.objects.filter(year=data.get("year")).first() if data.get("year") else None
    if plan is None:
        diff.added = [TaskRef(key, task_code(key), task["title"]) for key, task in _walk(data)]
        return diff
    diff.exists = True
    stored = dict(_walk(plan_as_json(plan=plan)))
    incoming = dict(_walk(data))
    for key, task in incoming.items():
        ref = TaskRef(key, task_code(key), task["title"])
        if key not in stored:
            diff.added.append(ref)
            continue
        fields = tuple(
            name
            for name in COMPARED
            if _comparable(name, task, lookup) != _comparable(name, stored[key], lookup)
        )
        if fields:
            diff.changed.append(TaskChange(ref, fields))
    kept_rounds = {(r.get("kind"), r.get("text")) for r in data.get("review_rounds", [])}
    diff.blocked_rounds = [
        r.text
        for r in plan.review_rounds.filter(findings__isnull=False).distinct()
        if (r.kind, r.text) not in kept_rounds
    ]
    gone = [key for key in stored if key not in incoming]
    if gone:
        with_entries = _keys_with_entries(plan)
        diff.removed = [
            TaskRef(key, task_code(key), stored[key]["title"], key in with_entries) for key in gone
        ]
    return diff


def _walk(data: dict):
    """(key, task) for every task and sub-task of plan JSON, in document order."""

    def tasks(section_number, numbers, items):
        for task in items or []:
            path = (*numbers, task.get("number", ""))
            yield (section_number, path), task
            yield from tasks(section_number, path, task.get("tasks"))

    for section in data.get("sections") or []:
        yield from tasks(section.get("number", ""), (), section.get("tasks"))


def _comparable(name: str, task: dict, lookup: dict):
    if name == "ongoing":
        return bool(task.get("ongoing", False))
    if name == "departments":
        # Compared as the departments they are read as, so an alias is no change.
        return [
            (lookup[unit["name"]].name if unit["name"] in lookup else unit["name"], unit["role"])
            for unit in task.get("departments", [])
        ]
    if name == "deadlines":
        # Only the facts the importer stores; where a deadline was read from is not one.
        keep = ("text", "kind", "due", "amount", "unit", "after", "every")
        return [
            {k: v for k, v in deadline.items() if k in keep and v not in ("", None)}
            for deadline in task.get("deadlines", [])
        ]
    return task.get(name, "")


def _keys_with_entries(plan: Plan) -> set:
    """Keys of the plan's tasks (and sub-tasks) that have ledger entries or review findings,
    the records a removal would lose: two queries."""
    tasks = {
        row[0]: row[1:]
        for row in Task.objects.filter(plan=plan).values_list(
            "id", "number", "parent_id", "section__number"
        )
    }
    with_entries = Task.objects.filter(
        Q(entries__isnull=False) | Q(findings__isnull=False), plan=plan
    ).values_list("id", flat=True)
    keys = set()
    for task_id in set(with_entries):
        path, current = [], task_id
        while current:
            number, parent_id, section_number = tasks[current]
            path.insert(0, number)
            current = parent_id
        keys.add((section_number, tuple(path)))
    return keys
