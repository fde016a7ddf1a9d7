"""Celery tasks of the plan: thin wrappers over services, safe to run twice."""

from celery import shared_task

from tasks_ledger.plan import drafts

# The beat entry (created by migration 0003) runs this task by this name every hour.
DISCARD_STALE_DRAFTS = "tasks_ledger.plan.tasks.discard_stale_import_drafts_task"


@shared_task(name=DISCARD_STALE_DRAFTS)
def discard_stale_import_drafts_task() -> int:
    """Delete import drafts nobody has touched for a day: a plan read and never committed
    should not linger with its text. Idempotent: a second run finds nothing to delete."""
    return drafts.import_drafts_discard_stale()
