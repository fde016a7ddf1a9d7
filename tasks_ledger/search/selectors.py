"""Search across the plan and the ledger, for /search/?q=…: one selector, two databases.

What is searched: a task's number, title and text; an entry's summary, problems and next
steps; its evidence's 文号, note (a link's title) and file name; its department's name.
Results are grouped by task: a task is found when its own text matches or when one of the
entries the user may read matches (only those: `entries_visible_to`, the ledger's rule).

Chinese needs no word segmentation: every match is a substring match (`icontains`).
  - PostgreSQL serves it from GIN trigram indexes (pg_trgm) on UPPER(column::text), the
    expression Django writes for `icontains` (migration search.0001).
  - SQLite serves the entries' own text from an FTS5 table with the trigram tokenizer,
    kept in step by triggers (same migration).
Trigrams need three characters: a query of one or two characters (公开, 文号) cannot use
either index, so it is the same `icontains` scanning the rows. It is correct, only slower.
"""

import dataclasses
import datetime

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, Count, F, Func, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from departments.access import role_of
from departments.models import Department
from tasks_ledger.ledger.models import Evidence
from tasks_ledger.ledger.selectors import entries_visible_to
from tasks_ledger.plan.models import Task

MAX_QUERY_LENGTH = 100
TASKS_PER_PAGE = 20
# Entries shown under each task; the rest are counted ("and 12 more").
ENTRIES_PER_TASK = 5
TRIGRAM = 3


@dataclasses.dataclass(frozen=True)
class SearchFilters:
    q: str = ""
    state: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    @property
    def narrows_entries(self) -> bool:
        """A state or a date is of entries: with one, tasks found by their text alone go."""
        return bool(self.state or self.date_from or self.date_to)


class _AnyOf(Func):
    """`column IN (subquery)`, written `column = ANY(ARRAY(subquery))` on PostgreSQL: there
    the subquery runs once, first, and its ids become an index condition the planner can
    OR with the trigram indexes (a BitmapOr); `IN (subquery)` inside an OR cannot be, and
    turns the whole search into a scan of every entry."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, subquery: QuerySet):
        super().__init__(F(column), Subquery(subquery))

    def as_sql(self, compiler, connection, **extra_context):
        column, column_params = compiler.compile(self.source_expressions[0])
        subquery, subquery_params = compiler.compile(self.source_expressions[1])
        if connection.vendor == "postgresql":
            return f"{column} = ANY(ARRAY{subquery})", (*column_params, *subquery_params)
        return f"{column} IN {subquery}", (*column_params, *subquery_params)


def _fts_phrase(q: str) -> str:
    # An FTS5 string: double quotes around, inner quotes doubled; nothing else is special
    # inside one, so %, _, *, ( and the like are searched as written.
    return '"' + q.replace('"', '""') + '"'


def _entry_text_match(q: str) -> Q:
    if connection.vendor == "sqlite" and len(q) >= TRIGRAM:
        return Q(
            pk__in=RawSQL(
                "SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s",
                (_fts_phrase(q),),
            )
        )
    return Q(summary__icontains=q) | Q(problems__icontains=q) | Q(next_steps__icontains=q)


def _entry_match(q: str, departments: list[int]) -> Q:
    """An entry matches by its own text, its evidence or its department's name: each a
    condition on an index of the entries' table, so that they combine without a scan."""
    evidence = Evidence.objects.filter(
        Q(doc_number__icontains=q) | Q(note__icontains=q) | Q(filename__icontains=q)
    ).values("entry_id")
    match = _entry_text_match(q) | Q(_AnyOf("id", evidence))
    if departments:
        match |= Q(department_id__in=departments)
    return match


def departments_named(q: str) -> list[int]:
    """The departments whose name contains `q`. Asked first, on its own (a handful of rows):
    as a subquery the planner cannot know how many it finds, guesses most of the entries,
    and scans them all."""
    return list(Department.objects.filter(name__icontains=q).values_list("id", flat=True))


def _task_match(q: str) -> Q:
    return Q(title__icontains=q) | Q(body__icontains=q) | Q(number=q)


def matching_entries(*, user, filters: SearchFilters, departments=None) -> QuerySet:
    """The entries `user` may read that match `filters` (query, state, date range);
    `departments`: departments_named(filters.q), when the caller has it already."""
    if departments is None:
        departments = departments_named(filters.q)
    entries = entries_visible_to(user=user).filter(_entry_match(filters.q, departments))
    if filters.state:
        entries = entries.filter(state=filters.state)
    if filters.date_from:
        entries = entries.filter(happened_on__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(happened_on__lte=filters.date_to)
    return entries


def search(*, user, filters: SearchFilters, page_number=1):
    """A page of tasks found for `filters`, or None when there is nothing to search for.

    Each task on the page carries `entry_hits` (how many matching entries it has),
    `task_hit` (whether its own text matches) and `hits`: up to ENTRIES_PER_TASK matching
    entries, newest first, with their department, author and evidence. Five queries
    whatever the size: the departments named, the count of tasks, the page of tasks, its
    entries (numbered and counted per task by window functions), their evidence.
    """
    q = filters.q.strip()[:MAX_QUERY_LENGTH]
    if not q or role_of(user) is None:
        return None
    filters = dataclasses.replace(filters, q=q)
    departments = departments_named(q)
    entries = matching_entries(user=user, filters=filters, departments=departments)
    found_by_entries = Q(pk__in=entries.values("task_id"))
    found = found_by_entries if filters.narrows_entries else found_by_entries | _task_match(q)
    tasks = (
        Task.objects.filter(found)
        .select_related("plan", "section", "parent__section")
        .order_by("-plan__year", "section__order", "order", "id")
    )
    page = Paginator(tasks, TASKS_PER_PAGE).get_page(page_number)
    task_ids = [task.pk for task in page]
    per_task = {"partition_by": F("task_id")}
    shown = (
        entries.filter(task_id__in=task_ids)
        .annotate(
            rank=Window(RowNumber(), order_by=[F("happened_on").desc(), "-id"], **per_task),
            task_hits=Window(Count("id"), **per_task),
        )
        .filter(rank__lte=ENTRIES_PER_TASK)
        .select_related("department", "author")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("task_id", "rank")
    )
    by_task: dict[int, list] = {pk: [] for pk in task_ids}
    if task_ids:
        for entry in shown:
            by_task[entry.task_id].append(entry)
    needle = q.casefold()
    for task in page:
        task.hits = by_task[task.pk]
        task.entry_hits = task.hits[0].task_hits if task.hits else 0
        task.task_hit = needle in f"{task.title}\n{task.body}".casefold() or task.number == q
    return page
