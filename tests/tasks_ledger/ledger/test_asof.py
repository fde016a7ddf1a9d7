"""The ledger as of a past day stored per task × department (ledger/asof.py) is exact: on
random ledgers whose history runs over many days, the lights and counts read from it equal
the straightforward computation from the history (`with_status` over `entries_as_of`),
after the day's rows were stored and then the history changed every way — new entries,
revisions, returns and withdrawals after the day, and history rows written, changed or
removed before it (which the triggers must forget). Its reads do not grow with the ledger,
and the check command finds and clears a wrong row."""

import datetime
import random
import threading
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tasks_ledger.ledger.asof import asof_check, asof_fill, charted_weeks
from tasks_ledger.ledger.history import entries_as_of
from tasks_ledger.ledger.lights import rows_with_lights
from tasks_ledger.ledger.models import LedgerAsOf, LedgerEntry
from tasks_ledger.ledger.status import with_status
from tasks_ledger.plan.models import Assignment
from tests.factories import (
    AssignmentFactory,
    DeadlineFactory,
    DepartmentFactory,
    PlanFactory,
    SectionFactory,
    TaskFactory,
    UserFactory,
)

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_DAY = D(2030, 3, 1)
LAST_DAY = D(2030, 3, 24)  # "now" is after it: every day compared is over
COMPARED = ("light", "latest_status", "latest_state", "latest_on", "last_filed_at")
State = LedgerEntry.State
History = LedgerEntry.history.model


def at(day: D, rng: random.Random):
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(0, 23)), SHANGHAI)
    return time_machine.travel(moment + datetime.timedelta(minutes=rng.randint(0, 59)), tick=False)


def world(rng: random.Random):
    plan = PlanFactory(year=2030)
    section = SectionFactory(plan=plan, number="一", order=0)
    departments = [DepartmentFactory(code=f"asof-{i}", order=i) for i in range(3)]
    for t in range(4):
        task = TaskFactory(section=section, number=f"A{t}", order=t)
        DeadlineFactory(
            task=task, text="期限", due=FIRST_DAY + datetime.timedelta(rng.randint(0, 30))
        )
        for order, department in enumerate(rng.sample(departments, rng.randint(1, 3))):
            AssignmentFactory(task=task, department=department, order=order)
    return plan, UserFactory(username="asof-author")


def write(rng: random.Random, plan, author, day: D) -> None:
    """One change on `day` through the model (so django-simple-history writes its row at
    that moment): a new entry, a revision, a submission, an acceptance, a return, or a
    withdrawal (deletion)."""
    entries = list(LedgerEntry.objects.filter(task__plan=plan))
    change = rng.choice(["new", "new", "revise", "submit", "accept", "return", "withdraw"])
    with at(day, rng):
        if change == "new" or not entries:
            pair = rng.choice(list(Assignment.objects.filter(task__plan=plan)))
            state = rng.choice([State.DRAFT, State.SUBMITTED, State.ACCEPTED])
            LedgerEntry.objects.create(
                task_id=pair.task_id,
                department_id=pair.department_id,
                author=author,
                happened_on=day - datetime.timedelta(rng.randint(0, 6)),
                summary="随机",
                status=rng.choice(LedgerEntry.Status.values),
                state=state,
                submitted_at=None if state == State.DRAFT else datetime.datetime.now(SHANGHAI),
            )
            return
        entry = rng.choice(entries)
        if change == "withdraw":
            entry.delete()
            return
        if change == "revise":
            entry.status = rng.choice(LedgerEntry.Status.values)
            entry.happened_on = day - datetime.timedelta(rng.randint(0, 10))
        else:
            entry.state = {"submit": State.SUBMITTED, "accept": State.ACCEPTED}.get(
                change, State.RETURNED
            )
            entry.submitted_at = entry.submitted_at or datetime.datetime.now(SHANGHAI)
        entry.save()


def assert_exact(plan, day: D) -> None:
    assignments = Assignment.objects.filter(task__plan=plan).order_by("id")
    history = entries_as_of(day=day)
    definition = list(with_status(assignments, today=day, entries=history))
    fast = rows_with_lights(assignments, today=day, as_of=day)
    assert len(definition) == len(fast) > 0
    for a, b in zip(definition, fast, strict=True):
        filed = history.filter(task_id=a.task_id, department_id=a.department_id)
        a.last_filed_at = max(
            (h.submitted_at for h in filed if h.state in (State.SUBMITTED, State.ACCEPTED)),
            default=None,
        )
        expected = {k: getattr(a, k) for k in COMPARED}
        expected["filed"] = filed.exclude(state=State.DRAFT).count()
        # The weekly chart's counts: counted entries by the week of their work, up to the day.
        counted = [h.happened_on for h in filed if h.state in (State.SUBMITTED, State.ACCEPTED)]
        for n, monday in enumerate(charted_weeks(day) if hasattr(b, "week_0") else []):
            last = min(monday + datetime.timedelta(days=6), day)
            expected[f"week_{n}"] = sum(monday <= on <= last for on in counted)
        assert expected == {k: getattr(b, k) for k in expected}, (day, a.pk)


@pytest.mark.parametrize("seed", range(4))
def test_as_of_a_day_from_the_stored_rows_equals_the_history(db, seed):
    rng = random.Random(seed)
    plan, author = world(rng)
    for offset in range(40):
        write(rng, plan, author, FIRST_DAY + datetime.timedelta(offset // 3))
    days = [FIRST_DAY + datetime.timedelta(n) for n in (2, 5, 9, 13)]
    with time_machine.travel(datetime.datetime(2030, 4, 1, 9, tzinfo=SHANGHAI), tick=False):
        for day in days:
            assert_exact(plan, day)  # fills the day's rows
        stored = LedgerAsOf.objects.count()
        assert stored == len(days) * Assignment.objects.filter(task__plan=plan).count()
        # Later changes (revisions, returns, withdrawals after the days): nothing stored
        # depends on them, and the reads stay exact.
        for _ in range(15):
            write(rng, plan, author, D(2030, 4, 1))
        assert LedgerAsOf.objects.count() == stored
        for day in days:
            assert_exact(plan, day)
    # Changes dated before some of the days (as seeding or an import may write): the
    # triggers forget the rows they could make wrong, the reads refill them.
    for _ in range(10):
        write(rng, plan, author, FIRST_DAY + datetime.timedelta(rng.randint(0, 15)))
    assert LedgerAsOf.objects.count() < stored
    with time_machine.travel(datetime.datetime(2030, 4, 2, 9, tzinfo=SHANGHAI), tick=False):
        for day in days:
            assert_exact(plan, day)
        # A history row changed, and one removed, by hand.
        row = (
            History.objects.filter(history_date__lt=datetime.datetime(2030, 3, 5, tzinfo=SHANGHAI))
            .exclude(history_type="-")
            .first()
        )
        History.objects.filter(pk=row.pk).update(
            status=LedgerEntry.Status.BLOCKED, state=State.SUBMITTED
        )
        for day in days:
            assert_exact(plan, day)
        History.objects.filter(pk=row.pk).delete()
        for day in days:
            assert_exact(plan, day)
        assert asof_check() == []


def test_a_day_not_over_is_computed_not_stored(db):
    rng = random.Random(7)
    plan, author = world(rng)
    for offset in range(10):
        write(rng, plan, author, FIRST_DAY + datetime.timedelta(offset))
    with time_machine.travel(datetime.datetime(2030, 3, 8, 20, tzinfo=SHANGHAI), tick=False):
        assert_exact(plan, D(2030, 3, 8))
        assert not LedgerAsOf.objects.exists()
        with pytest.raises(AssertionError):
            asof_fill(day=D(2030, 3, 8), pairs=[(1, 1)])


def grow(plan, author, rng, count: int) -> None:
    pairs = list(Assignment.objects.filter(task__plan=plan))
    with at(FIRST_DAY, rng):
        for _ in range(count):
            pair = rng.choice(pairs)
            LedgerEntry.objects.create(
                task_id=pair.task_id,
                department_id=pair.department_id,
                author=author,
                happened_on=FIRST_DAY,
                summary="多",
                state=State.SUBMITTED,
                submitted_at=datetime.datetime.now(SHANGHAI),
            )


def test_one_query_as_of_a_stored_day_whatever_the_ledger(db):
    rng = random.Random(8)
    plan, author = world(rng)
    assignments = Assignment.objects.filter(task__plan=plan).select_related("task", "department")
    with time_machine.travel(datetime.datetime(2030, 4, 1, 9, tzinfo=SHANGHAI), tick=False):
        for size in (5, 60):
            grow(plan, author, rng, size)
            day = FIRST_DAY + datetime.timedelta(size // 5)
            with CaptureQueriesContext(connection) as first:
                rows_with_lights(assignments, today=day, as_of=day)
            # The read; the fill: a savepoint (the test's transaction is open), on
            # PostgreSQL the lock, the INSERT, the savepoint's release; the read again.
            assert len(first) == 5 + (connection.vendor == "postgresql")
            with CaptureQueriesContext(connection) as again:
                rows_with_lights(assignments, today=day, as_of=day)
            assert len(again) == 1


def test_the_check_finds_a_wrong_row_and_rebuild_clears_it(db):
    rng = random.Random(9)
    plan, author = world(rng)
    for offset in range(12):
        write(rng, plan, author, FIRST_DAY + datetime.timedelta(offset))
    with time_machine.travel(datetime.datetime(2030, 4, 1, 9, tzinfo=SHANGHAI), tick=False):
        assert_exact(plan, D(2030, 3, 10))
        LedgerAsOf.objects.filter(pk=LedgerAsOf.objects.first().pk).update(filed=99)
        assert len(asof_check()) == 1
        with pytest.raises(CommandError):
            call_command("ledger_rollups")
        call_command("ledger_rollups", "--rebuild")
        assert not LedgerAsOf.objects.exists()
        assert_exact(plan, D(2030, 3, 10))


@pytest.mark.postgres
def test_a_fill_waits_for_a_backdated_writer_in_flight(transactional_db):
    """A history row dated before the day, written but not committed when the day's row
    is filled: the fill waits for it (the advisory lock, ledger/asof.py) and stores what
    the history says once it commits — without the lock it stored the row as it was
    before, which the writer's trigger, run before the fill, could not delete."""
    department = DepartmentFactory(code="race", name="竞争处")
    task = TaskFactory()
    AssignmentFactory(task=task, department=department)
    entry = LedgerEntry(
        task=task,
        department=department,
        author=UserFactory(username="race-author"),
        happened_on=D(2030, 5, 1),
        summary="竞争",
        status=LedgerEntry.Status.IN_PROGRESS,
        state=State.SUBMITTED,
        submitted_at=datetime.datetime(2030, 5, 1, 9, tzinfo=SHANGHAI),
    )
    entry._history_date = datetime.datetime(2030, 5, 1, 9, tzinfo=SHANGHAI)
    entry.save()
    written, errors = threading.Event(), []

    def write_back_in_time():
        try:
            with transaction.atomic():
                entry.status = LedgerEntry.Status.DONE
                entry._history_date = datetime.datetime(2030, 5, 2, 9, tzinfo=SHANGHAI)
                entry.save()
                written.set()
                time.sleep(1)  # the fill below starts meanwhile
        except Exception as exc:  # reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    writer = threading.Thread(target=write_back_in_time)
    writer.start()
    assert written.wait(timeout=20)
    with time_machine.travel(datetime.datetime(2030, 6, 1, 9, tzinfo=SHANGHAI), tick=False):
        asof_fill(day=D(2030, 5, 3), pairs=[(task.pk, department.pk)])
    writer.join(timeout=20)
    assert errors == []
    stored = LedgerAsOf.objects.get(day=D(2030, 5, 3), task=task, department=department)
    assert stored.latest_status == LedgerEntry.Status.DONE
