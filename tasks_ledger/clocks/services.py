"""Writes of the clocks: record an event (which starts its obligations), withdraw one
recorded by mistake (which closes them), fulfil an obligation. The alerts they start are
sent by the tasks through `alerts.py` (services → tasks → alerts, so no import runs in a
function to get round a cycle)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.access import department_of
from tasks_ledger import errors
from tasks_ledger.calendar.selectors import HolidayCalendar
from tasks_ledger.clocks import dues
from tasks_ledger.clocks.models import Event, Obligation
from tasks_ledger.clocks.tasks import event_alert_send_task
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.ledger.selectors import entries_visible_to
from tasks_ledger.plan.models import Deadline, Task


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
