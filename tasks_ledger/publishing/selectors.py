"""Reads of the publishing pages (office and 保密审查): plans, tasks and their proposals."""

from django.db.models import Prefetch, QuerySet

from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Plan, Task, code_related
from tasks_ledger.publishing.models import PublicationProposal


def plans_for_publishing() -> QuerySet:
    return Plan.objects.select_related("publication").order_by("-year")


def proposals_pending() -> QuerySet:
    """The reviewer's queue: the longest waiting first."""
    return (
        PublicationProposal.objects.filter(state=PublicationProposal.State.PENDING)
        .select_related(*code_related("task"), "proposed_by__membership")
        .order_by("proposed_at", "id")
    )


def proposals_of_plan(plan: Plan) -> QuerySet:
    """Every proposal of a plan's tasks with its review and withdrawal, newest first."""
    return (
        PublicationProposal.objects.filter(task__plan=plan)
        .select_related(
            *code_related("task"),
            "proposed_by__membership",
            "review__reviewer__membership",
            "withdrawal__withdrawn_by__membership",
        )
        .order_by("-proposed_at", "-id")
    )


def tasks_of_plan(plan: Plan) -> QuerySet:
    return Task.objects.filter(plan=plan).with_code()


def proposal_detail(pk: int) -> PublicationProposal:
    return (
        PublicationProposal.objects.select_related(
            *code_related("task"),
            "task__plan",
            "proposed_by__membership",
            "revises",
            "review__reviewer__membership",
            "withdrawal__withdrawn_by__membership",
        )
        .prefetch_related("evidence")
        .get(pk=pk)
    )


def accepted_entries(task: Task) -> QuerySet:
    """What a public text is drafted from: the task's accepted entries, oldest first, with
    their evidence (the only evidence that may be chosen)."""
    return (
        LedgerEntry.objects.filter(task=task, state=LedgerEntry.State.ACCEPTED)
        .select_related("department")
        .prefetch_related(Prefetch("evidence"))
        .order_by("happened_on", "id")
    )


def draft_text(entries) -> str:
    """The prefill of a proposal: each accepted entry's date and summary, one a line, for
    the office to edit into a text for citizens."""
    return "\n".join(
        f"{e.happened_on.year}年{e.happened_on.month}月{e.happened_on.day}日，{e.summary.strip()}"
        for e in entries
    )
