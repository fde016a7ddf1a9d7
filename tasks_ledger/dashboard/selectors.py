"""Reads for the bureau office's dashboard, in a fixed number of queries whatever the size
of the ledger.

The page costs five queries of its own (plus the session, user and membership reads every
signed-in page makes):
  1. the plan;
  2. the departments and sections that have assignments (the filter choices);
  3. the assignments with their status light and last change (the matrix), filtered;
  4. counted entries per assignment in each of the last WEEKS_SHOWN weeks ("this week",
     the chart);
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

from django.db.models import (
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

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


def weekly_counts(assignments: QuerySet, *, entries: QuerySet, weeks: list, today) -> QuerySet:
    """(department id, count in week 0, …, count in week n) per assignment: counted entries
    by the date of the work, each week Monday to Sunday (the current one up to today).
    Each count is a range scan of the (task, department, happened_on) index, so the cost
    follows the entries in those weeks, not the whole ledger."""
    counts = {}
    for i, monday in enumerate(weeks):
        in_week = (
            entries.filter(
                task=OuterRef("task"),
                department=OuterRef("department"),
                state__in=COUNTED_STATES,
                happened_on__gte=monday,
                happened_on__lte=min(monday + datetime.timedelta(days=6), today),
            )
            .order_by()
            .values("task")
            .annotate(n=Count("id"))
            .values("n")
        )
        counts[f"week_{i}"] = Coalesce(Subquery(in_week, output_field=IntegerField()), 0)
    return assignments.annotate(**counts).values_list("department_id", *counts).order_by()


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
    assigned = Assignment.objects.filter(task__plan=plan)
    scoped = entries
    if cleaned.get("department"):
        assigned = assigned.filter(department__code=cleaned["department"])
        scoped = scoped.filter(department__code=cleaned["department"])
    if cleaned.get("section"):
        assigned = assigned.filter(task__section_id=cleaned["section"])
        scoped = scoped.filter(task__section_id=cleaned["section"])
    weekly = list(weekly_counts(assigned, entries=entries, weeks=weeks, today=today))
    recent = list(
        scoped.alias(
            # "+ 0" keeps SQLite from driving this query by the task index, which would
            # sort every entry of the plan; so it walks the updated_at index backwards and
            # stops after RECENT_SHOWN rows. PostgreSQL plans it by cost either way.
            plain_task_id=ExpressionWrapper(F("task_id") + 0, output_field=IntegerField())
        )
        .filter(plain_task_id__in=Task.objects.filter(plan=plan).values("id"))
        .exclude(state=LedgerEntry.State.DRAFT)
        .select_related("task__section", "task__parent__section", "department", "author")
        .order_by("-updated_at")[:RECENT_SHOWN]
    )
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
    for row in rows:
        row.label = Light.LABELS[row.light]
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
            task = tasks[row.task_id] = {"task": row.task, "cells": [None] * len(columns)}
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
        weekly_chart=charts.weekly_entries(
            weeks=weeks,
            series=[(name, series[code]) for code, name in columns],
        ),
        week=(weeks[-1], weeks[-1] + datetime.timedelta(days=6)),
    )
