"""Writes of the reminders app: send a reminder (once), urge a department, read the inbox.

Other features send through `reminder_send` (the statutory clocks) and `urge_create` (the
dashboard's 催办 button); the daily beat task sends through `reminders_send_for_day`.
What the Celery tasks deliver (emails, robot posts) is in `sending.py`: services → tasks →
sending, one way.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks_ledger.reminders.models import Notification, SentReminder, Urge
from tasks_ledger.reminders.robots import robot_messages_create
from tasks_ledger.reminders.selectors import department_people, reminders_due
from tasks_ledger.reminders.sending_tasks import send_reminder_email_task
from tasks_ledger.reminders.todo_cache import todo_forget
from tasks_ledger.reminders.wording import absolute, office_name

logger = logging.getLogger(__name__)


def reminder_send(
    *,
    kind: str,
    target: str,
    recipients: list,
    on: datetime.date,
    subject: str,
    body: str,
    link: str = "",
    department=None,
    task=None,
    to_robot: bool = False,
) -> int:
    """Deliver one reminder to each recipient: an inbox message now, an email queued after
    commit. A recipient who already got (kind, target) on `on` gets nothing: the unique
    constraint `sent_reminder_once` decides, so concurrent or repeated calls are safe.
    With `to_robot`, `department`'s group robots get it too, once per (kind, target, day)
    (`robot_message_once`), each posted by its own retried task: a failing robot never holds
    up the inbox or the emails. Returns how many recipients were newly sent to."""
    new = 0
    to_email = []
    with transaction.atomic():
        for user in dict.fromkeys(recipients):  # each person once, in the given order
            try:
                # A savepoint per row: a duplicate rolls back only its own insert.
                with transaction.atomic():
                    delivery = SentReminder.objects.create(
                        kind=kind,
                        target=target,
                        recipient=user,
                        on=on,
                        # Nobody to email: the inbox message is the whole delivery.
                        emailed_at=None if user.email else timezone.now(),
                    )
            except IntegrityError:
                continue
            new += 1
            Notification.objects.create(
                recipient=user,
                delivery=delivery,
                kind=kind,
                subject=subject[:200],
                body=body,
                link=link,
                department=department,
                task=task,
            )
            if user.email:
                to_email.append(delivery.id)
        if to_email:
            # Queued only once the rows are committed, so the worker finds them.
            transaction.on_commit(lambda: _queue_emails(to_email))
        if to_robot and department is not None:
            # The subject heads it: a group chat sees the message without the inbox's title.
            text = "\n".join(
                part for part in (subject, body, absolute(link) if link else "") if part
            )
            robot_messages_create(
                departments=[department], key=f"{kind}:{target}:{on.isoformat()}", text=text
            )
    return new


def _queue_emails(delivery_ids: list[int]) -> None:
    """Queue the emails of committed deliveries. The rows are the outbox: if the broker is
    down, this logs and returns (the request that committed them must not fail, or a retry
    by the user would make a second urge), and the sweep emails them later."""
    for delivery_id in delivery_ids:
        try:
            send_reminder_email_task.delay(delivery_id)
        except Exception:
            logger.warning(
                "could not queue the email of delivery %s; the sweep will send it",
                delivery_id,
                exc_info=True,
            )
            return


def reminders_send_for_day(*, on: datetime.date) -> int:
    """Send every reminder the plans' schedule gives for `on` (the daily beat task), to
    the people and to the department's group robots. Safe to run any number of times:
    returns how many deliveries were new."""
    total = 0
    for reminder in reminders_due(start=on, end=on, with_details=True):
        total += reminder_send(
            kind=reminder.kind,
            target=reminder.target,
            recipients=reminder.recipients,
            on=reminder.on,
            subject=reminder.subject,
            body=reminder.body,
            link=reminder.link,
            department=reminder.department,
            task=reminder.task,
            to_robot=True,
        )
    logger.info("reminders for %s: %d sent", on, total)
    return total


class UrgedToday(Exception):
    """The task × department was urged already today: ask before urging again."""

    def __init__(self, urge: Urge):
        super().__init__(f"urged today: {urge.pk}")
        self.urge = urge


def urge_create(*, task, department, by, message: str, confirmed: bool = False) -> Urge:
    """The office presses `department` on `task`: recorded, in the department's inbox at
    once (its staff and head), emailed and posted to its group robot. One record per task ×
    department × day: pressed again the same day, UrgedToday is raised unless `confirmed`;
    confirmed, the same record takes the new message and it is sent once more."""
    message = (message or "").strip()
    today = timezone.localdate()
    with transaction.atomic():
        urge = Urge.objects.filter(task=task, department=department, on=today).first()
        if urge is None:
            try:
                with transaction.atomic():
                    urge = Urge.objects.create(
                        task=task, department=department, by=by, message=message, on=today
                    )
            except IntegrityError:
                # Pressed twice at once: the other press recorded today's urge.
                raise UrgedToday(
                    Urge.objects.get(task=task, department=department, on=today)
                ) from None
            target = f"urge:{urge.id}"
        elif not confirmed:
            raise UrgedToday(urge)
        else:
            # A conditional update, so two confirmed presses each count once.
            Urge.objects.filter(pk=urge.pk).update(times=F("times") + 1)
            urge.refresh_from_db()
            if message:
                urge.message = f"{urge.message}\n{message}".strip()
                urge.save(update_fields=["message"])
            target = f"urge:{urge.id}:{urge.times}"
        names = {
            "office": office_name(by),
            "department": department.name,
            "task": task.code,
            "title": task.title,
        }
        body = _(
            "%(office)s urges %(department)s: please carry out task %(task)s「%(title)s」"
            "and file its ledger entry."
        ) % names + (f"\n{message}" if message else "")
        link = reverse("ledger:task", args=[task.id])
        reminder_send(
            kind="urge",
            target=target,
            recipients=department_people(department=department),
            on=today,
            subject=_("Urged: task %(task)s「%(title)s」") % names,
            body=body,
            link=link,
            department=department,
            task=task,
        )
        robot_messages_create(
            departments=[department], key=target, text=f"{body}\n{absolute(link)}"
        )
    return urge


def notification_mark_read(*, notification: Notification, user) -> None:
    if notification.recipient_id != user.id:
        raise PermissionError("not your notification")
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    # update() sends no signal: the header's unread count is forgotten here.
    todo_forget(users=[user.pk])


def notifications_mark_all_read(*, user) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    todo_forget(users=[user.pk])
    return marked
