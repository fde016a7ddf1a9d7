"""Reads of the clocks: who sees which events and obligations, the clock board, on-time
rates, a task's events."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone

from departments.access import department_of, is_office
from tasks_ledger.clocks.models import Event, Obligation
from tasks_ledger.ledger.models import Evidence
from tasks_ledger.ledger.selectors import entries_visible_to
from tasks_ledger.plan.models import Assignment, Deadline, Task, code_related

TASK_RELATED = code_related("task")


def recordable_tasks(user) -> QuerySet:
    """Tasks with a deadline that counts from an event, for which `user` may record one:
    the tasks its department is assigned to, or every such task for the office."""
    tasks = Task.objects.filter(
        Exists(Deadline.objects.filter(task=OuterRef("pk"), kind=Deadline.Kind.RELATIVE))
    )
    if is_office(user):
        return tasks
    department = department_of(user)
    if department is None:
        return tasks.none()
    mine = Assignment.objects.filter(task=OuterRef("pk"), department=department)
    return tasks.filter(Exists(mine))


def visible_events(user) -> QuerySet:
    """Events `user` may see: all for the office; for a department, those of its tasks."""
    if is_office(user):
        return Event.objects.all()
    department = department_of(user)
    if department is None:
        return Event.objects.none()
    return Event.objects.filter(
        Exists(Assignment.objects.filter(task=OuterRef("task"), department=department))
    )


def visible_obligations(user) -> QuerySet:
    """Obligations `user` may see: those of the events it may see."""
    return Obligation.objects.filter(event__in=visible_events(user))


def may_withdraw(user, event: Event) -> bool:
    """The office, or the department that recorded it, may withdraw a standing event."""
    if event.withdrawn_at is not None:
        return False
    if is_office(user):
        return True
    department = department_of(user)
    return department is not None and department.pk == event.department_id


def may_fulfil(user, obligation: Obligation) -> bool:
    """The owing department and the office may record an obligation's fulfilment."""
    if is_office(user):
        return True
    department = department_of(user)
    return department is not None and department.pk == obligation.department_id


def fulfilment_entries(*, user, event: Event, department_ids) -> QuerySet:
    """Ledger entries that may fulfil `event`'s obligations owed by `department_ids`, as
    far as `user` may see them (so never another department's draft): the owing
    department's entries on the event's task, about work on or after the event's day,
    that carry evidence; newest first."""
    return (
        entries_visible_to(user=user)
        .filter(
            task_id=event.task_id,
            department_id__in=department_ids,
            happened_on__gte=timezone.localdate(event.occurred_at),
        )
        .filter(Exists(Evidence.objects.filter(entry=OuterRef("pk"))))
        .order_by("-happened_on", "-id")
    )


def _obligations(now: datetime.datetime) -> QuerySet:
    return (
        Obligation.objects.with_state(now)
        .select_related("department", "fulfilled_by", "event__task__section")
        .select_related("event__task__parent__section")
    )


def event_detail(*, event: Event, now: datetime.datetime) -> list[Obligation]:
    """The obligations of `event` with their states, in one query."""
    return list(_obligations(now).filter(event=event).order_by("due_at", "department__order", "id"))


def clock_events(
    *,
    now: datetime.datetime,
    user,
    task: Task | None = None,
    limit: int | None = None,
) -> list[Event]:
    """Events `user` may see (of `task`, if given), newest first, each with
    `.obligation_list` (states annotated at `now`). Two queries whatever the numbers."""
    events = visible_events(user).order_by("-occurred_at", "-id")
    if task is None:
        events = events.select_related(*TASK_RELATED, "department")
    else:
        # The caller's task, with what it already loaded, rather than joined to each event.
        events = events.select_related("department").filter(task=task)
    found = list(events[:limit] if limit else events)
    if task is not None:
        for event in found:
            event.task = task
    if found:  # most tasks have no event: their obligations' query is not even built
        obligations = (
            Obligation.objects.with_state(now)
            .select_related("department", "fulfilled_by")
            .order_by("due_at", "department__order", "id")
        )
        prefetch_related_objects(
            found, Prefetch("obligations", queryset=obligations, to_attr="obligation_list")
        )
    return found


def may_record_event(user, task: Task) -> bool:
    """Whether `task` is among `recordable_tasks(user)`, asked of one task in one plain read
    rather than the whole rule's subqueries (a task page asks it on every view)."""
    relative = Deadline.objects.filter(task=task, kind=Deadline.Kind.RELATIVE)
    if is_office(user):
        return relative.exists()
    department = department_of(user)
    if department is None:
        return False
    return relative.filter(task__assignments__department=department).exists()


def task_clock_context(*, task: Task, user, now: datetime.datetime) -> dict:
    """What templates/clocks/_task_events.html needs for one task's page."""
    return {
        "clock_task": task,
        "clock_events": clock_events(now=now, user=user, task=task),
        "clock_can_record": may_record_event(user, task),
    }


@dataclass
class Board:
    open: list[Obligation]
    breached: list[Obligation]
    closed: list[Obligation]


RECENTLY_CLOSED = 20


def clock_board(*, obligations: QuerySet, now: datetime.datetime) -> Board:
    """Open obligations (soonest first, with due soon among them), breached ones (unmet
    past their due time) and the latest closed ones. Three queries."""
    rows = _obligations(now).running().filter(pk__in=obligations.values("pk"))
    return Board(
        open=list(rows.filter(fulfilled_at__isnull=True, due_at__gte=now).order_by("due_at")),
        breached=list(rows.filter(fulfilled_at__isnull=True, due_at__lt=now).order_by("due_at")),
        closed=list(
            rows.filter(fulfilled_at__isnull=False).order_by("-fulfilled_at")[:RECENTLY_CLOSED]
        ),
    )


@dataclass
class Rate:
    label: str
    met: int
    late: int
    overdue: int
    pending: int

    @property
    def decided(self) -> int:
        return self.met + self.late + self.overdue

    @property
    def percent(self) -> float | None:
        return round(100 * self.met / self.decided, 1) if self.decided else None


def on_time_rates(
    *,
    obligations: QuerySet,
    now: datetime.datetime,
    since: datetime.datetime,
    until: datetime.datetime,
) -> dict[str, list[Rate]]:
    """On-time rates of obligations due in [since, until), per department and per kind
    (the event's kind and the deadline's words). Counted in the database: two queries.

    Met on time, late, and overdue (unmet past due) are decided; an obligation still
    running is pending and not in the rate."""
    counts = {
        "met": Count("id", filter=Q(fulfilled_at__isnull=False, fulfilled_at__lte=F("due_at"))),
        "late": Count("id", filter=Q(fulfilled_at__gt=F("due_at"))),
        "overdue": Count("id", filter=Q(fulfilled_at__isnull=True, due_at__lt=now)),
        "pending": Count("id", filter=Q(fulfilled_at__isnull=True, due_at__gte=now)),
    }
    rows = Obligation.objects.running().filter(
        pk__in=obligations.values("pk"), due_at__gte=since, due_at__lt=until
    )
    by_department = (
        rows.values("department__name", "department__order")
        .annotate(**counts)
        .order_by("department__order", "department__name")
    )
    kinds = dict(Event.Kind.choices)
    by_kind = (
        rows.values("event__kind", "deadline_text")
        .annotate(**counts)
        .order_by("event__kind", "deadline_text")
    )
    fields = ("met", "late", "overdue", "pending")
    return {
        "department": [
            Rate(label=r["department__name"], **{k: r[k] for k in fields}) for r in by_department
        ],
        "kind": [
            Rate(
                label=f"{kinds.get(r['event__kind'], r['event__kind'])} · {r['deadline_text']}",
                **{k: r[k] for k in fields},
            )
            for r in by_kind
        ],
    }
