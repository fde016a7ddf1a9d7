"""Writes to the plan: importing a plan document (atomic and repeatable).

An import never takes a plan that reads no tasks (a text the parser could not read would
otherwise empty the stored plan), removes tasks only when the caller allows it, and never
removes a task that has ledger entries.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_noop

from departments.models import Department, DepartmentAlias
from tasks_ledger.plan.diff import count_tasks, plan_diff
from tasks_ledger.plan.models import Assignment, Deadline, Plan, ReviewRound, Section, Task
from tasks_ledger.plan.plan_json import PlanFormatError, Said, Wording, validate_plan


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    new_departments: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


class _Importer:
    def __init__(self, by):
        self.by = by
        self.summary = ImportSummary()
        self.departments = {d.name: d for d in Department.objects.all()}
        # A name chosen once as another department's (in the browser's preview) is read as
        # that department from then on; a department's own name wins over an alias.
        for alias in DepartmentAlias.objects.select_related("department"):
            self.departments.setdefault(alias.name, alias.department)

    def upsert(self, model, lookup: dict, values: dict):
        """Create or update one row, saving only when something differs, so that a second
        import of the same plan writes nothing and adds no history."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            self.save(obj)
            self.summary.created += 1
            return obj
        if any(getattr(obj, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(obj, key, value)
            self.save(obj)
            self.summary.updated += 1
        else:
            self.summary.unchanged += 1
        return obj

    def save(self, obj):
        obj._history_user = self.by
        obj._change_reason = "import_plan"
        try:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            # A plan JSON that validate_plan let through but a column cannot hold (a title
            # longer than the column): named, and the import rolls back whole.
            # The command line names the fields as the plan JSON does; the page by their
            # own (translated) names, as the admin does.
            problems = exc.message_dict.items()
            english = "; ".join(f"{key}: {' '.join(msgs)}" for key, msgs in problems)
            local = "；".join(
                f"{_field_name(obj, key)}：{' '.join(msgs)}" for key, msgs in problems
            )
            raise PlanFormatError(f"{obj._meta.verbose_name} {obj}", Said(english, local)) from None
        obj.save()

    def remove_stale(self, queryset, keep_ids):
        stale = queryset.exclude(id__in=keep_ids)
        for obj in stale:
            obj._history_user = self.by
            try:
                obj.delete()
            except ProtectedError:
                raise PlanFormatError(
                    "",
                    Wording(
                        gettext_noop(
                            "%(what)s %(name)s is no longer in the plan but has ledger "
                            "entries; it cannot be removed"
                        ),
                        what=queryset.model._meta.verbose_name,
                        name=str(obj),
                    ),
                ) from None
            self.summary.deleted += 1

    def department(self, name: str) -> Department:
        if name not in self.departments:
            # A plan may name a unit the bureau has not entered yet: it is created with a
            # placeholder code the administrator can change.
            number = Department.objects.count() + 1
            while Department.objects.filter(code=f"unit-{number}").exists():
                number += 1
            dept = Department(name=name, code=f"unit-{number}", order=100 + number)
            self.save(dept)
            self.departments[name] = dept
            self.summary.new_departments.append(name)
        return self.departments[name]

    def tasks(self, plan, section, parent, items, where):
        keep = []
        for order, item in enumerate(items):
            task = self.upsert(
                Task,
                {"section": section, "parent": parent, "number": item["number"]},
                {
                    "plan": plan,
                    "title": item["title"],
                    "body": item.get("body", ""),
                    "other_units": item.get("other_units", ""),
                    "ongoing": bool(item.get("ongoing", False)),
                    "order": order,
                },
            )
            keep.append(task.id)
            self.assignments(task, item.get("departments", []))
            self.deadlines(task, item.get("deadlines", []))
            self.tasks(plan, section, task, item.get("tasks", []), f"{where}[{order}].tasks")
        stale = Task.objects.filter(section=section, parent=parent)
        self.remove_stale(stale, keep)

    def assignments(self, task, items):
        keep, seen = [], set()
        for order, item in enumerate(items):
            department = self.department(item["name"])
            if department.id in seen:
                # Two names of one task read as the same department (an alias and its
                # department's own name): the first, as written, decides the role.
                continue
            seen.add(department.id)
            assignment = self.upsert(
                Assignment,
                {"task": task, "department": department},
                {"role": item["role"], "order": order},
            )
            keep.append(assignment.id)
        self.remove_stale(task.assignments.all(), keep)

    def deadlines(self, task, items):
        keep = []
        for order, item in enumerate(items):
            kind = item["kind"]
            values = {
                "kind": kind,
                "due": datetime.date.fromisoformat(item["due"]) if kind == "date" else None,
                "amount": item["amount"] if kind == "relative" else None,
                "unit": item["unit"] if kind == "relative" else "",
                "after": item.get("after", "") if kind == "relative" else "",
                "every": item["every"] if kind == "recurring" else "",
                "order": order,
            }
            deadline = self.upsert(Deadline, {"task": task, "text": item["text"]}, values)
            keep.append(deadline.id)
        self.remove_stale(task.deadlines.all(), keep)


class PlanRemovalsError(PlanFormatError):
    """The plan would remove stored tasks and the caller did not allow it."""

    def __init__(self, removed):
        self.removed = removed
        listed = "; ".join(f"{task.code} {task.title}" for task in removed)
        super().__init__(
            "",
            f"the plan would remove {len(removed)} stored task(s): {listed}. "
            "Import with --allow-removals (in the browser: confirm the removals) to remove them",
        )


def plan_import(*, data: dict, by=None, allow_removals: bool = False) -> tuple[Plan, ImportSummary]:
    """Store a plan JSON document: create what is new, update what changed, remove what the
    document no longer has (only with `allow_removals`). All or nothing; importing the same
    document twice changes nothing the second time. A plan with no tasks is refused."""
    validate_plan(data)
    if count_tasks(data) == 0:
        raise PlanFormatError(
            "sections",
            Wording(
                gettext_noop(
                    "the plan has no tasks: nothing in it was read as a task, so nothing is "
                    "imported"
                )
            ),
        )
    with transaction.atomic():
        # Read inside the transaction, so that the removals checked are the ones made.
        diff = plan_diff(data=data)
        if diff.blocked:
            raise PlanFormatError(
                "",
                Wording(
                    gettext_noop(
                        "these tasks are no longer in the plan but each has ledger entries or "
                        "review findings, so they cannot be removed: %(tasks)s"
                    ),
                    tasks="; ".join(f"{t.code} {t.title}" for t in diff.blocked),
                ),
            )
        if diff.blocked_rounds:
            raise PlanFormatError(
                "review_rounds",
                Wording(
                    gettext_noop(
                        "these review rounds are no longer in the plan but hold findings, so "
                        "they cannot be removed: %(rounds)s"
                    ),
                    rounds="; ".join(diff.blocked_rounds),
                ),
            )
        if diff.removed and not allow_removals:
            raise PlanRemovalsError(diff.removed)
        importer = _Importer(by)
        plan_values = {
            "issuer": data.get("issuer", ""),
            "title": data.get("title", ""),
            "preamble": data.get("preamble", ""),
        }
        if data.get("source_text"):
            plan_values["source_text"] = data["source_text"]
        plan = importer.upsert(Plan, {"year": data["year"]}, plan_values)
        keep_sections = []
        for order, item in enumerate(data["sections"]):
            section = importer.upsert(
                Section,
                {"plan": plan, "number": item["number"]},
                {"title": item["title"], "body": item.get("body", ""), "order": order},
            )
            keep_sections.append(section.id)
            importer.tasks(plan, section, None, item.get("tasks", []), f"sections[{order}].tasks")
        importer.remove_stale(plan.sections.all(), keep_sections)
        keep_rounds = []
        for item in data.get("review_rounds", []):
            review_round = importer.upsert(
                ReviewRound,
                {"plan": plan, "kind": item["kind"], "text": item["text"]},
                {"date": datetime.date.fromisoformat(item["date"])},
            )
            keep_rounds.append(review_round.id)
        importer.remove_stale(plan.review_rounds.all(), keep_rounds)
    return plan, importer.summary


def _field_name(obj, key: str) -> str:
    if key == NON_FIELD_ERRORS:
        return str(obj._meta.verbose_name)
    return str(obj._meta.get_field(key).verbose_name)
