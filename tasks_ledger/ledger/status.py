"""The status light of a task × department, derived from entries and deadlines.

Never typed by hand. The rule (`light_rules`, the one place it is written), in order:
  done       the latest counted entry says the work is done, and the office accepted it;
  awaiting   it says done but the office has not accepted it yet (待确认);
  blocked    it says the work is blocked;
  overdue    the task's last date deadline has passed;
  due_soon   one of the task's date deadlines falls within DUE_SOON_DAYS;
  not_filed  the department has filed no entry on the task (未填报);
  on_track   everything else.
Counted entries are those the department has submitted (submitted or accepted): drafts and
returned entries are not yet the department's word. "Latest" is by the date of the work,
then by creation.

`with_status` computes the light in the database from the rule (so that a queryset can be
filtered and counted by it). A page that loads every row anyway may instead load only the
rule's inputs and apply the same rule to each row in Python (`light_from`); the dashboard
does (tasks_ledger/ledger/lights.py), and a test over randomized ledgers proves the two
agree.
"""

import datetime

from django.db.models import (
    Case,
    CharField,
    DateField,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from tasks_ledger.ledger.models import COUNTED_STATES, LedgerEntry
from tasks_ledger.plan.models import Assignment, Deadline, code_related

DUE_SOON_DAYS = 7


class Light:
    DONE = "done"
    AWAITING = "awaiting"
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    BLOCKED = "blocked"
    NOT_FILED = "not_filed"

    LABELS = {
        DONE: _("Done"),
        AWAITING: _("Awaiting confirmation"),
        ON_TRACK: _("On track"),
        DUE_SOON: _("Due soon"),
        OVERDUE: _("Overdue"),
        BLOCKED: _("Blocked"),
        NOT_FILED: _("No entry filed"),
    }
    # Most urgent first: the dashboard's and the API's order.
    ORDER = [OVERDUE, DUE_SOON, BLOCKED, NOT_FILED, AWAITING, ON_TRACK, DONE]


# The inputs the rule reads, annotated on each assignment by `with_status` (and by the
# dashboard's faster form).
RULE_INPUTS = ("latest_status", "latest_state", "final_due", "next_due")


def light_rules(today: datetime.date) -> list[tuple[str, Q]]:
    """The rule of the module's docstring: (light, condition on the inputs) in order, the
    first that holds wins, else on track. Conditions are ANDs of plain lookups, so that
    `light_from` can read them as well as the database."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    done = LedgerEntry.Status.DONE
    return [
        (Light.DONE, Q(latest_status=done, latest_state=LedgerEntry.State.ACCEPTED)),
        (Light.AWAITING, Q(latest_status=done)),
        (Light.BLOCKED, Q(latest_status=LedgerEntry.Status.BLOCKED)),
        (Light.OVERDUE, Q(final_due__lt=today)),
        (Light.DUE_SOON, Q(next_due__lte=soon)),
        (Light.NOT_FILED, Q(latest_status__isnull=True)),
    ]


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
    """Annotate assignments with `latest_status`, `latest_state`, `latest_on`, `final_due`,
    `next_due` and `light`, all computed in the database (one query for any number of
    rows). Today's ledger (`entries` None) is read from the pair's rollup, which the
    database's triggers keep (ledger/rollups.py), through a join: the rule's conditions
    then read its columns, and the SQL stays small however often a caller nests or repeats
    the light (the API's task list does both; with a subquery per input, repeated in each
    condition, its filter by status made 77 KB of SQL). Any other source of entries — the
    history "as of" a day, or `LedgerEntry.objects.all()` to compute from today's rows
    themselves — is read as it is, by subqueries."""
    if entries is None:
        inputs = {
            "latest_status": F("rollup__latest_status"),
            "latest_state": F("rollup__latest_state"),
            "latest_on": F("rollup__latest_on"),
        }
    else:
        latest = latest_counted_entries(entries)
        inputs = {
            "latest_status": Subquery(latest.values("status")[:1], output_field=CharField()),
            "latest_state": Subquery(latest.values("state")[:1], output_field=CharField()),
            "latest_on": Subquery(latest.values("happened_on")[:1], output_field=DateField()),
        }
    date_deadlines = Deadline.objects.filter(task=OuterRef("task"), kind=Deadline.Kind.DATE)
    return assignments.annotate(
        **inputs,
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
    ).annotate(light=light_case(today))


def light_case(today: datetime.date) -> Case:
    """The light of `light_rules` as a CASE over the inputs annotated by `with_status`."""
    return Case(
        *[When(condition, then=Value(light)) for light, condition in light_rules(today)],
        default=Value(Light.ON_TRACK),
        output_field=CharField(),
    )


def urgency_case(today: datetime.date) -> Case:
    """The light's place in `Light.ORDER` (most urgent first), as a CASE over the same
    inputs as `light_case`: to order rows by their light without a CASE over the light's
    CASE (which SQL would write out once for each light)."""
    rank = {light: n for n, light in enumerate(Light.ORDER)}
    return Case(
        *[When(condition, then=Value(rank[light])) for light, condition in light_rules(today)],
        default=Value(rank[Light.ON_TRACK]),
        output_field=IntegerField(),
    )


def assignment_statuses(*, plan, today: datetime.date) -> QuerySet:
    """Every assignment of `plan` with its status light, task and department loaded."""
    return with_status(
        Assignment.objects.filter(task__plan=plan).select_related(
            *code_related("task"), "department"
        ),
        today=today,
    )


# How `light_from` reads a lookup of `light_rules`, with SQL's meaning of NULL: a
# comparison with a missing value does not hold.
_LOOKUPS = {
    "exact": lambda value, wanted: value is not None and value == wanted,
    "lt": lambda value, wanted: value is not None and value < wanted,
    "lte": lambda value, wanted: value is not None and value <= wanted,
    "isnull": lambda value, wanted: (value is None) == wanted,
}


def light_from(row, *, today: datetime.date) -> str:
    """The light of one row whose RULE_INPUTS are loaded: `light_rules` applied in Python."""
    for light, condition in light_rules(today):
        if all(_holds(row, lookup, wanted) for lookup, wanted in condition.children):
            return light
    return Light.ON_TRACK


def _holds(row, lookup: str, wanted) -> bool:
    name, _sep, kind = lookup.partition("__")
    return _LOOKUPS[kind or "exact"](getattr(row, name), wanted)
