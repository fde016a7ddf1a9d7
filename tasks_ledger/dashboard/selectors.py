"""Reads for the bureau office's dashboard, in a fixed number of queries whatever the size
of the ledger.

The page costs five queries of its own (plus the session, user and membership reads every
signed-in page makes):
  1. the plan;
  2. the departments and sections that have assignments (the filter choices);
  3. the assignments with their status light and last change (the matrix), filtered;
  4. counted entries per department and day over the last WEEKS_SHOWN weeks ("this
     week", the chart), one GROUP BY bucketed into weeks in Python;
  5. the latest changes (recent activity).
Queries 3 to 5 are where the ledger's size lies, and they aggregate in the database. The
per-department and per-section figures are then counted from query 3's rows in Python:
those rows number the plan's assignments (dozens), not the ledger's entries, and are
already loaded for the matrix, so counting them again in SQL would only add queries.

With `as_of`, every ledger read uses `asof.entries_as_of(day=as_of)` instead of today's
rows, and "today" becomes that day: the page is the dashboard as it stood then.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.urls import reverse

from tasks_ledger.clocks.workdays import is_workday
from tasks_ledger.dashboard import charts
from tasks_ledger.dashboard.asof import entries_as_of
from tasks_ledger.dashboard.filters import DashboardFilter
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.ledger.status import COUNTED_STATES, Light, with_status
from tasks_ledger.plan.models import Assignment, Plan, Task

WEEKS_SHOWN = 8
RECENT_SHOWN = 12


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of `day`'s week: Chinese offices count weeks from Monday."""
    return day - datetime.timedelta(days=day.weekday())


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days (China's calendar) after `start`, up to and including `end`."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_workday(day)[0]
    return count


def filter_choices(*, plan: Plan) -> tuple[list, list]:
    """(department choices, section choices) of the plan's assignments: one query."""
    rows = (
        Assignment.objects.filter(task__plan=plan)
        .values_list(
            "department__order",
            "department__code",
            "department__name",
            "task__section__order",
            "task__section_id",
            "task__section__number",
            "task__section__title",
        )
        .distinct()
    )
    departments, sections = set(), set()
    for d_order, code, name, s_order, s_id, number, title in rows:
        departments.add((d_order, code, name))
        sections.add((s_order, s_id, f"{number}、{title}"))
    return (
        [(code, name) for _o, code, name in sorted(departments)],
        # Choice values are strings, as they come in the URL.
        [(str(s_id), label) for _o, s_id, label in sorted(sections)],
    )


def with_last_change(assignments: QuerySet, *, entries: QuerySet) -> QuerySet:
    """Annotate `last_change`: when the department last changed its ledger on the task.
    Drafts are the department's own business until submitted, so they do not count."""
    latest = (
        entries.filter(task=OuterRef("task"), department=OuterRef("department"))
        .exclude(state=LedgerEntry.State.DRAFT)
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )
    return assignments.annotate(last_change=Subquery(latest, output_field=DateTimeField()))


def weekly_counts(
    entries: QuerySet, *, plan: Plan, weeks: list, today: datetime.date
) -> list[tuple]:
    """(department id, count in week 0, …, count in week n) per department: counted
    entries on the plan's assignments by the date of the work, each week Monday to Sunday
    (the current one up to today).

    One GROUP BY (department, day) over the charted days, bucketed into weeks here: at most
    days × departments rows whatever the ledger's size. It reads the entries of those weeks
    once, by the `entry_counted_by_day` index (happened_on, state, department, task), instead
    of one correlated count per assignment and week (which cost little SQL but a lot of
    Python to build and compile, eight subqueries per query)."""
    first = weeks[0]
    per_day = (
        entries.filter(
            task__plan=plan,
            state__in=COUNTED_STATES,
            happened_on__gte=first,
            happened_on__lte=today,
        )
        # Only the department's own assignments count (an entry on a task the department
        # is no longer assigned to is not on the matrix).
        .filter(
            Exists(
                Assignment.objects.filter(task=OuterRef("task"), department=OuterRef("department"))
            )
        )
        .order_by()
        .values_list("department_id", "happened_on")
        # COUNT(*), not COUNT(id): the id is not in the index, and reading it would send
        # PostgreSQL to the table for every entry instead of an index-only scan.
        .annotate(n=Count("*"))
    )
    by_department: dict[int, list] = {}
    for department_id, day, n in per_day:
        counts = by_department.setdefault(department_id, [0] * len(weeks))
        counts[(day - first).days // 7] += n
    return [(department_id, *counts) for department_id, counts in by_department.items()]


def recent_activity(entries: QuerySet, *, plan: Plan) -> list:
    """The latest RECENT_SHOWN submitted changes to the plan's ledger, newest first, with
    what the list shows (task code, department) loaded. Authors are not shown, so not
    joined: on PostgreSQL, planning this query costs more than running it, and each join
    adds to the planner's search."""
    if connection.vendor == "sqlite":
        # "+ 0" keeps SQLite from driving this query by the task index, which would sort
        # every entry of the plan; so it walks the updated_at index backwards and stops
        # after RECENT_SHOWN rows.
        entries = entries.alias(
            plain_task_id=ExpressionWrapper(F("task_id") + 0, output_field=IntegerField())
        ).filter(plain_task_id__in=Task.objects.filter(plan=plan).values("id"))
    else:
        # PostgreSQL walks the updated_at index by cost either way; the plain filter reuses
        # the join to the task that select_related makes, where the "+ 0" semi-join added
        # one more relation and tripled the planning time (3 ms → 10 ms at 10,000 entries).
        entries = entries.filter(task__plan=plan)
    return list(
        entries.exclude(state=LedgerEntry.State.DRAFT)
        .select_related("task__section", "task__parent__section", "department")
        .order_by("-updated_at")[:RECENT_SHOWN]
    )


@dataclass
class DepartmentFigures:
    code: str
    name: str
    assignments: int = 0
    done: int = 0
    overdue: int = 0
    on_time: int = 0
    decided: int = 0
    last_entry: datetime.date | None = None
    days_since: int | None = None

    @property
    def on_time_rate(self) -> float | None:
        """The share of decided assignments finished on time, or None if none is decided.

        An assignment counts only if its task has a date deadline (relative and recurring
        deadlines have no single date to be on time for). It is *decided* once its latest
        counted entry says done, or its task's last date deadline has passed; it is *on
        time* if it is done by an entry whose date of work is on or before that deadline.
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
    departments, sections = filter_choices(plan=plan)
    filterset = DashboardFilter(
        params or None,
        queryset=Assignment.objects.none(),
        departments=departments,
        sections=sections,
    )
    cleaned = {}
    if filterset.is_bound:
        # An invalid field is left out of cleaned_data (and shown by the form); the valid
        # ones still apply.
        filterset.is_valid()
        cleaned = filterset.form.cleaned_data
    as_of = cleaned.get("as_of")
    if as_of:
        today = as_of
        entries = entries_as_of(day=as_of)
    else:
        entries = LedgerEntry.objects.all()

    matrix = with_status(
        Assignment.objects.filter(task__plan=plan)
        .select_related("task__section", "task__parent__section", "department")
        .order_by("task__section__order", "task__order", "task_id", "order", "id"),
        today=today,
        entries=entries,
    )
    if cleaned.get("changed_since"):
        # Only the "changed since" filter reads it: no need to pay for it otherwise.
        matrix = with_last_change(matrix, entries=entries)
    filterset.queryset = matrix
    rows = list(filterset.qs)

    weeks = [week_start(today) - datetime.timedelta(weeks=i) for i in range(WEEKS_SHOWN)][::-1]
    scoped = entries
    if cleaned.get("department"):
        scoped = scoped.filter(department__code=cleaned["department"])
    if cleaned.get("section"):
        scoped = scoped.filter(task__section_id=cleaned["section"])
    weekly = weekly_counts(scoped, plan=plan, weeks=weeks, today=today)
    recent = recent_activity(scoped, plan=plan)
    return _assemble(
        plan=plan,
        today=today,
        as_of=as_of,
        filterset=filterset,
        rows=rows,
        weeks=weeks,
        weekly=weekly,
        recent=recent,
        department_names=dict(departments),
    )


def _assemble(*, plan, today, as_of, filterset, rows, weeks, weekly, recent, department_names):
    # Translated once per light, not once per cell by the template (the labels are lazy).
    labels = {light: str(label) for light, label in Light.LABELS.items()}
    for row in rows:
        row.label = labels[row.light]
        # The matrix cell's date, formatted here: hundreds of cells, one filter chain each
        # in the template was a good part of the page's rendering.
        row.date_label = f"{row.latest_on:%m-%d}" if row.latest_on else "—"
        if row.next_due:
            row.days_left = (row.next_due - today).days
            row.workdays_left = workdays_between(today, row.next_due)
        if row.final_due and row.final_due < today:
            row.days_late = (today - row.final_due).days

    # Columns of the matrix: the departments among the rows, in the bureau's order.
    present = {row.department.code for row in rows}
    columns = [(code, name) for code, name in department_names.items() if code in present]
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
                # One reverse() per task instead of a {% url %} per cell.
                "url": reverse("ledger:task", args=[row.task_id]),
                "cells": [None] * len(columns),
            }
            figures.tasks.append(task)
        task["cells"][column_index[row.department.code]] = row

    by_department = {code: DepartmentFigures(code, name) for code, name in columns}
    for row in rows:
        figures = by_department[row.department.code]
        figures.assignments += 1
        figures.done += row.light == Light.DONE
        figures.overdue += row.light == Light.OVERDUE
        if row.final_due:
            done = row.latest_status == LedgerEntry.Status.DONE
            if done or row.final_due < today:
                figures.decided += 1
                figures.on_time += done and row.latest_on <= row.final_due
        if row.latest_on and (figures.last_entry is None or row.latest_on > figures.last_entry):
            figures.last_entry = row.latest_on
    for figures in by_department.values():
        if figures.last_entry:
            figures.days_since = (today - figures.last_entry).days

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
        due_soon=sorted(
            (r for r in rows if r.light == Light.DUE_SOON), key=lambda r: (r.next_due, r.id)
        ),
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
