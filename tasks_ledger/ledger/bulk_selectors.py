"""Reads for acting in bulk: a department's entries not yet sent to the office (待报送 and
被退回), filterable by task and author."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from tasks_ledger.ledger.models import EDITABLE_STATES, LedgerEntry
from tasks_ledger.plan.models import Plan, Task, code_related


def unsent_entries(
    *, department, plan: Plan | None, state: str = LedgerEntry.State.DRAFT, task=None, author=None
) -> QuerySet:
    """`department`'s entries in `plan` in `state` (draft or returned), optionally of one task
    and one author, in the plan's order, with what the list shows loaded and
    `evidence_count` annotated."""
    if plan is None or department is None or state not in EDITABLE_STATES:
        return LedgerEntry.objects.none()
    entries = LedgerEntry.objects.filter(task__plan=plan, department=department, state=state)
    if task is not None:
        entries = entries.filter(task=task)
    if author is not None:
        entries = entries.filter(author=author)
    return (
        entries.select_related(*code_related("task"), "author__membership")
        .with_evidence_count()
        .order_by("task__section__order", "task__order", "task_id", "happened_on", "id")
    )


def unsent_filter_choices(*, department, plan: Plan | None, state: str) -> tuple[list, list]:
    """The tasks and the authors that have entries in the list, for its two filters: two
    queries."""
    if plan is None or department is None or state not in EDITABLE_STATES:
        return [], []
    entries = LedgerEntry.objects.filter(task__plan=plan, department=department, state=state)
    tasks = list(
        Task.objects.filter(pk__in=entries.values("task_id"))
        .with_code()
        .order_by("section__order", "order", "id")
    )
    authors = list(
        get_user_model()
        .objects.filter(pk__in=entries.values("author_id"))
        .select_related("membership")
        .order_by("username")
    )
    return tasks, authors
