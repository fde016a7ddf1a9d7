"""The reminders' daily Celery task: a thin wrapper over the services, safe to run twice.

The tasks that deliver (emails, robot posts, the outbox sweep) are in `sending_tasks.py`,
below the services that queue them: tasks → services → sending_tasks → sending, one way.
Importing this module (Celery's autodiscovery does) registers those too."""

import datetime

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
