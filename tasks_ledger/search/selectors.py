"""Search across the plan and the ledger, for /search/?q=…: one selector, two databases.

What is searched: a task's number, title and text; an entry's summary, problems and next
steps; its evidence's 文号, note (a link's title) and file name; its department's name.
Results are grouped by task: a task is found when its own text matches or when one of the
entries the user may read matches (only those: `entries_visible_to`, the ledger's rule).

Chinese needs no word segmentation: every match is a substring match, any case.
  - PostgreSQL: each entry carries its text and its evidence's in one column kept by
    triggers, `search_text` (migration search.0002), with two GIN indexes: trigrams
    (pg_trgm) for a query of three characters or more, and the text's single characters
    and pairs (`search_grams`) for one or two (公开, 文号), which trigrams cannot serve.
  - SQLite: an FTS5 table with the trigram tokenizer over the entries' own text, kept by
    triggers (migration search.0001), and `icontains` on the evidence. FTS5's trigrams
    cannot serve one or two characters either: those are `icontains` scanning the rows,
    correct and slower (benchmarks/README.md has the figures). SQLite is for development
    and small installations; a large ledger runs on PostgreSQL.
A page shows TASKS_PER_PAGE tasks; under each, its ENTRIES_PER_TASK newest matches and
how many there are, counted up to MAX_COUNTED ("100+"): a common word matches most of
the ledger, and counting or ordering all of it is what made a search slow. So on
PostgreSQL many matches are read task by task (search.per_task), never all of them.
"""

import dataclasses
import datetime

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL

from departments.access import role_of
from departments.models import Department
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.ledger.selectors import entries_visible_to
from tasks_ledger.plan.models import Task
from tasks_ledger.search import per_task
from tasks_ledger.search.per_task import (
    estimated_rows,
    in_tasks_by_pairs,
    newest_per_task,
    walk_tasks,
)

MAX_QUERY_LENGTH = 100
TASKS_PER_PAGE = 20
# Entries shown under each task, newest first; the rest are counted ("and 12 more").
ENTRIES_PER_TASK = 5
# Up to this many matches in all, they are read at once and grouped here; beyond it, each
# task's newest are read from an index (`newest_per_task`).
ALL_MATCHES = 2000
# PostgreSQL: above this many matches (the planner's estimate) the first matches are not
# read: each task's newest entries are walked instead (search.per_task).
WALK_ABOVE = 10_000
# Matches counted per task: beyond it the page says "100+". Counting every match of a
# common word is what cost most; no reader needs the exact figure beyond a hundred.
MAX_COUNTED = 100
TRIGRAM = 3
# A word of one or two characters in this share of the entries or more is matched with
# LIKE, walking each task's newest entries; a rarer one from the index of pairs. Below it
# a walk reads too many rows before it has a task's newest matches; above it the index
# hands over too many rows to sort (benchmarks/README.md).
COMMON_SHARE = 0.03


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


class _SearchTextMatches(Func):
    """The entry's `search_text` (PostgreSQL, migration search.0002) contains `q`, any
    case, written so that the right index can serve it: three characters or more, the
    trigram index (`LIKE`); one or two, the index of characters and pairs (`@>`), unless
    `common`. Either index finds the rows, but where a task's entries are walked newest
    first (a common word: a few rows each) the condition is tested on each row, and
    `search_grams` costs about 0.3 ms a row where `LIKE` costs 2 µs. The column is not a
    model field: it is found next to the entry's id, under whatever alias the query gives
    the table (a subquery renames it)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, q: str, *, common: bool):
        super().__init__(F("id"))
        self.q, self.common = q, common

    def as_sql(self, compiler, connection, **extra_context):
        id_column, params = compiler.compile(self.source_expressions[0])
        text = id_column.removesuffix('"id"') + '"search_text"'
        if len(self.q) >= TRIGRAM or self.common:
            pattern = f"%{connection.ops.prep_for_like_query(self.q)}%"
            return f"UPPER({text}) LIKE UPPER(%s)", (*params, pattern)
        return f"search_grams({text}) @> ARRAY[%s]::text[]", (*params, self.q.lower())


def short_word_is_common(q: str) -> bool:
    """Whether a query of one or two characters is in COMMON_SHARE of the entries or more,
    by the statistics ANALYZE keeps of the pairs index (its most common elements and their
    shares; a rarer element is not listed). PostgreSQL only; one small query."""
    if connection.vendor != "postgresql" or len(q) >= TRIGRAM:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elem_freqs[array_position(most_common_elems::text::text[], %s)]"
            " FROM pg_stats WHERE tablename = 'search_entry_text_grams'",
            [q.lower()],
        )
        row = cursor.fetchone()
    return bool(row and row[0] is not None and row[0] >= COMMON_SHARE)


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
        return f"{column} IN {subquery}", (*column_params, *subquery_params)


def _fts_phrase(q: str) -> str:
    # An FTS5 string: double quotes around, inner quotes doubled; nothing else is special
    # inside one, so %, _, *, ( and the like are searched as written.
    return '"' + q.replace('"', '""') + '"'


def _entry_text_match(q: str) -> Q:
    """Other databases than PostgreSQL: the entry's own text or its evidence's."""
    if connection.vendor == "sqlite" and len(q) >= TRIGRAM:
        own = Q(
            pk__in=RawSQL(
                "SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s",
                (_fts_phrase(q),),
            )
        )
    else:
        own = Q(summary__icontains=q) | Q(problems__icontains=q) | Q(next_steps__icontains=q)
    evidence = Evidence.objects.filter(
        Q(doc_number__icontains=q) | Q(note__icontains=q) | Q(filename__icontains=q)
    ).values("entry_id")
    return own | Q(_AnyOf("id", evidence))


def _entry_match(q: str, departments: list[int], common: bool) -> Q:
    """An entry matches by its own text, its evidence or its department's name."""
    postgres = connection.vendor == "postgresql"
    match = Q(_SearchTextMatches(q, common=common)) if postgres else _entry_text_match(q)
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


def _visible_in_filters(*, user, filters: SearchFilters) -> QuerySet:
    """The entries `user` may read in the state and dates of `filters`, whatever their text."""
    entries = entries_visible_to(user=user)
    if filters.state:
        entries = entries.filter(state=filters.state)
    if filters.date_from:
        entries = entries.filter(happened_on__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(happened_on__lte=filters.date_to)
    return entries


def matching_entries(*, user, filters: SearchFilters, departments=None, common=None) -> QuerySet:
    """The entries `user` may read that match `filters` (query, state, date range);
    `departments`: departments_named(filters.q), `common`: short_word_is_common(filters.q),
    when the caller has them already."""
    if departments is None:
        departments = departments_named(filters.q)
    if common is None:
        common = short_word_is_common(filters.q)
    match = _entry_match(filters.q, departments, common)
    return _visible_in_filters(user=user, filters=filters).filter(match)


def _matches_by_walking(
    entries: QuerySet, visible: QuerySet, q: str, departments, *, limit: int, task_ids=None
) -> dict:
    """PostgreSQL, many matches: {task id: up to `limit` ids of its matches, newest first}
    for the tasks (of `task_ids`, or all) with a match. Every task walked SHALLOW deep,
    those that met some matches but not enough WALKED deep (`walk_tasks`), and the tasks no
    walk could tell read from the index keyed by task (`in_tasks_by_pairs`)."""
    # Walking tests each row: LIKE (2 µs a row) for any length, not the pairs (0.3 ms).
    hit = _entry_match(q, departments, True)
    walks = walk_tasks(visible, hit, limit, per_task.SHALLOW, task_ids)
    deeper = [pk for pk, (hits, whole) in walks.items() if hits and not whole]
    if deeper:
        walks.update(walk_tasks(visible, hit, limit, per_task.WALKED, deeper))
    matches = {pk: hits for pk, (hits, whole) in walks.items() if whole and hits}
    unsure = [pk for pk, (_hits, whole) in walks.items() if not whole]
    if unsure:
        of_tasks = in_tasks_by_pairs(unsure, q, departments)
        for entry_id, task_id in newest_per_task(entries, of_tasks, limit):
            matches.setdefault(task_id, []).append(entry_id)
    return matches


def _first_matches(entries: QuerySet, limit: int) -> list[tuple]:
    """(task_id, happened_on, id) of up to `limit` of `entries`, in no order. PostgreSQL:
    the query is a MATERIALIZED CTE, planned as if every row were wanted and read only up
    to the limit. With the LIMIT in view the planner bets that a scan of the table meets
    enough matches early, and for a rare word (or none) it then reads the whole table."""
    rows = entries.order_by().values_list("task_id", "happened_on", "id")
    if connection.vendor != "postgresql":
        return list(rows[:limit])
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"WITH m AS MATERIALIZED ({sql}) SELECT * FROM m LIMIT %s", (*params, limit))
        return cursor.fetchall()


def _tasks_with_matches(
    entries: QuerySet, by_text: QuerySet, by_department: QuerySet | None, walk
) -> tuple[set, dict | None]:
    """The tasks with a match, and {task id: [id, …] newest first, up to MAX_COUNTED + 1}
    for all of them, or None (many matches: read for the page's tasks later).
    Few matches (ALL_MATCHES at most) are read at once, in whatever order the database
    finds them: few or many is learnt by asking for one more. PostgreSQL skips that when
    its planner expects more than WALK_ABOVE, and with many walks the tasks (`walk()`,
    `_matches_by_walking`). SQLite with many: the tasks not seen among the first matches
    are asked about in one more query (`tasks_with_a_match`)."""
    postgres = connection.vendor == "postgresql"
    if not (postgres and estimated_rows(entries) > WALK_ABOVE):
        first = _first_matches(entries, ALL_MATCHES + 1)
        if len(first) <= ALL_MATCHES:
            matches: dict[int, list[int]] = {}
            for task_id, _day, pk in sorted(first, key=lambda m: (m[1], m[2]), reverse=True):
                matches.setdefault(task_id, []).append(pk)
            return set(matches), matches
        if not postgres:
            seen = {task_id for task_id, _day, _pk in first}
            others = tasks_with_a_match(Task.objects.exclude(pk__in=seen), by_text, by_department)
            return seen | set(others), None
    return walk()


def tasks_with_a_match(tasks: QuerySet, by_text: QuerySet, by_department: QuerySet | None):
    """The pks of `tasks` with an entry of `by_text` or `by_department`, the text and the
    department apart (each EXISTS then has its own index)."""
    has_match = Q(Exists(by_text.filter(task_id=OuterRef("pk"))))
    if by_department is not None:
        has_match |= Q(Exists(by_department.filter(task_id=OuterRef("pk"))))
    return tasks.filter(has_match).order_by().values_list("pk", flat=True)


def search(*, user, filters: SearchFilters, page_number=1):
    """A page of tasks found for `filters`, or None when there is nothing to search for.

    Each task on the page carries `entry_hits` (how many matching entries it has, counted
    up to MAX_COUNTED), `more_than_counted` (whether there are more), `task_hit` (whether
    its own text matches) and `hits`: up to ENTRIES_PER_TASK matching entries, newest
    first, with their department, author and evidence. At most thirteen queries whatever
    the size: the departments named; on PostgreSQL whether a short word is common and how
    many matches to expect; the first matches; with many, on PostgreSQL two walks of the
    tasks and the matches of the tasks they could not tell (three queries: a setting
    before and after), on SQLite the other tasks with matches and the page's tasks' newest;
    the count of tasks, the page of tasks, the entries shown, their evidence.
    """
    q = filters.q.strip()[:MAX_QUERY_LENGTH]
    if not q or role_of(user) is None:
        return None
    filters = dataclasses.replace(filters, q=q)
    departments = departments_named(q)
    visible = _visible_in_filters(user=user, filters=filters)
    common = short_word_is_common(q)
    entries = visible.filter(_entry_match(q, departments, common))
    by_department = visible.filter(department_id__in=departments) if departments else None
    by_text = visible.filter(_entry_match(q, [], common))
    # With many matches on PostgreSQL, which tasks have one is walked for all (a common
    # word is met at once in each), and the matches counted only for the page's tasks:
    # counting them for every task of five years of plans (560) took 0.7 s.
    found_ids, matches = _tasks_with_matches(
        entries,
        by_text,
        by_department,
        lambda: (set(_matches_by_walking(entries, visible, q, departments, limit=1)), None),
    )
    found = Q(pk__in=found_ids)
    if not filters.narrows_entries:
        found |= _task_match(q)
    tasks = (
        Task.objects.filter(found)
        .select_related("plan", "section", "parent__section")
        .order_by("-plan__year", "section__order", "order", "id")
    )
    page = Paginator(tasks, TASKS_PER_PAGE).get_page(page_number)
    if matches is None and connection.vendor == "postgresql":
        matches = _matches_by_walking(
            entries,
            visible,
            q,
            departments,
            limit=MAX_COUNTED + 1,
            task_ids=[task.pk for task in page if task.pk in found_ids],
        )
    elif matches is None:
        matches = {task.pk: [] for task in page}
        of_page = Q(task_id__in=list(matches))
        for entry_id, task_id in newest_per_task(entries, of_page, MAX_COUNTED + 1):
            matches[task_id].append(entry_id)
    shown_ids = [pk for task in page for pk in matches.get(task.pk, [])[:ENTRIES_PER_TASK]]
    shown = (
        LedgerEntry.objects.filter(pk__in=shown_ids)
        .select_related("department", "author")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .in_bulk()
        if shown_ids
        else {}
    )
    needle = q.casefold()
    for task in page:
        ids = matches.get(task.pk, [])
        task.hits = [shown[pk] for pk in ids[:ENTRIES_PER_TASK]]
        task.entry_hits = min(len(ids), MAX_COUNTED)
        task.more_than_counted = len(ids) > MAX_COUNTED
        task.task_hit = needle in f"{task.title}\n{task.body}".casefold() or task.number == q
    return page
