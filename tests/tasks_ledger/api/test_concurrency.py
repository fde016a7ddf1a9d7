"""Two API clients saving the same version of an entry at the same moment, on PostgreSQL:
exactly one wins each round, the other gets 409 with the winner's text, and nothing is
overwritten."""

import threading

import pytest
from django.db import connection

from tasks_ledger.ledger.models import LedgerEntry
from tests.tasks_ledger.api.conftest import client_for

ROUNDS = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_one_wins_one_gets_409(world):
    entry = world.entries.a_draft
    writers = [world.users["staff"], world.users["head"]]
    for round_number in range(ROUNDS):
        version = LedgerEntry.objects.get(pk=entry.pk).version
        barrier = threading.Barrier(len(writers))
        results = {}

        def save(
            user, results=results, barrier=barrier, version=version, round_number=round_number
        ):
            client = client_for(user)
            summary = f"第{round_number}轮 {user.username}"
            barrier.wait()
            try:
                response = client.patch(
                    f"/api/ledger-entries/{entry.pk}/",
                    {"summary": summary, "version": version},
                    format="json",
                )
                results[user.username] = (response.status_code, summary, response.json())
            finally:
                connection.close()

        threads = [threading.Thread(target=save, args=(user,)) for user in writers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        codes = sorted(code for code, _summary, _body in results.values())
        assert codes == [200, 409], results
        (winner,) = [r for r in results.values() if r[0] == 200]
        (loser,) = [r for r in results.values() if r[0] == 409]
        stored = LedgerEntry.objects.get(pk=entry.pk)
        assert stored.summary == winner[1]
        assert stored.version == version + 1
        # The loser is shown what won, not its own text.
        assert loser[2]["current"]["summary"] == winner[1]
