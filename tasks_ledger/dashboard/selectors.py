"""Reads for the bureau office's dashboard, in a fixed number of queries whatever the size
of the ledger.

The page costs four or five queries of its own (plus the session, user and unread-badge
reads every signed-in page makes):
  1. the plan (the view's);
  2. every assignment of the plan with what its status light needs (the matrix): the
     latest counted entry's word and date, the task's date deadlines, and the last change
     when "changed since" asks for it;
  3. counted entries per department, task and day over the last WEEKS_SHOWN weeks ("this
     week", the chart), one GROUP BY bucketed into weeks in Python;
  4. the latest changes (recent activity);
  5. only when some assignment is due soon: the administrator's holidays over those days,
     for the working days left.
Queries 2 and 3 read, for today's ledger, the rollups the database's triggers keep
(ledger/rollups.py: one row per task × department, one per task × department × day), so
their cost follows the plan, not the ledger; query 4 walks the updated_at index and stops
after RECENT_SHOWN rows. All
else is counted from query 2's rows in Python — the lights (`lights.rows_with_lights`), the
filter's choices and the filtering itself, the per-department and per-section figures:
those rows number the plan's assignments (dozens), not the ledger's entries, and are
already loaded for the matrix, so asking the database again would only add queries (and
each query costs more to build in the ORM than to run).

With `as_of`, "today" becomes that day and every ledger read is of the ledger as it stood
then. Once the day is over, the matrix reads the per-pair rows stored for it, which carry
the chart's weekly counts too (ledger/asof.py: stored on the first read of the day, two or
three queries more, the INSERT and the rows read again, on PostgreSQL a lock), so query 3
is not made; the recent activity reads `ledger.history.entries_as_of(day=as_of)`. A day
not over yet is read from the history throughout.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from tasks_ledger.calendar.selectors import HolidayCalendar
from tasks_ledger.calendar.workdays import workdays_between
from tasks_ledger.dashboard import charts, filters, markup
from tasks_ledger.dashboard.filters import DashboardFilter
from tasks_ledger.ledger.asof import WEEKS, charted_weeks
from tasks_ledger.ledger.history import entries_as_of, newest_per_assignment
from tasks_ledger.ledger.lights import rows_with_lights
from tasks_ledger.ledger.markup import shortened
from tasks_ledger.ledger.models import COUNTED_STATES, LedgerDayCount, LedgerEntry
from tasks_ledger.ledger.status import Light
from tasks_ledger.plan.models import Assignment, Plan, code_related

# The weekly chart's weeks: those the ledger's rows as of a day store (ledger/asof.py).
WEEKS_SHOWN = WEEKS
# "The entry is counted" with the states as SQL literals, not parameters: SQLite uses a
# partial index only when it sees, while planning, that the query's WHERE implies the
# index's, which it cannot through bound parameters (it then walked another index: 47 ms
# instead of 5 at 100,000 entries). The states are this module's constants, never input.
COUNTED_SQL = RawSQL(
    "state IN ({})".format(", ".join(f"'{state}'" for state in COUNTED_STATES)),
    (),
    output_field=BooleanField(),
)
RECENT_SHOWN = 12


def weekly_counts(
    entries: QuerySet | None, *, assignments: list, weeks: list, today: datetime.date
) -> list[tuple]:
    """(department id, count in week 0, …, count in week n) per department: counted
    entries on the given `assignments` by the date of the work, each week Monday to Sunday
    (the current one up to today). `entries` is the history's rows "as of" a day, or None
    for today's ledger.

    One GROUP BY over the charted days, in the order of the partial index
    `entry_counted_by_day` (happened_on, department, task, state; counted entries only): the
    database reads that index alone and counts as it goes, with no sort. At most days ×
    assignments rows come back whatever the ledger's size; here they are kept to the
    assignments' task × department pairs and bucketed into weeks. Only a department's own
    assignments count (an entry on a task it is no longer assigned to is not on the
    matrix), and that keeps the count to the plan's tasks too: doing both here spares the
    database a join per entry read (about 11,600 of them at 100,000 entries)."""
    first = weeks[0]
    pairs = {(a.department_id, a.task_id) for a in assignments}
    if entries is None:
        # Today's ledger: the day counts the database's triggers keep (ledger/rollups.py),
        # at most one row per pair and day whatever the number of entries.
        per_day = LedgerDayCount.objects.filter(day__gte=first, day__lte=today).values_list(
            "day", "department_id", "task_id", "counted"
        )
    else:
        per_day = (
            entries.filter(COUNTED_SQL, happened_on__gte=first, happened_on__lte=today)
            .order_by()
            .values_list("happened_on", "department_id", "task_id")
            # COUNT(*), not COUNT(id): the id is not in the index, and reading it would
            # send the database to the table for every entry instead of the index alone.
            .annotate(n=Count("*"))
        )
    by_department: dict[int, list] = {}
    for day, department_id, task_id, n in per_day:
        if (department_id, task_id) in pairs:
            counts = by_department.setdefault(department_id, [0] * len(weeks))
            counts[(day - first).days // 7] += n
    return [(department_id, *counts) for department_id, counts in by_department.items()]


def stored_weekly_counts(assignments: list) -> list[tuple]:
    """`weekly_counts` as of a day that is over, from what the assignments' rows read of
    the ledger as of that day (ledger/asof.py stores each pair's counts by week)."""
    by_department: dict[int, list] = {}
    for row in assignments:
        counts = by_department.setdefault(row.department_id, [0] * WEEKS_SHOWN)
        for n in range(WEEKS_SHOWN):
            counts[n] += getattr(row, f"week_{n}")
    return [
        (department_id, *counts) for department_id, counts in by_department.items() if any(counts)
    ]


def recent_activity(entries: QuerySet, *, assignments: list) -> list:
    """The latest RECENT_SHOWN submitted changes by the given assignments' departments on
    their tasks, newest first, with what the list shows formatted.

    The entries alone are read, without a join: their tasks and departments are the
    assignments', already loaded (a join's planning cost more than the query). On SQLite
    "+ 0"s keep it from driving the query by the task or department index (sorting every
    entry of those): it walks the updated_at index back and stops after RECENT_SHOWN rows.
    Not on PostgreSQL: they hid the statistics (61 ms at 200,000 entries instead of 0.3)."""
    tasks = {a.task_id: a.task for a in assignments}
    departments = {a.department_id: a.department for a in assignments}
    # As of a day, the newest changes are the history rows written last by then (each an
    # entry as it then stood, its updated_at within the moment it was written): walking
    # the history_date index back from that day stops after a few rows, where ordering by
    # updated_at sorted every row written before the day (0.56 s at 200,000 entries).
    newest = "-updated_at" if entries.model is LedgerEntry else "-history_date"
    if connection.vendor == "sqlite":
        entries = entries.alias(
            plain_task_id=ExpressionWrapper(F("task_id") + 0, output_field=IntegerField()),
            plain_department_id=ExpressionWrapper(
                F("department_id") + 0, output_field=IntegerField()
            ),
        ).filter(plain_task_id__in=list(tasks), plain_department_id__in=list(departments))
    elif entries.model is not LedgerEntry:
        # On PostgreSQL each pair's rows read back from the day (ledger/history.py).
        newest_rows = newest_per_assignment(
            entries.exclude(state=LedgerEntry.State.DRAFT), assignments, limit=RECENT_SHOWN
        )
        entries = entries.filter(history_id__in=newest_rows)
    else:
        entries = entries.filter(task_id__in=list(tasks), department_id__in=list(departments))
    recent = list(entries.exclude(state=LedgerEntry.State.DRAFT).order_by(newest)[:RECENT_SHOWN])
    # What the list shows, formatted here rather than by a filter chain per item.
    states = dict(LedgerEntry.State.choices)
    for entry in recent:
        entry.task = tasks[entry.task_id]
        entry.department = departments[entry.department_id]
        entry.url = reverse("ledger:entry", args=[entry.id])
        entry.when = f"{timezone.localtime(entry.updated_at):%Y-%m-%d %H:%M}"
        entry.summary_short = shortened(entry.summary, 60)
        entry.state_label = states[entry.state]
    return recent


@dataclass
class DepartmentFigures:
    code: str
    name: str
    assignments: int = 0
    done: int = 0
    overdue: int = 0
    on_time: int = 0
    decided: int = 0
    # When the department last filed (submitted) an entry, and the days since: counted
    # from the filing, not from the day of the work the entry is about.
    last_filed_at: datetime.datetime | None = None
    days_since: int | None = None

    @property
    def on_time_rate(self) -> float | None:
        """The share of decided assignments finished on time, or None if none is decided.

        An assignment counts only if its task has a date deadline (relative and recurring
        deadlines have no single date to be on time for). It is *decided* once it is done
        (its latest counted entry says done and the office accepted it), or its task's last
        date deadline has passed; it is *on time* if it is done by an entry whose date of
        work is on or before that deadline.
        So done late, and not done by the deadline (overdue or blocked), both count
        against the department; work still within its deadline counts neither way.
        """
        return self.on_time / self.decided if self.decided else None


@dataclass
class SectionFigures:
    id: int
    label: str
    assignments: int = 0
    done: int = 0
    tasks: list = field(default_factory=list)

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.assignments) if self.assignments else 0


@dataclass
class Dashboard:
    plan: Plan
    today: datetime.date
    as_of: datetime.date | None
    filterset: DashboardFilter
    columns: list
    sections: list
    departments: list
    headline: dict
    due_soon: list
    overdue: list
    recent: list
    status_chart: str
    weekly_chart: str
    # (department name, [count in each of `weeks`]) per matrix column: the chart's data.
    weekly: list
    weeks: list
    week: tuple


def dashboard(*, plan: Plan, params, today: datetime.date) -> Dashboard:
    """Everything the dashboard shows for `plan`, filtered by the GET `params`."""
    # Where the rows are read from depends on "as of", and whether the last change is read
    # on "changed since": both are read from the query string first. The whole filter form
    # is validated below, once the rows have given the department and section choices.
    as_of = filters.date_param(params, "as_of")
    changed_since = filters.date_param(params, "changed_since")
    # The ledger's rows: as they stood at the end of the "as of" day, or today's.
    history = entries_as_of(day=as_of) if as_of else None
    entries = LedgerEntry.objects.all() if history is None else history
    if as_of:
        today = as_of

    every_row = rows_with_lights(
        Assignment.objects.filter(task__plan=plan)
        .select_related(*code_related("task"), "department")
        .order_by("task__section__order", "task__order", "task_id", "order", "id"),
        today=today,
        as_of=as_of,
        last_change=changed_since is not None,
    )
    filterset = DashboardFilter(params or None, rows=every_row)
    rows = filterset.rows()

    weeks = charted_weeks(today)
    # The chart and the recent activity follow the department and section chosen, not
    # the status (entries have no light).
    in_place = filterset.rows(by_place_only=True)
    if as_of and hasattr(every_row[0] if every_row else None, "week_0"):
        # As of a day that is over, the rows read for the matrix carry the chart's counts.
        weekly = stored_weekly_counts(in_place)
    else:
        weekly = weekly_counts(history, assignments=in_place, weeks=weeks, today=today)
    recent = recent_activity(entries, assignments=in_place)
    return _assemble(
        plan=plan,
        today=today,
        as_of=as_of,
        filterset=filterset,
        rows=rows,
        weeks=weeks,
        weekly=weekly,
        recent=recent,
    )


def _assemble(*, plan, today, as_of, filterset, rows, weeks, weekly, recent):
    # Translated once per light, not once per cell by the template (the labels are lazy).
    labels = {light: str(label) for light, label in Light.LABELS.items()}
    for row in rows:
        row.label = labels[row.light]
        # The matrix cell's date, formatted here: hundreds of cells, one filter chain each
        # in the template was a good part of the page's rendering.
        row.date_label = f"{row.latest_on:%m-%d}" if row.latest_on else "—"
        if row.next_due:
            row.days_left = (row.next_due - today).days
        if row.final_due and row.final_due < today:
            row.days_late = (today - row.final_due).days
    # Working days left, on the due-soon list only: the administrator's holidays are read
    # (one query) only when the list has a row.
    due_soon = [row for row in rows if row.light == Light.DUE_SOON]
    if due_soon:
        calendar = HolidayCalendar().load(today, max(row.next_due for row in due_soon))
        for row in due_soon:
            row.workdays_left = workdays_between(today, row.next_due, calendar)

    # Columns of the matrix: the departments among the rows, in the bureau's order.
    present = {(row.department.order, row.department.code, row.department.name) for row in rows}
    columns = [(code, name) for _order, code, name in sorted(present)]
    column_index = {code: i for i, (code, _name) in enumerate(columns)}

    sections: dict[int, SectionFigures] = {}
    tasks: dict[int, dict] = {}
    for row in rows:
        section = row.task.section
        figures = sections.get(section.id)
        if figures is None:
            figures = sections[section.id] = SectionFigures(section.id, str(section))
        figures.assignments += 1
        figures.done += row.light == Light.DONE
        task = tasks.get(row.task_id)
        if task is None:
            task = tasks[row.task_id] = {
                "task": row.task,
                "title": shortened(row.task.title, 36),
                # One reverse() per task instead of a {% url %} per cell.
                "url": reverse("ledger:task", args=[row.task_id]),
                "cells": [None] * len(columns),
            }
            figures.tasks.append(task)
        task["cells"][column_index[row.department.code]] = row

    for task in tasks.values():
        task["cells_html"] = markup.matrix_cells(task["cells"], url=task["url"])

    by_department = {code: DepartmentFigures(code, name) for code, name in columns}
    for row in rows:
        figures = by_department[row.department.code]
        figures.assignments += 1
        figures.done += row.light == Light.DONE
        figures.overdue += row.light == Light.OVERDUE
        if row.final_due:
            done = row.light == Light.DONE
            if done or row.final_due < today:
                figures.decided += 1
                figures.on_time += done and row.latest_on <= row.final_due
        filed = row.last_filed_at
        if filed and (figures.last_filed_at is None or filed > figures.last_filed_at):
            figures.last_filed_at = filed
    for figures in by_department.values():
        if figures.last_filed_at:
            figures.days_since = (today - timezone.localdate(figures.last_filed_at)).days

    code_of = {row.department_id: row.department.code for row in rows}
    series: dict[str, list] = defaultdict(lambda: [0] * len(weeks))
    for department_id, *counts in weekly:
        code = code_of.get(department_id)
        if code is not None:
            series[code] = [a + b for a, b in zip(series[code], counts, strict=True)]
    this_week = sum(counts[-1] for counts in series.values())

    weekly_series = [(name, series[code]) for code, name in columns]
    counts = {light: sum(row.light == light for row in rows) for light in Light.ORDER}
    headline = {
        "tasks": len(tasks),
        "assignments": len(rows),
        **counts,
        "entries_this_week": this_week,
    }
    return Dashboard(
        plan=plan,
        today=today,
        as_of=as_of,
        filterset=filterset,
        columns=columns,
        sections=list(sections.values()),
        departments=list(by_department.values()),
        headline=headline,
        due_soon=sorted(due_soon, key=lambda r: (r.next_due, r.id)),
        overdue=sorted(
            (r for r in rows if r.light == Light.OVERDUE), key=lambda r: (r.final_due, r.id)
        ),
        recent=recent,
        status_chart=charts.status_split(
            [(Light.LABELS[light], counts[light], light) for light in Light.ORDER]
        ),
        weekly_chart=charts.weekly_entries(weeks=weeks, series=weekly_series),
        weekly=weekly_series,
        weeks=weeks,
        week=(weeks[-1], weeks[-1] + datetime.timedelta(days=6)),
    )
