"""The status light of a task × department, derived from entries and deadlines.

Never typed by hand. The rule, in order:
  done      the latest counted entry says the work is done;
  blocked   the latest counted entry says it is blocked;
  overdue   the task's last date deadline has passed;
  due_soon  one of the task's date deadlines falls within DUE_SOON_DAYS;
  on_track  everything else.
Counted entries are those the department has submitted (submitted or accepted): drafts and
returned entries are not yet the department's word. "Latest" is by the date of the work,
then by creation.

The rule lives here twice, side by side and tested to agree: `with_status` computes the light
in the database (so that a queryset can be filtered and counted by it), `light_for` computes
it in Python from the inputs `with_light_inputs` loads (for a page that loads every row
anyway: the dashboard, whose speed it is).
"""

import datetime

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    DateField,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.fields import DateTimeField
from django.utils.translation import gettext_lazy as _

from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Assignment, Deadline

DUE_SOON_DAYS = 7
COUNTED_STATES = (LedgerEntry.State.SUBMITTED, LedgerEntry.State.ACCEPTED)


class Light:
    DONE = "done"
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    BLOCKED = "blocked"

    LABELS = {
        DONE: _("Done"),
        ON_TRACK: _("On track"),
        DUE_SOON: _("Due soon"),
        OVERDUE: _("Overdue"),
        BLOCKED: _("Blocked"),
    }
    ORDER = [OVERDUE, DUE_SOON, BLOCKED, ON_TRACK, DONE]


def latest_counted_entries(entries: QuerySet | None = None) -> QuerySet:
    """Counted entries of the outer row's task and department, newest first. `entries`
    lets a caller substitute another source of the same shape (the history, for "as of")."""
    source = entries if entries is not None else LedgerEntry.objects.all()
    return source.filter(
        task=OuterRef("task"), department=OuterRef("department"), state__in=COUNTED_STATES
    ).order_by("-happened_on", "-id")


def with_status(
    assignments: QuerySet, *, today: datetime.date, entries: QuerySet | None = None
) -> QuerySet:
    """Annotate assignments with `latest_status`, `latest_on`, `final_due`, `next_due` and
    `light`, all computed in the database (one query for any number of rows)."""
    latest = latest_counted_entries(entries)
    date_deadlines = Deadline.objects.filter(task=OuterRef("task"), kind=Deadline.Kind.DATE)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    return assignments.annotate(
        latest_status=Subquery(latest.values("status")[:1], output_field=CharField()),
        latest_on=Subquery(latest.values("happened_on")[:1], output_field=DateField()),
        final_due=Subquery(
            date_deadlines.values("task").annotate(m=Max("due")).values("m")[:1],
            output_field=DateField(),
        ),
        next_due=Subquery(
            date_deadlines.filter(due__gte=today)
            .values("task")
            .annotate(m=Min("due"))
            .values("m")[:1],
            output_field=DateField(),
        ),
    ).annotate(
        light=Case(
            When(latest_status=LedgerEntry.Status.DONE, then=Value(Light.DONE)),
            When(latest_status=LedgerEntry.Status.BLOCKED, then=Value(Light.BLOCKED)),
            When(final_due__lt=today, then=Value(Light.OVERDUE)),
            When(next_due__lte=soon, then=Value(Light.DUE_SOON)),
            default=Value(Light.ON_TRACK),
            output_field=CharField(),
        )
    )


def assignment_statuses(*, plan, today: datetime.date) -> QuerySet:
    """Every assignment of `plan` with its status light, task and department loaded."""
    return with_status(
        Assignment.objects.filter(task__plan=plan).select_related(
            "task__section", "task__parent__section", "department"
        ),
        today=today,
    )


def light_for(
    *,
    latest_status: str | None,
    final_due: datetime.date | None,
    next_due: datetime.date | None,
    today: datetime.date,
) -> str:
    """The rule of the module's docstring, for one row whose inputs are loaded."""
    if latest_status == LedgerEntry.Status.DONE:
        return Light.DONE
    if latest_status == LedgerEntry.Status.BLOCKED:
        return Light.BLOCKED
    if final_due is not None and final_due < today:
        return Light.OVERDUE
    if next_due is not None and next_due <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return Light.DUE_SOON
    return Light.ON_TRACK


def with_light_inputs(
    assignments: QuerySet,
    *,
    today: datetime.date,
    entries: QuerySet | None = None,
    last_change: bool = False,
) -> QuerySet:
    """Annotate assignments with what `light_for` needs — `latest_status`, `latest_on`,
    `final_due`, `next_due` — and, with `last_change`, when the department last changed its
    ledger on the task (drafts left out: they are its own business until submitted).

    The same subqueries as `with_status`, written as SQL: the ORM took longer to build and
    compile `with_status`'s query (its CASE repeats every subquery) than the database took
    to run it, and it was the largest part of the dashboard's time. `entries` substitutes
    another source of the ledger's rows (the history, for "as of"); its queryset is
    compiled once, as a derived table. The outer row is the assignment table itself, which
    is how the ORM names a query's base table."""
    q = connection.ops.quote_name
    outer = q(assignments.model._meta.db_table)
    if entries is None:
        source, source_params = q(LedgerEntry._meta.db_table), ()
    else:
        columns = ("id", "task_id", "department_id", "state", "status", "happened_on", "updated_at")
        sql, source_params = entries.values(*columns).order_by().query.sql_with_params()
        source = f"({sql})"
    same = (
        f"FROM {source} e WHERE e.task_id = {outer}.task_id "
        f"AND e.department_id = {outer}.department_id"
    )
    counted = f"{same} AND e.state IN (%s, %s) ORDER BY e.happened_on DESC, e.id DESC LIMIT 1"
    counted_params = (*source_params, *COUNTED_STATES)
    deadlines = (
        f"FROM {q(Deadline._meta.db_table)} d WHERE d.task_id = {outer}.task_id AND d.kind = %s"
    )
    annotations = {
        "latest_status": RawSQL(
            f"SELECT e.status {counted}", counted_params, output_field=CharField()
        ),
        "latest_on": RawSQL(
            f"SELECT e.happened_on {counted}", counted_params, output_field=DateField()
        ),
        "final_due": RawSQL(
            f"SELECT MAX(d.due) {deadlines}", (Deadline.Kind.DATE,), output_field=DateField()
        ),
        "next_due": RawSQL(
            f"SELECT MIN(d.due) {deadlines} AND d.due >= %s",
            (Deadline.Kind.DATE, today),
            output_field=DateField(),
        ),
    }
    if last_change:
        annotations["last_change"] = RawSQL(
            f"SELECT MAX(e.updated_at) {same} AND e.state <> %s",
            (*source_params, LedgerEntry.State.DRAFT),
            output_field=DateTimeField(),
        )
    return assignments.annotate(**annotations)
