"""The search's plans on PostgreSQL: which index answers what. Each test ANALYZEs its own
data first, so that earlier tests' statistics cannot decide the plan."""

import pytest
from django.db import connection
from django.utils import timezone

from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.search import per_task, selectors
from tasks_ledger.search.selectors import SearchFilters, matching_entries
from tests.factories import LedgerEntryFactory, TaskFactory
from tests.tasks_ledger.search.test_selectors import entry_ids

State = LedgerEntry.State


def plan_of(user, q):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # On a one-row table, after other tests left statistics behind, the planner may prefer
        # the visibility filter's btrees and recheck the text on the heap; at a real size it
        # takes the search index (benchmarks/search.py). Dropped inside the test's own
        # transaction, so only the search indexes compete here.
        cursor.execute("DROP INDEX IF EXISTS entry_shown_changed, entry_by_task_and_state")
    return matching_entries(user=user, filters=SearchFilters(q=q)).explain()


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("q", "index"),
    [("算公开", "search_entry_text_trgm"), ("公开", "search_entry_text_grams")],
)
def test_postgres_answers_any_length_from_an_index(world, q, index):
    world.entry(State.SUBMITTED, summary="预算公开")
    # The word rare in fresh statistics (whatever earlier tests left behind): a common one
    # is matched another way on purpose (the selector reads the index's statistics).
    for n in range(60):
        world.entry(State.SUBMITTED, summary=f"第{n}次会议")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ledger_ledgerentry")
    assert index in plan_of(world.reviewer, q)


def many_entries(world, task=None, summary="第{n}次会议", n=3000):
    """`n` submitted entries in `task` (the world's): its ranges in the b-trees by task are
    long (at a real size they are; on a few rows a scan of the table would do for all)."""
    LedgerEntry.objects.bulk_create(
        LedgerEntryFactory.build(
            task=task or world.task,
            department=world.a,
            author=world.staff,
            summary=summary.format(n=n),
            state=State.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for n in range(n)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ledger_ledgerentry")


@pytest.mark.postgres
def test_postgres_walks_each_task_s_newest_entries_by_an_index(world):
    world.entry(State.SUBMITTED, summary="预算公开")
    many_entries(world)
    visible = selectors._visible_in_filters(user=world.staff, filters=SearchFilters(q="公开"))
    sql, params = per_task.walk_sql(visible, selectors._entry_match("公开", [], True), 101, 200)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan using search_entry_newest_per_task" in plan


@pytest.mark.postgres
def test_postgres_tells_a_common_short_word_from_its_statistics(world):
    for n in range(3):
        world.entry(State.SUBMITTED, summary=f"公开第{n}条")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ledger_ledgerentry")
    assert selectors.short_word_is_common("公开") and selectors.short_word_is_common("公")
    assert not selectors.short_word_is_common("骨干")
    assert not selectors.short_word_is_common("公开第")  # three: the trigram index
    # Common or not, the same entries.
    assert len(entry_ids(world.staff, "公开")) == 3 and len(entry_ids(world.staff, "1条")) == 1


@pytest.mark.postgres
@pytest.mark.parametrize("q", ["权力清单", "清单", "清"])
def test_postgres_reads_a_task_s_matches_from_the_index_keyed_by_task(world, q):
    world.entry(State.SUBMITTED, summary="权力清单")
    # The word in every entry of another task (common: its own index would hand over
    # thousands), rare in this one.
    other = TaskFactory(section=world.section, number="二", title="推进权力清单公开", order=2)
    many_entries(world, task=other, summary="权力清单第{n}项")
    many_entries(world)
    entries = matching_entries(user=world.reviewer, filters=SearchFilters(q=q))
    of_tasks = per_task.in_tasks_by_pairs([world.task.pk], q, [])
    sql, params = per_task.numbered_per_task(entries, of_tasks, 101).query.sql_with_params()

    def explain():  # QuerySet.explain() cannot explain a filter on a window function
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())

    plan = per_task.bitmap_scans_only(explain)
    # The task's pairs ("7:清单") in the index: not a walk of the task's entries, nor every
    # match of the word read to find the task's.
    assert "Bitmap Index Scan on search_entry_task_grams" in plan
    assert f"{world.task.pk}:清" in plan
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_indexscan'), current_setting('jit')")
        assert cursor.fetchone() == ("on", "on")  # not left behind in the caller's transaction
