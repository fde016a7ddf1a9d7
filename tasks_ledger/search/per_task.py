"""Reading matches task by task on PostgreSQL, whatever a word's spread (search.selectors).

A page shows each task's newest matches and counts them up to a cap, so no search needs
all of a common word's matches: each task's newest entries are walked in order (the index
on (task, happened_on DESC, id DESC)) until enough are met. A walk is quick where the word
is common in the task and slow where it is rare or absent (it reads the task's entries);
there the index of characters and pairs keyed by task (search.0003, "7:清单") answers
instead. `walk_tasks` walks the tasks (SHALLOW deep, then WALKED) and says which walks
could not tell; `in_tasks_by_pairs` reads those tasks' matches from that index.
"""

import json

from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from tasks_ledger.plan.models import Task

NEWEST_FIRST = ("-happened_on", "-id")
# How deep each task's newest entries are walked: first SHALLOW; then, where that met some
# matches but not enough, WALKED. A word absent from the first SHALLOW (a task's title word
# in the other tasks) or rarer than 1 in 10 of the first WALKED is read from the index keyed
# by task instead. A walk costs 2–10 µs a row on this machine (2026-11-28, loaded).
SHALLOW = 200
WALKED = 1000


# What `bitmap_scans_only` sets. Such a query is estimated as if the word were as common in
# these tasks as in the ledger (thousands of rows): without the last two it would start
# parallel workers and compile itself (JIT), some 35 ms, for a few index pages.
BITMAP_ONLY = {
    "enable_indexscan": "off",
    "enable_seqscan": "off",
    "max_parallel_workers_per_gather": "0",
    "jit": "off",
}


def bitmap_scans_only(run):
    """`run()`, on PostgreSQL with bitmap scans as the only way to read a table, so that a
    task's matches are read from the index keyed by task (search.0003). Left to itself,
    with a word common in the ledger, the planner expects it among any task's first few
    entries, walks them (a b-tree or the whole table) and, in a task where the word is rare
    or absent, reads them all: seconds for a task's title word at 1,000,000 entries."""
    if connection.vendor != "postgresql":
        return run()
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join(f"current_setting('{name}')" for name in BITMAP_ONLY)
            + ", "
            + ", ".join(f"set_config('{name}', %s, true)" for name in BITMAP_ONLY),
            list(BITMAP_ONLY.values()),
        )
        before = cursor.fetchone()[: len(BITMAP_ONLY)]
        result = run()
        # Within a caller's transaction the settings would outlive this block. (After an
        # error the transaction is rolled back, settings and all.)
        cursor.execute(
            "SELECT " + ", ".join(f"set_config('{name}', %s, true)" for name in BITMAP_ONLY),
            before,
        )
    return result


def estimated_rows(queryset: QuerySet) -> float:
    """PostgreSQL's estimate of how many rows `queryset` has (EXPLAIN: planned, not run).
    The search text's index has statistics of its own (ANALYZE), so a word's share is
    estimated within a few percent (benchmarks/README.md)."""
    sql, params = queryset.order_by().values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]["Plan Rows"]


def newest_per_task(entries: QuerySet, of_tasks: Q, limit: int) -> list[tuple]:
    """(id, task_id) of the `limit` newest of `entries` in each task that `of_tasks` keeps,
    newest first within a task: every match of those tasks numbered (a window function),
    the first `limit` kept. SQLite's way with many matches (it has no LATERAL, nor a LIMIT
    inside a UNION); on PostgreSQL, for the tasks whose walk (`walk_tasks`) could not tell,
    with `of_tasks` from `in_tasks_by_pairs` and bitmap scans only."""
    numbered = numbered_per_task(entries, of_tasks, limit)
    return bitmap_scans_only(lambda: list(numbered.values_list("id", "task_id")))


def in_tasks_by_pairs(task_ids: list[int], q: str, departments: list[int]) -> Q:
    """PostgreSQL: the entries of `task_ids` whose text has every pair of characters of `q`
    (or its one character), by the index keyed by task (search.0003), or whose department
    is one of `departments`. A condition the index answers for each task apart; the text
    itself is then checked by the caller's match."""
    needle = q.lower()
    grams = sorted({needle[i : i + 2] for i in range(max(len(needle) - 1, 1))})
    found = Q(pk__in=[])
    for pk in task_ids:
        found |= Q(
            RawSQL(
                'search_task_grams("ledger_ledgerentry"."task_id", '
                '"ledger_ledgerentry"."search_text") @> %s::text[]',
                ([f"{pk}:{gram}" for gram in grams],),
                output_field=BooleanField(),
            )
        )
    if departments:
        found |= Q(task_id__in=task_ids, department_id__in=departments)
    return found


def numbered_per_task(entries: QuerySet, of_tasks: Q, limit: int) -> QuerySet:
    """The entries of `entries` that `of_tasks` keeps, numbered newest first within each
    task, the first `limit` of each."""
    return (
        entries.filter(of_tasks)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("task_id"),
                order_by=[F("happened_on").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=limit)
        .order_by("task_id", "rank")
    )


def walk_sql(visible: QuerySet, hit: Q, limit: int, depth: int, task_ids=None) -> tuple:
    """The query of `walk_tasks`: for each task (of `task_ids`, or all), (task id, entry id,
    hit, n) of the hits among its newest `depth` entries of `visible`, in order, up to
    `limit` of them; and the row `n = depth`, hit or not, which says the walk went that far."""
    walked = (
        visible.filter(task_id=RawSQL("walk_task.id", ()))
        .annotate(
            hit=ExpressionWrapper(hit, output_field=BooleanField()),
            n=Window(RowNumber(), order_by=[F("happened_on").desc(), F("id").desc()]),
        )
        .order_by(*NEWEST_FIRST)
        .values_list("id", "hit", "n")[:depth]
    )
    sql, params = walked.query.sql_with_params()
    of_tasks = "" if task_ids is None else " WHERE walk_task.id = ANY(%s)"
    return (
        f"SELECT walk_task.id, w.id, w.hit, w.n FROM {Task._meta.db_table} AS walk_task "
        f"CROSS JOIN LATERAL (SELECT * FROM ({sql}) AS walked "
        f"WHERE walked.hit OR walked.n = %s LIMIT %s) AS w{of_tasks}",
        (*params, depth, limit, *([] if task_ids is None else [list(task_ids)])),
    )


def walk_tasks(visible: QuerySet, hit: Q, limit: int, depth: int, task_ids=None) -> dict:
    """PostgreSQL: each task's newest entries of `visible` (of the tasks of `task_ids`, or
    all) walked in order (the index on (task, happened_on DESC, id DESC)), at most `depth`
    of them, in one query (LATERAL): {task id: ([id of each entry that is a `hit`, newest
    first, up to `limit`], whether that is the whole answer)} for the tasks with a hit or a
    walk cut short. It is the whole answer unless the walk stopped at `depth` with fewer
    hits. A common word costs a few rows per hit, and a rare one `depth` rows per task,
    whatever the ledger's size."""
    sql, params = walk_sql(visible, hit, limit, depth, task_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    walks: dict[int, tuple[list, bool]] = {}
    for task_id, pk, is_hit, n in sorted(rows, key=lambda row: (row[0], row[3])):
        hits, _ = walks.setdefault(task_id, ([], True))
        if is_hit:
            hits.append(pk)
        if n == depth and len(hits) < limit:
            walks[task_id] = (hits, False)
    return walks
