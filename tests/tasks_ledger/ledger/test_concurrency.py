"""Lost updates: two people saving the same version of an entry at the same moment, on
PostgreSQL with real concurrent connections. Exactly one wins each round; the other is
told (EntryConflict carrying the winner's text); nothing is overwritten, and the history
holds exactly one record per successful save."""

import threading

import pytest
from django.db import connection

from departments.models import Membership
from tasks_ledger.ledger import services
from tasks_ledger.ledger.models import LedgerEntry
from tests.factories import AssignmentFactory, DepartmentFactory, TaskFactory, member

ROUNDS = 50


@pytest.mark.postgres
def test_two_writers_on_one_version_one_wins_each_round(transactional_db):
    department = DepartmentFactory(code="race", name="竞争处")
    task = TaskFactory()
    AssignmentFactory(task=task, department=department)
    writers = [
        member(department, Membership.Role.STAFF, username="writer-1"),
        member(department, Membership.Role.HEAD, username="writer-2"),
    ]
    entry = services.ledger_entry_create(
        task=task,
        department=department,
        by=writers[0],
        data={"happened_on": "2030-05-06", "summary": "起始"},
    )

    for round_ in range(ROUNDS):
        version = LedgerEntry.objects.get(pk=entry.pk).version
        barrier = threading.Barrier(2)
        outcomes: dict[int, object] = {}

        def save(i, version=version, barrier=barrier, outcomes=outcomes, round_=round_):
            try:
                mine = LedgerEntry.objects.select_related("department").get(pk=entry.pk)
                barrier.wait(timeout=10)
                services.ledger_entry_update(
                    entry=mine,
                    by=writers[i],
                    version=version,
                    data={"summary": f"第{round_}轮 写入者{i}"},
                )
                outcomes[i] = "won"
            except services.EntryConflict as exc:
                outcomes[i] = exc
            except Exception as exc:  # a failure of the test itself, reported below
                outcomes[i] = repr(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        winners = [i for i, outcome in outcomes.items() if outcome == "won"]
        losers = [o for o in outcomes.values() if isinstance(o, services.EntryConflict)]
        assert len(winners) == 1 and len(losers) == 1, (round_, outcomes)
        stored = LedgerEntry.objects.get(pk=entry.pk)
        assert stored.version == version + 1
        assert stored.summary == f"第{round_}轮 写入者{winners[0]}"
        # The loser was shown the winner's text, not its own.
        assert losers[0].current.summary == stored.summary

    stored = LedgerEntry.objects.get(pk=entry.pk)
    assert stored.version == 1 + ROUNDS
    assert stored.history.count() == 1 + ROUNDS
    assert [r.version for r in stored.history.order_by("history_id")] == list(range(1, ROUNDS + 2))
