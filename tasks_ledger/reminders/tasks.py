"""Celery tasks of the reminders app: thin wrappers over services, safe to run twice."""

import datetime
import smtplib

from celery import shared_task
from django.utils import timezone

from tasks_ledger.reminders import services

# The beat entry (created by migration 0002) runs this task by this name every morning.
SEND_FOR_TODAY = "tasks_ledger.reminders.tasks.send_reminders_for_today_task"


@shared_task(name=SEND_FOR_TODAY)
def send_reminders_for_today_task(on: str | None = None) -> int:
    """Send the day's reminders computed from the plans' data (rounds, deadlines, lead
    times). Run every morning by beat; `on` (YYYY-MM-DD) names another day, for tests and
    catching up. Idempotent: the unique constraint on deliveries means a second run sends
    nothing. Emails are queued as separate tasks so a mail failure retries alone."""
    day = datetime.date.fromisoformat(on) if on else timezone.localdate()
    return services.reminders_send_for_day(on=day)


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def send_reminder_email_task(self, delivery_id: int) -> bool:
    """Email one delivered reminder. A failing mail server raises, the claim on the row is
    released, and Celery retries with exponential backoff (30 s, 1 min, 2 min, … 1 h)."""
    return services.reminder_email_send(delivery_id=delivery_id)
