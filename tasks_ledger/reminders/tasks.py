"""Celery tasks of the reminders app: thin wrappers over services, safe to run twice."""

import datetime
import smtplib

from celery import shared_task
from django.utils import timezone

from tasks_ledger.reminders import robots, services
from tasks_ledger.reminders.robots import RobotError

# The beat entry (created by migration 0002) runs this task by this name every morning.
SEND_FOR_TODAY = "tasks_ledger.reminders.tasks.send_reminders_for_today_task"
# And this one every minute (migration 0004).
EMAIL_SWEEP = "tasks_ledger.reminders.tasks.reminders_email_sweep_task"


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
    # Below the broker's visibility timeout (settings), so that Redis does not hand a
    # waiting retry to a second worker.
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=8,
    # Acknowledged only when done, and given back to the queue if the worker process dies
    # under it: a killed worker's email is not dropped with it.
    acks_late=True,
    reject_on_worker_lost=True,
)
def send_reminder_email_task(self, delivery_id: int) -> bool:
    """Email one delivered reminder. A failing mail server raises, the claim on the row is
    released, and Celery retries with exponential backoff (30 s, 1 min, 2 min, … 30 min).
    Safe to run twice: the row is claimed before sending."""
    return services.reminder_email_send(delivery_id=delivery_id)


@shared_task(name=EMAIL_SWEEP)
def reminders_email_sweep_task() -> int:
    """The outbox sweep, run by beat every minute (migration 0004): email every delivery
    still unsent, whatever lost its message (a broker outage when it was queued, a worker
    killed while sending). Safe to run any number of times, even concurrently: each row is
    claimed before it is sent."""
    return services.reminders_email_sweep()


@shared_task(
    bind=True,
    autoretry_for=(RobotError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=5,
)
def send_robot_message_task(self, message_id: int) -> bool:
    """Post one message to a department's group robot (钉钉 / 企业微信). A robot that
    refuses or cannot be reached is retried with backoff, alone: the inbox and the emails
    went their own ways. Safe to run twice: the message row is claimed before posting."""
    return robots.robot_message_send(message_id=message_id)
