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
"""

import datetime

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
