"""The faster form of the status light (ledger/lights.py) agrees with the
one definition (ledger/status.py: `with_status`) on randomized ledgers, today's and "as
of" a past day, on whichever database the suite runs (CI runs it on SQLite and on
PostgreSQL)."""

import datetime
import random

import pytest
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from tasks_ledger.ledger.history import entries_as_of
from tasks_ledger.ledger.lights import rows_with_lights
from tasks_ledger.ledger.models import COUNTED_STATES, LedgerEntry
from tasks_ledger.ledger.status import Light, with_status
from tasks_ledger.plan.models import Assignment, Deadline
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
FIRST_DAY = D(2030, 3, 1)
COMPARED = ("light", "latest_status", "latest_state", "latest_on", "final_due", "next_due")


def random_ledger(rng: random.Random):
    """A plan of 6 tasks × up to 4 departments: date deadlines or none, some relative,
    and 0–6 entries per assignment in every state and progress, days of work drawn from a
    short span so that ties on the day are common."""
    plan = PlanFactory(year=2030)
    section = SectionFactory(plan=plan, number="一", order=0)
    departments = [DepartmentFactory(code=f"rand-{i}", order=i) for i in range(4)]
    author = UserFactory(username="rand-author")
    entries = []
    for t in range(6):
        task = TaskFactory(section=section, number=f"R{t}", order=t)
        for d in range(rng.randint(0, 3)):
            due = FIRST_DAY + datetime.timedelta(days=rng.randint(0, 200))
            DeadlineFactory(task=task, text=f"期限{d}", due=due, order=d)
        if rng.random() < 0.3:
            DeadlineFactory(
                task=task,
                text="3个工作日内",
                kind=Deadline.Kind.RELATIVE,
                due=None,
                amount=3,
                unit=Deadline.Unit.WORKDAY,
                after="文件公开后",
            )
        for order, department in enumerate(rng.sample(departments, rng.randint(1, 4))):
            AssignmentFactory(task=task, department=department, order=order)
            for _ in range(rng.randint(0, 6)):
                state = rng.choice(LedgerEntry.State.values)
                entries.append(
                    LedgerEntry(
                        task=task,
                        department=department,
                        author=author,
                        happened_on=FIRST_DAY + datetime.timedelta(days=rng.randint(0, 20)),
                        summary="随机台账",
                        status=rng.choice(LedgerEntry.Status.values),
                        state=state,
                        submitted_at=None
                        if state == LedgerEntry.State.DRAFT
                        else timezone.now() - datetime.timedelta(hours=rng.randint(0, 2000)),
                    )
                )
    rng.shuffle(entries)  # ids in no particular order of day
    bulk_create_with_history(entries, LedgerEntry)
    return plan


def both_forms(plan, today, entries=None):
    assignments = Assignment.objects.filter(task__plan=plan).order_by("id")
    definition = list(with_status(assignments, today=today, entries=entries))
    fast = rows_with_lights(assignments, today=today, entries=entries)
    return definition, fast


@pytest.mark.parametrize("seed", range(8))
def test_both_forms_give_every_assignment_the_same_light(db, seed):
    rng = random.Random(seed)
    plan = random_ledger(rng)
    for today in (FIRST_DAY + datetime.timedelta(days=rng.randint(-10, 230)) for _ in range(4)):
        definition, fast = both_forms(plan, today)
        assert len(definition) == len(fast) > 0
        for a, b in zip(definition, fast, strict=True):
            assert {k: getattr(a, k) for k in COMPARED} == {k: getattr(b, k) for k in COMPARED}
            assert a.light in Light.LABELS


@pytest.mark.parametrize("seed", range(3))
def test_both_forms_agree_as_of_a_past_day(db, seed):
    rng = random.Random(100 + seed)
    plan = random_ledger(rng)
    # Change the ledger after "then": the history, not today's rows, must decide.
    then = timezone.localdate()
    LedgerEntry.objects.filter(state=LedgerEntry.State.SUBMITTED).update(
        state=LedgerEntry.State.ACCEPTED
    )
    history = entries_as_of(day=then)
    definition, fast = both_forms(plan, then, entries=history)
    for a, b in zip(definition, fast, strict=True):
        assert {k: getattr(a, k) for k in COMPARED} == {k: getattr(b, k) for k in COMPARED}


@pytest.mark.parametrize("seed", range(3))
def test_the_last_filing_is_the_latest_submission_of_a_counted_entry(db, seed):
    plan = random_ledger(random.Random(200 + seed))
    _definition, fast = both_forms(plan, FIRST_DAY)
    for row in fast:
        filed = [
            e.submitted_at
            for e in LedgerEntry.objects.filter(task=row.task_id, department=row.department_id)
            if e.state in COUNTED_STATES
        ]
        assert row.last_filed_at == (max(filed) if filed else None)


def test_every_rule_is_reached(db):
    """A randomized ledger like the ones above reaches every light over the year, so the
    agreement covers each rule (seed 1 does; not every seed reaches all seven)."""
    plan = random_ledger(random.Random(1))
    seen = set()
    for days in range(-10, 240, 5):
        seen |= {row.light for row in both_forms(plan, FIRST_DAY + datetime.timedelta(days))[1]}
    assert seen == set(Light.LABELS)


@pytest.mark.parametrize("seed", range(4))
def test_both_forms_agree_after_random_changes_to_the_ledger(db, seed):
    """The dashboard's form reads today's inputs from the rollups the database's triggers
    keep (ledger/rollups.py):
    after random changes of every kind (states, days of work, progress, entries moved to
    another department or deleted, each a plain UPDATE or DELETE) it still agrees with the
    definition."""
    rng = random.Random(300 + seed)
    plan = random_ledger(rng)
    departments = list(Assignment.objects.filter(task__plan=plan).values_list("department_id"))
    for _ in range(60):
        ids = list(LedgerEntry.objects.values_list("id", flat=True))
        rows = LedgerEntry.objects.filter(pk=rng.choice(ids))
        change = rng.choice(["state", "day", "status", "move", "delete"])
        if change == "state":
            rows.update(
                state=rng.choice(COUNTED_STATES + (LedgerEntry.State.RETURNED,)),
                submitted_at=timezone.now(),
            )
        elif change == "day":
            rows.update(happened_on=FIRST_DAY + datetime.timedelta(days=rng.randint(0, 20)))
        elif change == "status":
            rows.update(status=rng.choice(LedgerEntry.Status.values))
        elif change == "move":
            rows.update(department=rng.choice(departments)[0])
        else:
            rows.delete()
    assignments = Assignment.objects.filter(task__plan=plan).order_by("id")
    for today in (FIRST_DAY + datetime.timedelta(days=rng.randint(-10, 230)) for _ in range(3)):
        # The definition from the entries themselves, not from the rollups.
        definition = with_status(assignments, today=today, entries=LedgerEntry.objects.all())
        from_rollups = with_status(assignments, today=today)
        fast = rows_with_lights(assignments, today=today)
        for a, b, c in zip(definition, from_rollups, fast, strict=True):
            expected = {k: getattr(a, k) for k in COMPARED}
            assert expected == {k: getattr(b, k) for k in COMPARED}
            assert expected == {k: getattr(c, k) for k in COMPARED}
