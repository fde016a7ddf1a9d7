"""The clocks' alerts: "clock started", "due soon" and "breached", each sent exactly once
through the reminders. Called by the Celery tasks (tasks.py), which the services queue."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks_ledger.clocks.models import Event, Obligation
from tasks_ledger.clocks.selectors import TASK_RELATED
from tasks_ledger.reminders.selectors import department_people, office_people
from tasks_ledger.reminders.services import reminder_send

# The kinds the reminders inbox knows by name (tasks_ledger/reminders/models.py).
ALERT_STARTED = "clock_event"
ALERT_DUE_SOON = "clock_due_soon"
ALERT_BREACHED = "clock_breach"


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def event_alert_send(*, event_id: int, now: datetime.datetime) -> bool:
    """Tell each department that owes something for the event that its clock started.
    Sent once: the run that claims `alerted_at` sends, any other run does nothing."""
    with transaction.atomic():
        claimed = Event.objects.filter(
            pk=event_id, alerted_at__isnull=True, withdrawn_at__isnull=True
        ).update(alerted_at=now)
        if not claimed:
            return False
        event = Event.objects.select_related(*TASK_RELATED).get(pk=event_id)
        obligations = list(
            event.obligations.select_related("department").order_by("department__order", "due_at")
        )
        by_department: dict = {}
        for obligation in obligations:
            by_department.setdefault(obligation.department, []).append(obligation)
        for department, owed in by_department.items():
            lines = [
                _("%(deadline)s: due %(due)s")
                % {"deadline": o.deadline_text, "due": _local(o.due_at)}
                for o in owed
            ]
            reminder_send(
                kind=ALERT_STARTED,
                target=f"event:{event.pk}",
                recipients=department_people(department=department),
                on=timezone.localtime(event.occurred_at).date(),
                subject=_("Clock started: %(task)s %(title)s")
                % {"task": event.task.code, "title": event.title},
                body="\n".join(lines),
                link=event_link(event),
                department=department,
                task=event.task,
                to_robot=True,
            )
    return True


def _obligation_alert(*, obligation: Obligation, kind: str, claim_field: str, now) -> bool:
    with transaction.atomic():
        claimed = (
            Obligation.objects.running()
            .filter(pk=obligation.pk, fulfilled_at__isnull=True, **{f"{claim_field}__isnull": True})
            .update(**{claim_field: now})
        )
        if not claimed:
            return False
        event = obligation.event
        values = {
            "task": event.task.code,
            "deadline": obligation.deadline_text,
            "title": event.title,
            "due": _local(obligation.due_at),
        }
        if kind == ALERT_DUE_SOON:
            subject = _("Due soon: %(task)s %(deadline)s, by %(due)s") % values
            recipients = department_people(department=obligation.department)
        else:
            subject = _("Overdue: %(task)s %(deadline)s, due %(due)s") % values
            recipients = department_people(department=obligation.department) + office_people()
        reminder_send(
            kind=kind,
            target=f"obligation:{obligation.pk}",
            recipients=recipients,
            on=timezone.localtime(obligation.due_at).date(),
            subject=subject,
            body=_("%(title)s (%(deadline)s after the event)") % values,
            link=event_link(event),
            department=obligation.department,
            task=event.task,
            to_robot=True,
        )
    return True


def clock_alerts_send(*, now: datetime.datetime) -> dict[str, int]:
    """Every alert due at `now` and not sent yet: events whose "clock started" alert was not
    sent on commit, obligations turning due soon, obligations breached. Safe to run twice
    at once: each alert is claimed by one conditional update."""
    sent = {ALERT_STARTED: 0, ALERT_DUE_SOON: 0, ALERT_BREACHED: 0}
    unsent = Event.objects.filter(alerted_at__isnull=True, withdrawn_at__isnull=True)
    for event_id in unsent.values_list("pk", flat=True):
        sent[ALERT_STARTED] += event_alert_send(event_id=event_id, now=now)
    pending = (
        Obligation.objects.running()
        .filter(fulfilled_at__isnull=True)
        .select_related("department", *[f"event__{r}" for r in TASK_RELATED])
    )
    # An obligation already breached gets the breach alert only, not a late "due soon".
    for obligation in pending.filter(
        due_soon_alerted_at__isnull=True, warn_at__lte=now, due_at__gte=now
    ):
        sent[ALERT_DUE_SOON] += _obligation_alert(
            obligation=obligation, kind=ALERT_DUE_SOON, claim_field="due_soon_alerted_at", now=now
        )
    for obligation in pending.filter(breach_alerted_at__isnull=True, due_at__lt=now):
        sent[ALERT_BREACHED] += _obligation_alert(
            obligation=obligation, kind=ALERT_BREACHED, claim_field="breach_alerted_at", now=now
        )
    return sent


def event_link(event: Event) -> str:
    return reverse("clocks:event-detail", args=[event.pk])
