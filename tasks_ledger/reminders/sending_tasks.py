"""Celery tasks that deliver what the reminders queued: one email, one robot post, and the
outbox sweep. Thin wrappers over `sending.py`, each safe to run twice. The services and
robots.py queue them after commit.

Their names are the ones they had when they lived in tasks.py: messages already queued
and beat's entries (migration 0004) call them by those names."""

import smtplib

from celery import shared_task

from tasks_ledger.reminders import sending
from tasks_ledger.reminders.sending import RobotError

SEND_EMAIL = "tasks_ledger.reminders.tasks.send_reminder_email_task"
# Run every minute by beat (migration 0004).
EMAIL_SWEEP = "tasks_ledger.reminders.tasks.reminders_email_sweep_task"
SEND_ROBOT_MESSAGE = "tasks_ledger.reminders.tasks.send_robot_message_task"


@shared_task(
    name=SEND_EMAIL,
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
    return sending.reminder_email_send(delivery_id=delivery_id)


@shared_task(name=EMAIL_SWEEP)
def reminders_email_sweep_task() -> int:
    """The outbox sweep, run by beat every minute (migration 0004): email every delivery
    still unsent, whatever lost its message (a broker outage when it was queued, a worker
    killed while sending), then post every group-robot message never tried. Safe to run
    any number of times, even concurrently: each row is claimed before it is sent. Returns
    how many emails went."""
    emailed = sending.reminders_email_sweep()
    sending.robot_messages_sweep()
    return emailed


@shared_task(
    name=SEND_ROBOT_MESSAGE,
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
    return sending.robot_message_send(message_id=message_id)
