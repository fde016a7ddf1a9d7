"""Telling people of an entry's steps: submitted → the office (and the department head when
staff submitted directly); returned → the author and the head, with the reason; accepted →
the author. Through `reminder_send` (inbox now, email after commit, once per event) and the
departments' group robots. Registered as the ledger's listener in `apps.py`."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.access import is_head
from departments.models import Department, Membership
from tasks_ledger.ledger import events
from tasks_ledger.reminders.robots import robot_messages_create
from tasks_ledger.reminders.selectors import department_people, office_people
from tasks_ledger.reminders.services import reminder_send
from tasks_ledger.reminders.wording import absolute, office_name


def notify_entry_event(*, entry, event: str, by) -> int:
    """Tell whom `event` concerns, once: the key holds the entry's version, which each step
    moves on, so a retried call sends nothing new and the next step is a new message."""
    task, department = entry.task, entry.department
    heads = department_people(department=department, roles=(Membership.Role.HEAD,))
    names = {"department": department.name, "task": task.code, "title": task.title}
    if event == events.SUBMITTED:
        recipients = office_people()
        robot_departments = list(Department.objects.filter(kind=Department.Kind.OFFICE))
        if not is_head(by):
            # Staff submitted directly: the head learns what went out in the department's name.
            recipients += heads
            robot_departments.append(department)
        subject = _("%(department)s submitted its ledger entry on task %(task)s") % names
        body = (
            _("%(department)s submitted its ledger entry on task %(task)s「%(title)s」for review.")
            % names
        )
    elif event == events.RETURNED:
        recipients = [entry.author, *heads]
        robot_departments = [department]
        subject = _("The ledger entry on task %(task)s was returned") % names
        body = _(
            "%(office)s returned %(department)s's ledger entry on task %(task)s「%(title)s」. "
            "Reason: %(reason)s"
        ) % (names | {"office": office_name(by), "reason": entry.return_reason})
    elif event == events.ACCEPTED:
        recipients = [entry.author]
        robot_departments = [department]
        subject = _("The ledger entry on task %(task)s was accepted") % names
        body = _(
            "%(office)s accepted %(department)s's ledger entry on task %(task)s「%(title)s」."
        ) % (names | {"office": office_name(by)})
    else:
        raise ValueError(f"unknown entry event {event!r}")
    key = f"entry:{entry.id}:v{entry.version}"
    link = reverse("ledger:entry", args=[entry.id])
    sent = reminder_send(
        kind=f"entry_{event}",
        target=key,
        recipients=[user for user in recipients if user.is_active],
        on=timezone.localdate(),
        subject=subject,
        body=body,
        link=link,
        department=department,
        task=task,
    )
    robot_messages_create(
        departments=robot_departments, key=f"entry_{event}:{key}", text=f"{body}\n{absolute(link)}"
    )
    return sent
