"""Writes of the clocks: record an event (which starts its obligations), withdraw one
recorded by mistake (which closes them), fulfil an obligation, and send the alerts, each
exactly once."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.access import department_of
from departments.models import Membership
from tasks_ledger import errors
from tasks_ledger.calendar.selectors import HolidayCalendar
from tasks_ledger.clocks import dues
from tasks_ledger.clocks.models import Event, Obligation
from tasks_ledger.clocks.selectors import TASK_RELATED
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.ledger.selectors import entries_visible_to
from tasks_ledger.plan.models import Deadline, Task
from tasks_ledger.reminders.selectors import department_people
from tasks_ledger.reminders.services import reminder_send


class ClockError(errors.Invalid):
    """A write the rules refuse; the message is for the person who tried, `field` names
    the input it is about (None: the request as a whole)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__({field or errors.NON_FIELD: [message]})
        self.field = field


def event_record(
    *,
    task: Task,
    kind: str,
    title: str,
    occurred_at: datetime.datetime,
    by,
    doc_number: str = "",
    url: str = "",
    location: str = "",
    severity: str = "",
) -> Event:
    """Record a trigger event and start an obligation for each relative deadline of `task`
    and each department assigned to it. The "clock started" alert is queued on commit."""
    deadlines, departments = event_check(
        task=task, occurred_at=occurred_at, kind=kind, severity=severity
    )
    calendar = HolidayCalendar()
    with transaction.atomic():
        event = Event.objects.create(
            task=task,
            kind=kind,
            title=title,
            doc_number=doc_number if kind == Event.Kind.DOCUMENT else "",
            url=url,
            location=location if kind == Event.Kind.EMERGENCY else "",
            severity=severity if kind == Event.Kind.EMERGENCY else "",
            occurred_at=occurred_at,
            department=department_of(by),
            recorded_by=by,
        )
        obligations = []
        for deadline in deadlines:
            due = dues.due_after(
                occurred_at=occurred_at,
                amount=deadline.amount,
                unit=deadline.unit,
                overrides=calendar,
            )
            obligations += [
                Obligation(
                    event=event,
                    deadline=deadline,
                    deadline_text=deadline.text,
                    amount=deadline.amount,
                    unit=deadline.unit,
                    department=department,
                    due_at=due.due_at,
                    warn_at=due.warn_at,
                    calendar=due.calendar,
                )
                for department in departments
            ]
        Obligation.objects.bulk_create(obligations)
        # Imported here: the tasks module imports this one.
        from tasks_ledger.clocks.tasks import event_alert_send_task

        # robust: a broker that is down must not fail the request; the periodic sweep
        # sends any alert left unsent.
        transaction.on_commit(lambda: event_alert_send_task.delay(event.pk), robust=True)
    return event


def event_check(
    *, task: Task, occurred_at: datetime.datetime, kind: str = "", severity: str = ""
) -> tuple[list, list]:
    """Refuse an event that could start nothing; else the task's relative deadlines and
    the departments that will owe them. Forms call it too, to name the field at fault."""
    if occurred_at > timezone.now():
        raise ClockError(_("The time of the event is in the future."), "occurred_at")
    if kind == Event.Kind.EMERGENCY and severity not in Event.Severity.with_clocks():
        raise ClockError(
            _(
                "The plan's 5-hour and 24-hour rules are for 特别重大 (I) and 重大 (II) "
                "emergencies only: a grade III or IV event starts no clock."
            ),
            "severity",
        )
    deadlines = list(task.deadlines.filter(kind=Deadline.Kind.RELATIVE).order_by("order", "id"))
    if not deadlines:
        raise ClockError(_("This task has no deadline that counts from an event."), "task")
    departments = [a.department for a in task.assignments.select_related("department")]
    if not departments:
        raise ClockError(_("No department is assigned to this task."), "task")
    return deadlines, departments


def event_withdraw(*, event: Event, by, reason: str) -> Event:
    """Withdraw an event recorded by mistake: kept with who withdrew it, when and why, its
    obligations closed (state `withdrawn`: no alert, no breach, no rate counts them)."""
    reason = reason.strip()
    if not reason:
        raise ClockError(_("Say why the event is withdrawn."), "reason")
    with transaction.atomic():
        # Conditional update: of two people withdrawing at once, one wins.
        claimed = Event.objects.filter(pk=event.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawn_by=by, withdrawal_reason=reason
        )
    if not claimed:
        raise ClockError(_("This event has already been withdrawn."))
    event.refresh_from_db()
    return event


def obligation_fulfil(
    *, obligation: Obligation, entry: LedgerEntry, at: datetime.datetime, by
) -> Obligation:
    """Close `obligation` with the ledger entry that shows it was done and the time it was
    done. Whether that was on time follows from the time (see Obligation.state_at)."""
    event = obligation.event
    if event.withdrawn_at is not None:
        raise ClockError(_("The event was withdrawn: its obligations are closed."))
    # An entry `by` may not open is answered as one that does not exist.
    if not entries_visible_to(user=by).filter(pk=entry.pk).exists():
        raise ClockError(_("No such ledger entry."), "entry")
    if entry.task_id != event.task_id or entry.department_id != obligation.department_id:
        raise ClockError(
            _("The entry must be the owing department's entry for this task."), "entry"
        )
    if entry.happened_on < timezone.localdate(event.occurred_at):
        raise ClockError(_("The entry's work was done before the event."), "entry")
    if not entry.evidence.exists():
        raise ClockError(_("The entry has no evidence; add the link or document first."), "entry")
    if at < obligation.event.occurred_at:
        raise ClockError(_("It cannot have been done before the event."), "at")
    if at > timezone.now():
        raise ClockError(_("The time it was done is in the future."), "at")
    with transaction.atomic():
        # Conditional update: of two people closing the same obligation, one wins and the
        # other is told, instead of the second silently replacing the first.
        claimed = (
            Obligation.objects.running()
            .filter(pk=obligation.pk, fulfilled_at__isnull=True)
            .update(fulfilled_by=entry, fulfilled_at=at, fulfilment_recorded_by=by)
        )
    if not claimed:
        raise ClockError(_("This obligation has already been fulfilled."))
    obligation.refresh_from_db()
    return obligation


# The kinds the reminders inbox knows by name (tasks_ledger/reminders/models.py).
ALERT_STARTED = "clock_event"
ALERT_DUE_SOON = "clock_due_soon"
ALERT_BREACHED = "clock_breach"


def _office_people() -> list:
    """The bureau office's reviewers, who hear of every breach."""
    return [
        m.user
        for m in Membership.objects.filter(role=Membership.Role.REVIEWER, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    ]


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
            recipients = department_people(department=obligation.department) + _office_people()
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
