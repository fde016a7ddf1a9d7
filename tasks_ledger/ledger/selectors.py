"""Reads of the ledger, scoped to the user asking.

Visibility (the one place the rule lives; views and the API ask here):
  - a department's own people (staff, head) see every entry of their department;
  - other departments' people see only what a department has put its name to: submitted
    and accepted entries (drafts and returned entries are the department's own business);
  - the office (reviewers, administrators) sees submitted, accepted and returned entries of
    every department, but not drafts: a draft is not yet anyone's word but its department's;
  - anyone without a place in the bureau sees nothing.
So a lookup through `entries_visible_to` is a 404 by construction for what one may not see;
`can_edit_entry` and friends then decide between a form and a 403.

A return is between the department and the office: other departments never read a return
reason, nor a version the office returned, even once the entry is resubmitted
(`sees_review_notes`, and `ledger/changes.entry_history` shows them only what stands
submitted now).
"""

import datetime

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    TextField,
)
from django.http import Http404

from departments.access import department_of, is_head, is_office, role_of
from departments.people import display_name_expression
from disclosure.storage import open_stored
from tasks_ledger.ledger.lights import Correlated, rows_with_lights
from tasks_ledger.ledger.models import COUNTED_STATES, EDITABLE_STATES, Evidence, LedgerEntry
from tasks_ledger.plan.models import Assignment, Deadline, Plan, Task, code_related

# The office reads what was submitted to it, and what it returned.
OFFICE_STATES = (*COUNTED_STATES, LedgerEntry.State.RETURNED)


def entries_visible_to(*, user) -> QuerySet:
    """Every ledger entry `user` may read (see the module docstring for the rule)."""
    entries = LedgerEntry.objects.all()
    if role_of(user) is None:
        return entries.none()
    visible = Q(state__in=COUNTED_STATES)
    if is_office(user):
        visible = Q(state__in=OFFICE_STATES)
    department = department_of(user)
    if department is not None:
        visible |= Q(department=department)
    return entries.filter(visible)


def entry_for_user(*, user, pk, task_code: bool = True) -> LedgerEntry:
    """The entry `pk` with its task, department and author loaded (the task left to be read
    when used with `task_code=False`: the API names it by id); Http404 when `user` may not
    see it (whether or not it exists, so existence does not leak)."""
    entries = entries_visible_to(user=user)
    entries = entries.with_related() if task_code else entries.with_people()
    try:
        return entries.get(pk=pk)
    except (LedgerEntry.DoesNotExist, ValueError, TypeError):
        raise Http404("No such ledger entry") from None


def evidence_for_user(*, user, pk) -> Evidence:
    """One piece of evidence whose entry `user` may see, else Http404."""
    try:
        return Evidence.objects.select_related("entry__department").get(
            pk=pk, entry__in=entries_visible_to(user=user)
        )
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404("No such evidence") from None


def evidence_file_open(*, user, pk) -> tuple[Evidence, object]:
    """An evidence file whose entry `user` may see, opened for reading (the caller hands the
    handle to the response, which closes it), with its row; else Http404, also when the
    evidence is not a file or its file is gone from the store (disclosure/storage.py: a
    store that fails is its StoreUnavailable)."""
    evidence = evidence_for_user(user=user, pk=pk)
    if evidence.kind != Evidence.Kind.FILE or not evidence.file:
        raise Http404("No file")
    return evidence, open_stored(evidence.file)


def sees_review_notes(*, user, entry: LedgerEntry) -> bool:
    """Whether `user` may read `entry`'s return reason and its returned versions: its own
    department and the office, who returned it."""
    if is_office(user):
        return True
    own = department_of(user)
    return own is not None and own.pk == entry.department_id


def may_write_for(*, user, department) -> bool:
    """Only a department's own staff and head write its ledger; the office never does."""
    own = department_of(user)
    return own is not None and department is not None and own.pk == department.pk


def can_edit_entry(*, user, entry: LedgerEntry) -> bool:
    """A draft or a returned entry may be corrected by its department's people."""
    return may_write_for(user=user, department=entry.department) and entry.state in EDITABLE_STATES


def can_submit_entry(*, user, entry: LedgerEntry) -> bool:
    """The head submits for the department; staff too where the department allows it."""
    if entry.state not in EDITABLE_STATES:
        return False
    return may_submit_for(user=user, department=entry.department)


def may_submit_for(*, user, department) -> bool:
    """Whether `user` may submit `department`'s entries (before any entry exists)."""
    if not may_write_for(user=user, department=department):
        return False
    return is_head(user) or department.staff_may_submit


def can_review_entry(*, user, entry: LedgerEntry) -> bool:
    """The office accepts or returns what a department submitted."""
    return is_office(user) and entry.state == LedgerEntry.State.SUBMITTED


def can_create_entry(*, user, task: Task, assigned: bool) -> bool:
    """`assigned`: whether the user's department is assigned to `task` (the caller knows it
    from the assignments it already loaded, so this costs no query)."""
    return department_of(user) is not None and assigned


def department_tasks(*, user, plan: Plan | None, today: datetime.date) -> list[Assignment]:
    """The /ledger/ page: the assignments of the user's department in `plan` (all
    departments' for the office), each with its status light, its latest entry
    (`latest_entry_id`, `latest_entry_at`, `latest_entry_summary`, `latest_entry_state`)
    and its task's deadlines. Two queries whatever the size: the assignments with every
    annotation (the light's inputs from the rollups, `lights.rows_with_lights`), and the
    deadlines of their tasks."""
    if plan is None or role_of(user) is None:
        return []
    assignments = Assignment.objects.filter(task__plan=plan)
    department = department_of(user)
    if department is not None:
        # The department's own ledger: drafts count here ("last written 3 days ago").
        assignments = assignments.filter(department=department)
        states = ()
    elif is_office(user):
        # The office's "latest" is of what it may read, so drafts do not show through.
        states = OFFICE_STATES
    else:
        return []
    assignments = (
        assignments.annotate(**_latest_entry(states))
        .select_related(*code_related("task"), "department")
        .prefetch_related(
            Prefetch("task__deadlines", queryset=Deadline.objects.order_by("order", "id"))
        )
        .order_by("task__section__order", "task__order", "task__id", "department__order")
    )
    return rows_with_lights(assignments, today=today)


def _latest_entry(states: tuple) -> dict:
    """`latest_entry_id`, `_at`, `_summary` and `_state`: of the entry the department
    changed last on the task (of `states` only, when given). SQL text correlated with the
    assignment, as the lights' inputs are (ledger/lights.py): built as four ORM subqueries
    they took a fifth of the ledger page's time to compile."""
    where = "e.task_id = {task} AND e.department_id = {department}"
    if states:
        where += f" AND e.state IN ({', '.join(['%s'] * len(states))})"
    table = connection.ops.quote_name(LedgerEntry._meta.db_table)
    latest = f"FROM {table} e WHERE {where} ORDER BY e.updated_at DESC, e.id DESC LIMIT 1"
    columns = {
        "id": ("id", IntegerField()),
        "at": ("updated_at", DateTimeField()),
        "summary": ("summary", TextField()),
        "state": ("state", CharField()),
    }
    return {
        f"latest_entry_{name}": Correlated(f"SELECT e.{col} {latest}", states, output_field=field)
        for name, (col, field) in columns.items()
    }


def task_for_user(*, user, pk) -> Task:
    """A task of any plan, for any member of the bureau (the plan is not secret inside it);
    Http404 for anyone else or an unknown pk."""
    if role_of(user) is None:
        raise Http404("No such task")
    try:
        return Task.objects.select_related("plan", "section", "parent__section").get(pk=pk)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404("No such task") from None


def task_assignments(*, task: Task, today: datetime.date) -> list[Assignment]:
    """Every department assigned to `task`, with its role and status light (one query)."""
    return rows_with_lights(
        Assignment.objects.filter(task=task).select_related("department").order_by("order", "id"),
        today=today,
    )


def task_deadlines(*, task: Task, today: datetime.date) -> list[Deadline]:
    """The task's deadlines, each date deadline with `days_left` (negative when past)."""
    deadlines = list(task.deadlines.order_by("order", "id"))
    for deadline in deadlines:
        deadline.days_left = (deadline.due - today).days if deadline.due else None
    return deadlines


def task_timeline(*, user, task: Task, number, per_page: int) -> Page:
    """Page `number` (as asked: Paginator.get_page's tolerance) of the ledger of `task`
    across departments, as far as `user` may see it, newest work first: a row (a dict) per
    entry with what the timeline shows (ledger/markup.py), its department's and author's
    names read with it; the evidence of a page's rows is `evidence_by_entry`'s. Rows, not
    entries: a page of thirty entries with their department, author and membership made a
    hundred and twenty model instances, a third of the task page's time. The pages are
    counted on the entries alone: the rows' own count would build and run their joins
    (a third of the timeline's time) for the same number, as every entry has a department
    and an author."""
    entries = entries_visible_to(user=user).filter(task=task)
    rows = entries.order_by("-happened_on", "-id").values(
        "id",
        "state",
        "status",
        "happened_on",
        "summary",
        department_name=F("department__name"),
        author_name=display_name_expression("author"),
    )
    paginator = Paginator(rows, per_page)
    paginator.count = entries.count()  # Paginator.count is a cached_property: this is its value
    page = paginator.get_page(number)
    page.object_list = list(page.object_list)
    return page


def evidence_by_entry(entry_ids) -> dict[int, list[Evidence]]:
    """The evidence of each of `entry_ids`, in the order it was added (one query)."""
    found = {pk: [] for pk in entry_ids}
    for evidence in Evidence.objects.filter(entry_id__in=entry_ids).order_by("id"):
        found[evidence.entry_id].append(evidence)
    return found


def entry_evidence(*, entry: LedgerEntry) -> list[Evidence]:
    return list(entry.evidence.order_by("id"))


def awaiting_review(*, plan: Plan | None, department=None) -> QuerySet:
    """The office's queue: `plan`'s entries submitted and not yet accepted or returned, the
    longest waiting first (optionally one department's), with what the queue shows loaded
    and `evidence_count` annotated."""
    if plan is None:
        return LedgerEntry.objects.none()
    entries = LedgerEntry.objects.filter(task__plan=plan, state=LedgerEntry.State.SUBMITTED)
    if department is not None:
        entries = entries.filter(department=department)
    return entries.with_related().with_evidence_count().order_by("submitted_at", "id")


def awaiting_review_by_department(*, plan: Plan | None) -> list[tuple[str, str, int]]:
    """(department code, name, entries waiting) for every department with any, in the
    bureau's order: one GROUP BY."""
    if plan is None:
        return []
    rows = (
        LedgerEntry.objects.filter(task__plan=plan, state=LedgerEntry.State.SUBMITTED)
        .order_by("department__order", "department__code")
        .values_list("department__code", "department__name")
        .annotate(n=Count("*"))
    )
    return list(rows)
