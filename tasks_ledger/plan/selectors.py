"""Reads of the plan: the plan JSON of a stored plan."""

from django.db.models import Prefetch

from tasks_ledger.plan.models import Assignment, Plan, Task


def who_and_when() -> tuple:
    """What to prefetch for tasks shown with who carries them and by when: their
    assignments (with the departments, lead first) and their deadlines."""
    return (
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("department").order_by("order", "id"),
        ),
        "deadlines",
    )


def plan_as_json(*, plan: Plan) -> dict:
    """The plan JSON (design.md) of a stored plan, in a fixed number of queries."""
    tasks = Task.objects.filter(plan=plan).order_by("order", "id").prefetch_related(*who_and_when())
    children: dict[int | None, list[Task]] = {}
    by_section: dict[int, list[Task]] = {}
    for task in tasks:
        if task.parent_id:
            children.setdefault(task.parent_id, []).append(task)
        else:
            by_section.setdefault(task.section_id, []).append(task)

    def task_json(task: Task) -> dict:
        item = {
            "number": task.number,
            "title": task.title,
            "body": task.body,
            "departments": [
                {"name": a.department.name, "role": a.role} for a in task.assignments.all()
            ],
            "other_units": task.other_units,
            "deadlines": [deadline_json(d) for d in task.deadlines.all()],
            "tasks": [task_json(child) for child in children.get(task.id, [])],
        }
        if task.ongoing:
            # Written only when set, as in the plan JSON of design.md.
            item["ongoing"] = True
        return item

    return {
        "title": plan.title,
        "year": plan.year,
        "issuer": plan.issuer,
        "preamble": plan.preamble,
        "sections": [
            {
                "number": section.number,
                "title": section.title,
                "body": section.body,
                "tasks": [task_json(t) for t in by_section.get(section.id, [])],
            }
            for section in plan.sections.order_by("order", "id")
        ],
        "review_rounds": [
            {"kind": r.kind, "text": r.text, "date": r.date.isoformat()}
            for r in plan.review_rounds.order_by("date", "id")
        ],
    }


def deadline_json(deadline) -> dict:
    item = {"text": deadline.text, "kind": deadline.kind}
    if deadline.kind == "date":
        item["due"] = deadline.due.isoformat()
    elif deadline.kind == "relative":
        item.update(amount=deadline.amount, unit=deadline.unit, after=deadline.after)
    else:
        item["every"] = deadline.every
    return item


def plan_outline(*, plan: Plan) -> list:
    """Sections of `plan`, each with `.top_tasks`: its tasks with assignments and deadlines
    prefetched. Four queries whatever the plan's size."""
    tasks = (
        Task.objects.filter(plan=plan, parent__isnull=True)
        .select_related("section")
        .order_by("order", "id")
        .prefetch_related(*who_and_when())
    )
    by_section: dict[int, list[Task]] = {}
    for task in tasks:
        by_section.setdefault(task.section_id, []).append(task)
    sections = list(plan.sections.order_by("order", "id"))
    for section in sections:
        section.top_tasks = by_section.get(section.id, [])
        for task in section.top_tasks:
            task.section = section
    return sections
