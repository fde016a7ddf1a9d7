"""Every page that shows the status light shows it through the one rule: a submitted but
unreviewed "done" is 待确认, never green; a task with no entry filed is 未填报, not 正常推进
(issue 11, item 8)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks_ledger.ledger import services
from tasks_ledger.ledger.models import LedgerEntry


def _lights(page: str) -> set[str]:
    return set(re.findall(r'class="light light-(\w+)"', page))


def test_nothing_filed_shows_not_filed_on_the_ledger_and_the_task_page(client, world):
    world.entry(summary="只是一份草稿")  # a draft is not filed
    client.force_login(world.staff)
    home = client.get(reverse("ledger:home")).content.decode()
    assert _lights(home) == {"not_filed"} and "未填报" in home
    task = client.get(reverse("ledger:task", args=[world.task.pk])).content.decode()
    assert _lights(task) == {"not_filed"}  # A and B: neither has filed


def test_a_submitted_done_awaits_confirmation_until_the_office_accepts_it(client, world):
    entry = world.entry(LedgerEntry.State.SUBMITTED, status=LedgerEntry.Status.DONE)
    client.force_login(world.staff)
    home = client.get(reverse("ledger:home")).content.decode()
    assert _lights(home) == {"awaiting"} and "待确认" in home
    filtered = client.get(reverse("ledger:home"), {"light": "done"}).content.decode()
    assert "推进权力清单公开" not in filtered
    services.ledger_entry_accept(entry=entry, by=world.reviewer)
    home = client.get(reverse("ledger:home")).content.decode()
    assert _lights(home) == {"done"}
    task = client.get(reverse("ledger:task", args=[world.task.pk])).content.decode()
    assert _lights(task) == {"done", "not_filed"}  # A accepted; B has filed nothing


def test_the_dashboard_matrix_shows_the_new_lights(client, world):
    world.entry(LedgerEntry.State.SUBMITTED, status=LedgerEntry.Status.DONE)
    world.plan.status = "active"
    world.plan.save()
    client.force_login(world.reviewer)
    page = client.get(reverse("dashboard:dashboard")).content.decode()
    assert set(re.findall(r'data-light="(\w+)"', page)) == {"awaiting", "not_filed"}
    assert 'data-figure="awaiting">1<' in page and 'data-figure="not_filed">1<' in page


def test_the_ledger_and_task_pages_read_the_lights_from_the_rollups(client, world):
    # The most requested pages under load (benchmarks/load.py): their lights come from the
    # pairs' rollup rows, one index probe per input, not from a CASE that repeats a search
    # of the pair's entries for every rule; the cost no longer follows the ledger's size.
    world.entry(LedgerEntry.State.SUBMITTED, status=LedgerEntry.Status.DONE)
    client.force_login(world.staff)
    for url in (reverse("ledger:home"), reverse("ledger:task", args=[world.task.pk])):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        (assignments,) = [q["sql"] for q in queries if 'FROM "plan_assignment"' in q["sql"]]
        assert "ledger_ledgerrollup" in assignments and "CASE" not in assignments
