import datetime

import pytest

from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.ledger.status import Light, assignment_statuses
from tests.factories import AssignmentFactory, DeadlineFactory, LedgerEntryFactory, TaskFactory

D = datetime.date


@pytest.fixture
def assignment(db):
    task = TaskFactory()
    DeadlineFactory(task=task, text="2030年9月底前", due=D(2030, 9, 30))
    DeadlineFactory(task=task, text="2030年6月", due=D(2030, 6, 30))
    return AssignmentFactory(task=task)


def light(assignment, today):
    return assignment_statuses(plan=assignment.task.plan, today=today).get(pk=assignment.pk)


MAY_1 = D(2030, 5, 1)


def entry(assignment, status, state=LedgerEntry.State.SUBMITTED, on=MAY_1):
    return LedgerEntryFactory(
        task=assignment.task,
        department=assignment.department,
        status=status,
        state=state,
        happened_on=on,
        submitted_at=None
        if state == LedgerEntry.State.DRAFT
        else datetime.datetime.now(datetime.UTC),
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2030, 6, 1), Light.ON_TRACK),
        (D(2030, 6, 23), Light.DUE_SOON),  # 7 days before the first deadline
        (D(2030, 6, 22), Light.ON_TRACK),
        (D(2030, 9, 30), Light.DUE_SOON),  # the last day is still due soon, not overdue
        (D(2030, 10, 1), Light.OVERDUE),
    ],
)
def test_light_from_deadlines_alone(assignment, today, expected):
    assert light(assignment, today).light == expected


def test_done_and_blocked_come_from_the_latest_counted_entry(assignment):
    entry(assignment, LedgerEntry.Status.DONE, on=D(2030, 5, 1))
    assert light(assignment, D(2030, 10, 5)).light == Light.DONE
    entry(assignment, LedgerEntry.Status.BLOCKED, on=D(2030, 5, 2))
    row = light(assignment, D(2030, 10, 5))
    assert (row.light, row.latest_on) == (Light.BLOCKED, D(2030, 5, 2))


def test_drafts_and_returned_entries_do_not_count(assignment):
    entry(assignment, LedgerEntry.Status.DONE, state=LedgerEntry.State.DRAFT)
    entry(assignment, LedgerEntry.Status.DONE, state=LedgerEntry.State.RETURNED)
    assert light(assignment, D(2030, 10, 5)).light == Light.OVERDUE


def test_other_departments_entries_do_not_count(assignment):
    other = AssignmentFactory(task=assignment.task)
    entry(other, LedgerEntry.Status.DONE)
    assert light(assignment, D(2030, 10, 5)).light == Light.OVERDUE
    assert light(other, D(2030, 10, 5)).light == Light.DONE


def test_one_query_whatever_the_size(assignment, django_assert_num_queries):
    for _ in range(5):
        AssignmentFactory(task=TaskFactory(section=assignment.task.section))
    with django_assert_num_queries(1):
        rows = list(assignment_statuses(plan=assignment.task.plan, today=D(2030, 6, 1)))
    assert len(rows) == 6
