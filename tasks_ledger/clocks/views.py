"""Pages of the clocks: the clock board, recording an event, an event with its
obligations, withdrawing an event, and recording an obligation's fulfilment."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from departments.access import department_of, is_office, reader_required, role_required
from departments.models import Department
from tasks_ledger.clocks import selectors, services
from tasks_ledger.clocks.forms import (
    DATETIME_LOCAL,
    BoardFilterForm,
    EventForm,
    FulfilForm,
    WithdrawForm,
)
from tasks_ledger.clocks.models import Event
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Deadline


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_default_timezone())


@reader_required
def clock_board(request):
    """Open obligations counting down, due soon and breached ones, and on-time rates."""
    office = is_office(request.user)
    own = department_of(request.user)
    now = timezone.now()
    today = timezone.localdate(now)
    # The on-time rates' default period: the current year.
    default_since, default_until = today.replace(month=1, day=1), today.replace(month=12, day=31)
    form = BoardFilterForm(
        request.GET or None,
        initial={"since": default_since, "until": default_until},
        departments=Department.objects.filter(obligations__isnull=False).distinct()
        if office
        else Department.objects.filter(pk=own.pk),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    since = filters.get("since") or default_since
    until = filters.get("until") or default_until
    obligations = selectors.visible_obligations(request.user)
    department = filters.get("department") or (None if office else own)
    if department is not None:
        obligations = obligations.filter(department=department)
    board = selectors.clock_board(obligations=obligations, now=now)
    rates = selectors.on_time_rates(
        obligations=obligations,
        now=now,
        since=_local_midnight(since),
        until=_local_midnight(until + datetime.timedelta(days=1)),
    )
    return render(
        request,
        "clocks/board.html",
        {
            "board": board,
            "rates": rates,
            "form": form,
            "since": since,
            "until": until,
            "department": department,
            "recordable": selectors.recordable_tasks(request.user).select_related(
                *[r.removeprefix("task__") for r in selectors.TASK_RELATED]
            ),
            "now": now,
        },
    )


@role_required
def event_record(request, task_id):
    """Record a published document or an emergency for a task: starts its clocks."""
    task = get_object_or_404(selectors.recordable_tasks(request.user), pk=task_id)
    deadlines = list(task.deadlines.filter(kind=Deadline.Kind.RELATIVE))
    # Only a default for the form: clocks counted in hours follow emergencies in practice.
    hours = any(d.unit == Deadline.Unit.HOUR for d in deadlines)
    form = EventForm(
        request.POST or None,
        initial={"kind": Event.Kind.EMERGENCY if hours else Event.Kind.DOCUMENT},
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_record(task=task, by=request.user, **form.cleaned_data)
        except services.ClockError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("The event is recorded and its clocks have started."))
            return redirect("clocks:event-detail", event.pk)
    return render(
        request,
        "clocks/event_form.html",
        {"task": task, "form": form, "deadlines": deadlines},
    )


def _event_page(
    request,
    event: Event,
    bound: tuple[int, FulfilForm] | None = None,
    status=200,
    withdraw_form: WithdrawForm | None = None,
):
    now = timezone.now()
    obligations = selectors.event_detail(event=event, now=now)
    mine = [
        o
        for o in obligations
        if o.fulfilled_at is None
        and event.withdrawn_at is None
        and selectors.may_fulfil(request.user, o)
    ]
    # One query for the entries of every open obligation the user may close; the template
    # renders the choices from these lists rather than a query per form.
    entries: dict[int, list[LedgerEntry]] = {}
    if mine:
        for entry in selectors.fulfilment_entries(
            user=request.user, event=event, department_ids={o.department_id for o in mine}
        ):
            entries.setdefault(entry.department_id, []).append(entry)
    for obligation in mine:
        obligation.entry_choices = entries.get(obligation.department_id, [])
        if bound and bound[0] == obligation.pk:
            obligation.form = bound[1]
        else:
            obligation.form = FulfilForm(
                entries=LedgerEntry.objects.none(),
                initial={"at": timezone.localtime(now).strftime(DATETIME_LOCAL)},
                prefix=f"o{obligation.pk}",
            )
    may_withdraw = selectors.may_withdraw(request.user, event)
    return render(
        request,
        "clocks/event_detail.html",
        {
            "event": event,
            "obligations": obligations,
            "now": now,
            "withdraw_form": (withdraw_form or WithdrawForm()) if may_withdraw else None,
        },
        status=status,
    )


def _visible_event(request, pk):
    return get_object_or_404(
        selectors.visible_events(request.user).select_related(
            *selectors.TASK_RELATED,
            "department",
            "recorded_by__membership",
            "withdrawn_by__membership",
        ),
        pk=pk,
    )


@role_required
def event_detail(request, pk):
    """An event, its obligations with their due times and states, and the fulfilment forms
    of the obligations the user may close."""
    return _event_page(request, _visible_event(request, pk))


@role_required
@require_POST
def obligation_fulfil(request, pk):
    """Close an obligation with one of the owing department's ledger entries."""
    obligation = get_object_or_404(
        selectors.visible_obligations(request.user).select_related("event"), pk=pk
    )
    if not selectors.may_fulfil(request.user, obligation):
        raise PermissionDenied
    form = FulfilForm(
        request.POST,
        entries=selectors.fulfilment_entries(
            user=request.user, event=obligation.event, department_ids=[obligation.department_id]
        ),
        prefix=f"o{obligation.pk}",
    )
    if form.is_valid():
        try:
            services.obligation_fulfil(
                obligation=obligation,
                entry=form.cleaned_data["entry"],
                at=form.cleaned_data["at"],
                by=request.user,
            )
        except services.ClockError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("The fulfilment is recorded."))
            return redirect("clocks:event-detail", obligation.event_id)
    event = _visible_event(request, obligation.event_id)
    return _event_page(request, event, bound=(obligation.pk, form), status=400)


@role_required
@require_POST
def event_withdraw(request, pk):
    """Withdraw an event recorded by mistake, with a reason: its obligations close."""
    event = _visible_event(request, pk)
    if not selectors.may_withdraw(request.user, event):
        raise PermissionDenied
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.event_withdraw(event=event, by=request.user, **form.cleaned_data)
        except services.ClockError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("The event is withdrawn and its clocks are closed."))
            return redirect("clocks:event-detail", event.pk)
    return _event_page(request, event, status=400, withdraw_form=form)


RECENT_EVENTS = 10


@role_required
@require_GET
def recent_events(request):
    """The latest events and their clocks, as a fragment the dashboard loads after itself
    (htmx), so that the dashboard page keeps its own fixed number of queries."""
    events = selectors.clock_events(now=timezone.now(), user=request.user, limit=RECENT_EVENTS)
    return render(request, "clocks/_task_events.html", {"clock_events": events})
