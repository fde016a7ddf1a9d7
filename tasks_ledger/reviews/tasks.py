"""Celery tasks of the reviews app: thin wrappers over services, safe to run twice."""

import datetime

from celery import shared_task
from django.utils import timezone

from tasks_ledger.reviews.self_assessment import self_assessment_reminders_send

# The beat entry (created by migration 0006) runs this task by this name every morning.
REMIND_SELF_ASSESSMENTS = "tasks_ledger.reviews.tasks.remind_self_assessments_task"


@shared_task(name=REMIND_SELF_ASSESSMENTS)
def remind_self_assessments_task(on: str | None = None) -> int:
    """Remind the departments of self-assessments not yet submitted (before the due date
    and weekly once overdue). Run every morning by beat beside the day's other reminders;
    `on` (YYYY-MM-DD) names another day. Idempotent: each reminder goes to each person once
    a day (the reminders' unique constraint)."""
    day = datetime.date.fromisoformat(on) if on else timezone.localdate()
    return self_assessment_reminders_send(on=day)
