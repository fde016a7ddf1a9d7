"""Many writers of one task × department at once, on PostgreSQL with real concurrent
connections: the rollups' triggers lock the pair's row before reading the entries
(ledger/rollups.py), so no writer's change is lost from the rollups however the
transactions interleave."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from tasks_ledger.ledger.models import LedgerDayCount, LedgerEntry, LedgerRollup
from tasks_ledger.ledger.rollups import rollups_check
from tests.factories import AssignmentFactory, DepartmentFactory, TaskFactory, UserFactory

WRITERS = 8
ROUNDS = 10


@pytest.mark.postgres
def test_concurrent_writers_of_one_pair_lose_nothing(transactional_db):
    department = DepartmentFactory(code="rush", name="并发处")
    task = TaskFactory()
    AssignmentFactory(task=task, department=department)
    author = UserFactory(username="rush-author")
    errors = []

    def write(i):
        try:
            for round_ in range(ROUNDS):
                barrier.wait(timeout=20)
                with transaction.atomic():
                    LedgerEntry.objects.create(
                        task=task,
                        department=department,
                        author=author,
                        # Each writer its own day, all writers the same days each round.
                        happened_on=datetime.date(2030, 5, 1) + datetime.timedelta(days=round_),
                        summary=f"写入者{i}",
                        status="done" if i == 0 else "in_progress",
                        state=LedgerEntry.State.SUBMITTED,
                        submitted_at=datetime.datetime(2030, 5, 1, 8, i, tzinfo=datetime.UTC),
                    )
        except Exception as exc:  # reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    barrier = threading.Barrier(WRITERS)
    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert LedgerEntry.objects.count() == WRITERS * ROUNDS
    assert sum(LedgerDayCount.objects.values_list("counted", flat=True)) == WRITERS * ROUNDS
    assert set(LedgerDayCount.objects.values_list("counted", flat=True)) == {WRITERS}
    latest = LedgerEntry.objects.order_by("-happened_on", "-id").first()
    rollup = LedgerRollup.objects.get(task=task, department=department)
    assert (rollup.latest_on, rollup.latest_status) == (latest.happened_on, latest.status)
    assert rollup.last_filed_at.minute == WRITERS - 1
    assert rollups_check() == []
