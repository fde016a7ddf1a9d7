"""The ledger's rollups (ledger/rollups.py) follow every write path — the services, the
bulk pages, the API, the admin, plain ORM writes and bulk inserts — and the check command
finds and mends a corrupted rollup. The Excel import's path: tests/tasks_ledger/excel/
test_import_rollups.py; many writers at once on PostgreSQL: test_rollups_concurrency.py."""

import datetime
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from simple_history.utils import bulk_create_with_history

from tasks_ledger.ledger import services
from tasks_ledger.ledger.models import LedgerDayCount, LedgerEntry, LedgerRollup
from tasks_ledger.ledger.rollups import rollups_check, rollups_rebuild

D = datetime.date
State = LedgerEntry.State


def rollup(world, department=None):
    """The rollup of the world's task for `department` (A by default) as a dict, None
    when the pair has no row."""
    row = (
        LedgerRollup.objects.filter(task=world.task, department=department or world.a)
        .values("latest_status", "latest_state", "latest_on", "last_filed_at", "last_change")
        .first()
    )
    return row


def day_counts(world):
    return {
        (d.department_id, d.day): d.counted for d in LedgerDayCount.objects.filter(task=world.task)
    }


@pytest.fixture(autouse=True)
def _always_consistent(world):
    """Whatever a test does, the rollups agree with the entries at its end (the check)."""
    yield
    assert rollups_check() == []


def test_a_draft_counts_for_nothing_but_makes_the_pairs_row(world):
    world.entry(State.DRAFT)
    assert rollup(world) == dict.fromkeys(
        ("latest_status", "latest_state", "latest_on", "last_filed_at", "last_change")
    )
    assert day_counts(world) == {}


def test_submit_accept_and_return_move_the_rollup(world, now):
    entry = world.entry(State.SUBMITTED, status="done")
    stored = LedgerEntry.objects.get(pk=entry.pk)
    assert rollup(world) == {
        "latest_status": "done",
        "latest_state": "submitted",
        "latest_on": D(2030, 5, 6),
        "last_filed_at": stored.submitted_at,
        "last_change": stored.updated_at,
    }
    assert day_counts(world) == {(world.a.pk, D(2030, 5, 6)): 1}

    services.ledger_entry_accept(entry=stored, by=world.reviewer)
    assert rollup(world)["latest_state"] == "accepted"

    second = world.entry(State.SUBMITTED, happened_on="2030-05-07", status="blocked")
    assert rollup(world)["latest_status"] == "blocked"
    assert day_counts(world) == {(world.a.pk, D(2030, 5, 6)): 1, (world.a.pk, D(2030, 5, 7)): 1}

    now.shift(datetime.timedelta(hours=1))
    services.ledger_entry_return(
        entry=LedgerEntry.objects.get(pk=second.pk), by=world.reviewer, reason="请补充"
    )
    returned = LedgerEntry.objects.get(pk=second.pk)
    # Back to the accepted entry; the returned one still counts as a change shown.
    assert rollup(world)["latest_status"] == "done"
    assert rollup(world)["last_change"] == returned.updated_at
    assert day_counts(world) == {(world.a.pk, D(2030, 5, 6)): 1}


def test_an_update_that_moves_the_day_moves_the_count(world, now):
    entry = world.entry(State.RETURNED)
    assert day_counts(world) == {}
    now.shift(datetime.timedelta(hours=1))
    entry = services.ledger_entry_update(
        entry=LedgerEntry.objects.get(pk=entry.pk),
        by=world.head,
        version=LedgerEntry.objects.get(pk=entry.pk).version,
        data={"happened_on": "2030-05-01"},
    )
    assert rollup(world)["last_change"] == LedgerEntry.objects.get(pk=entry.pk).updated_at
    services.ledger_entry_submit(entry=LedgerEntry.objects.get(pk=entry.pk), by=world.head)
    assert day_counts(world) == {(world.a.pk, D(2030, 5, 1)): 1}
    assert rollup(world)["latest_on"] == D(2030, 5, 1)


def test_evidence_added_to_a_returned_entry_is_a_change(world, now):
    entry = world.entry(State.RETURNED)
    before = rollup(world)["last_change"]
    now.shift(datetime.timedelta(hours=2))
    services.evidence_add(
        entry=entry, by=world.head, kind="doc_number", doc_number="宿交发〔2030〕1号"
    )
    assert rollup(world)["last_change"] == before + datetime.timedelta(hours=2)


def test_bulk_submit_and_bulk_accept_pages(world, client):
    drafts = [world.entry(State.DRAFT, happened_on=f"2030-05-0{day}") for day in (1, 2, 3)]
    client.force_login(world.head)
    response = client.post(
        "/ledger/unsent/submit/", {"entry": [e.pk for e in drafts], "confirm": "yes"}
    )
    assert response.status_code == 302
    assert sum(day_counts(world).values()) == 3
    client.force_login(world.reviewer)
    client.post("/ledger/review/accept/", {"entry": [e.pk for e in drafts], "confirm": "yes"})
    assert rollup(world)["latest_state"] == "accepted"
    assert rollup(world)["latest_on"] == D(2030, 5, 3)


def test_the_api_create_patch_and_submit(world):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.head).key}")
    created = api.post(
        "/api/ledger-entries/",
        {"task": world.task.pk, "happened_on": "2030-05-02", "summary": "接口写入"},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    patched = api.patch(
        f"/api/ledger-entries/{pk}/",
        {"version": 1, "happened_on": "2030-05-04", "status": "done"},
        format="json",
    )
    assert patched.status_code == 200, patched.content
    submitted = api.post(f"/api/ledger-entries/{pk}/submit/", {"version": 2}, format="json")
    assert submitted.status_code == 200, submitted.content
    assert rollup(world)["latest_status"] == "done"
    assert day_counts(world) == {(world.a.pk, D(2030, 5, 4)): 1}


def test_the_admin_changes_and_deletes(world, client):
    entry = world.entry(State.SUBMITTED)
    client.force_login(world.admin)
    url = f"/admin/ledger/ledgerentry/{entry.pk}/delete/"
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302, response.content[:500]
    assert not LedgerEntry.objects.filter(pk=entry.pk).exists()
    assert rollup(world) is None  # the pair has no entry left
    assert day_counts(world) == {}


def test_plain_orm_writes_move_task_delete_and_bulk_insert(world):
    a = world.entry(State.SUBMITTED)
    # Moving an entry to another department (as the admin's form can): both pairs follow.
    LedgerEntry.objects.filter(pk=a.pk).update(department=world.b)
    assert rollup(world) is None
    assert rollup(world, world.b)["latest_state"] == "submitted"
    bulk_create_with_history(
        [
            LedgerEntry(
                task=world.task,
                department=world.a,
                author=world.head,
                happened_on=D(2030, 4, day),
                summary="批量",
                state=State.ACCEPTED,
                status="done",
                submitted_at=a.submitted_at,
            )
            for day in range(1, 21)
        ],
        LedgerEntry,
        batch_size=7,
    )
    assert sum(day_counts(world).values()) == 21
    assert rollup(world)["latest_on"] == D(2030, 4, 20)
    LedgerEntry.objects.filter(department=world.a, happened_on__gte=D(2030, 4, 10)).delete()
    assert rollup(world)["latest_on"] == D(2030, 4, 9)


def test_random_writes_keep_the_rollups_exact(world):
    """A few hundred random writes of every kind, checked against the entries at the end
    (the autouse fixture) and on the way."""
    rng = random.Random(7)
    departments = [world.a, world.b]
    for step in range(300):
        entries = list(LedgerEntry.objects.all())
        kind = rng.choice(
            ["create", "create", "state", "day", "move", "delete"]
            # The updates the triggers skip when they cannot change the rollups (a draft
            # edited, the version moved), and those that look alike but can.
            + ["edit", "version", "status", "to draft"]
        )
        if kind == "create" or not entries:
            state = rng.choice(State.values)
            LedgerEntry.objects.create(
                task=world.task,
                department=rng.choice(departments),
                author=world.head,
                happened_on=D(2030, 5, 1) + datetime.timedelta(days=rng.randint(0, 9)),
                summary="随机",
                status=rng.choice(LedgerEntry.Status.values),
                state=state,
                submitted_at=None if state == State.DRAFT else world.head.date_joined,
            )
        else:
            entry = rng.choice(entries)
            rows = LedgerEntry.objects.filter(pk=entry.pk)
            if kind == "state":
                state = rng.choice([State.SUBMITTED, State.ACCEPTED, State.RETURNED])
                rows.update(state=state, submitted_at=world.head.date_joined)
            elif kind == "day":
                rows.update(happened_on=entry.happened_on + datetime.timedelta(days=1))
            elif kind == "move":
                rows.update(department=rng.choice(departments))
            elif kind == "edit":
                rows.update(summary=f"改{step}", updated_at=timezone.now())
            elif kind == "version":
                rows.update(version=F("version") + 1)
            elif kind == "status":
                rows.update(status=rng.choice(LedgerEntry.Status.values))
            elif kind == "to draft":
                rows.update(state=State.DRAFT)
            else:
                rows.delete()
        if step % 50 == 0:
            assert rollups_check() == []


def test_the_check_command_finds_and_mends_a_corrupted_rollup(world, capsys):
    world.entry(State.SUBMITTED)
    world.entry(State.ACCEPTED, happened_on="2030-05-07")
    call_command("ledger_rollups")
    assert "agree" in capsys.readouterr().out
    # Corrupt both tables, around the triggers.
    LedgerRollup.objects.filter(task=world.task).update(latest_status="blocked")
    LedgerDayCount.objects.filter(day=D(2030, 5, 7)).delete()
    LedgerDayCount.objects.create(task=world.task, department=world.b, day=D(2030, 1, 1), counted=4)
    differences = rollups_check()
    assert len(differences) == 4  # the pair both ways, a missing day, a stray day
    assert any("rollup of task" in d and "blocked" in d for d in differences)
    assert any("2030-01-01" in d for d in differences)
    with pytest.raises(CommandError, match="4 rollup rows differ"):
        call_command("ledger_rollups")
    call_command("ledger_rollups", "--rebuild")
    assert "agree" in capsys.readouterr().out
    assert rollup(world)["latest_status"] == "in_progress"


def test_the_check_finds_and_mends_a_wrong_history_until(world):
    entry = world.entry(State.ACCEPTED)
    rows = LedgerEntry.history.model.objects.filter(id=entry.pk).order_by(
        "history_date", "history_id"
    )
    dates = [row.history_date for row in rows]
    # Each row lasts until the next one; the latest, for ever.
    assert [row.history_until for row in rows] == [*dates[1:], None]
    rows.update(history_until=None)
    assert len(rollups_check()) == len(dates) - 1
    rollups_rebuild()
    assert [row.history_until for row in rows.all()] == [*dates[1:], None]


def test_history_rows_written_in_any_order_each_last_until_the_next(world):
    """The trigger sets history_until from a new row's neighbours only: rows written out of
    order (an earlier date than the latest, a tie of dates), several of one entry in one
    statement, and of two entries at once, all end as the whole rule says."""
    History = LedgerEntry.history.model
    first, second = world.entry(), world.entry(summary="另一条")
    start = History.objects.filter(id=first.pk).get().history_date
    rng = random.Random(17)

    def row(entry, minutes):
        template = History.objects.filter(id=entry.pk).earliest("history_date")
        fields = {
            f.attname: getattr(template, f.attname)
            for f in History._meta.concrete_fields
            if f.attname not in ("history_id", "history_until")
        }
        return History(**{**fields, "history_date": start + datetime.timedelta(minutes=minutes)})

    for _ in range(12):
        batch = [
            row(rng.choice([first, second]), rng.choice([-30, -5, 0, 7, 7, 60, 120]))
            for _ in range(rng.randint(1, 3))
        ]
        History.objects.bulk_create(batch)
        for entry in (first, second):
            rows = list(History.objects.filter(id=entry.pk).order_by("history_date", "history_id"))
            dates = [r.history_date for r in rows]
            assert [r.history_until for r in rows] == [*dates[1:], None]
    assert History.objects.filter(id=first.pk).count() > 6


def test_rebuild_gives_what_the_triggers_kept(world):
    world.entry(State.SUBMITTED, status="done")
    world.entry(State.RETURNED, happened_on="2030-05-09")
    world.entry(State.ACCEPTED, department=world.b)
    kept = list(LedgerRollup.objects.order_by("task", "department").values())
    days = list(LedgerDayCount.objects.order_by("task", "department", "day").values())
    rollups_rebuild()
    rebuilt = list(LedgerRollup.objects.order_by("task", "department").values())
    strip = [{k: v for k, v in row.items() if k != "id"} for row in kept]
    assert strip == [{k: v for k, v in row.items() if k != "id"} for row in rebuilt]
    assert [{k: v for k, v in d.items() if k != "id"} for d in days] == [
        {k: v for k, v in d.items() if k != "id"}
        for d in LedgerDayCount.objects.order_by("task", "department", "day").values()
    ]


@pytest.mark.postgres
def test_writes_that_cannot_change_the_rollups_leave_them_untouched(world):
    """A draft edited as a draft and the services' claim (the version moved) do not rewrite
    the pair's rollup row: its row version (xmin) stays; a submit does rewrite it."""

    def row_version():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT xmin::text FROM {LedgerRollup._meta.db_table} "
                "WHERE task_id = %s AND department_id = %s",
                [world.task.pk, world.a.pk],
            )
            return cursor.fetchone()[0]

    world.entry(State.SUBMITTED, status="done")
    draft = world.entry(State.DRAFT)
    before = row_version()
    # Each write in a savepoint of its own: a row written in the test's transaction itself
    # would carry that transaction's id, the same as `before` when the draft was made.
    services.ledger_entry_update(
        entry=draft, by=world.head, version=draft.version, data={"summary": "改"}
    )
    assert row_version() == before
    with transaction.atomic():
        LedgerEntry.objects.filter(pk=draft.pk).update(version=F("version") + 1)
    assert row_version() == before
    draft.refresh_from_db()
    services.ledger_entry_submit(entry=draft, by=world.head)
    assert row_version() != before
