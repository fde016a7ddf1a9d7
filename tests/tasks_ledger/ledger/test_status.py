import datetime

import pytest

from tasks_ledger.ledger.lights import rows_with_lights
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.ledger.status import Light, assignment_statuses
from tasks_ledger.plan.models import Assignment
from tests.factories import AssignmentFactory, DeadlineFactory, LedgerEntryFactory, TaskFactory

D = datetime.date


def in_sql(assignment, today):
    """The light as the database computes it (status.with_status)."""
    return assignment_statuses(plan=assignment.task.plan, today=today).get(pk=assignment.pk)


def in_python(assignment, today):
    """The light as the dashboard computes it: its inputs in SQL, the rule in Python."""
    (row,) = rows_with_lights(
        Assignment.objects.filter(pk=assignment.pk), today=today, last_change=True
    )
    return row


# Every test of the rule runs against both: the two must agree.
@pytest.fixture(params=[in_sql, in_python], ids=["sql", "python"])
def light(request):
    return request.param


@pytest.fixture
def assignment(db):
    task = TaskFactory()
    DeadlineFactory(task=task, text="2030年9月底前", due=D(2030, 9, 30))
    DeadlineFactory(task=task, text="2030年6月", due=D(2030, 6, 30))
    return AssignmentFactory(task=task)


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
def test_light_from_deadlines_alone(light, assignment, today, expected):
    entry(assignment, LedgerEntry.Status.IN_PROGRESS)
    assert light(assignment, today).light == expected


def test_no_entry_filed_is_not_filed_not_on_track(light, assignment):
    assert light(assignment, D(2030, 6, 1)).light == Light.NOT_FILED
    # A draft is not filed yet either; the deadlines still come first.
    entry(assignment, LedgerEntry.Status.IN_PROGRESS, state=LedgerEntry.State.DRAFT)
    assert light(assignment, D(2030, 6, 1)).light == Light.NOT_FILED
    assert light(assignment, D(2030, 10, 1)).light == Light.OVERDUE
    entry(assignment, LedgerEntry.Status.IN_PROGRESS)
    assert light(assignment, D(2030, 6, 1)).light == Light.ON_TRACK


def test_done_means_accepted_a_submitted_done_awaits_confirmation(light, assignment):
    done = entry(assignment, LedgerEntry.Status.DONE)
    assert light(assignment, D(2030, 6, 1)).light == Light.AWAITING
    assert light(assignment, D(2030, 10, 5)).light == Light.AWAITING  # not overdue: filed
    LedgerEntry.objects.filter(pk=done.pk).update(state=LedgerEntry.State.ACCEPTED)
    assert light(assignment, D(2030, 6, 1)).light == Light.DONE


ACCEPTED = LedgerEntry.State.ACCEPTED


def test_done_and_blocked_come_from_the_latest_counted_entry(light, assignment):
    entry(assignment, LedgerEntry.Status.DONE, state=ACCEPTED, on=D(2030, 5, 1))
    assert light(assignment, D(2030, 10, 5)).light == Light.DONE
    entry(assignment, LedgerEntry.Status.BLOCKED, on=D(2030, 5, 2))
    row = light(assignment, D(2030, 10, 5))
    assert (row.light, row.latest_on) == (Light.BLOCKED, D(2030, 5, 2))


def test_drafts_and_returned_entries_do_not_count(light, assignment):
    entry(assignment, LedgerEntry.Status.DONE, state=LedgerEntry.State.DRAFT)
    entry(assignment, LedgerEntry.Status.DONE, state=LedgerEntry.State.RETURNED)
    assert light(assignment, D(2030, 10, 5)).light == Light.OVERDUE


def test_other_departments_entries_do_not_count(light, assignment):
    other = AssignmentFactory(task=assignment.task)
    entry(other, LedgerEntry.Status.DONE, state=ACCEPTED)
    assert light(assignment, D(2030, 10, 5)).light == Light.OVERDUE
    assert light(other, D(2030, 10, 5)).light == Light.DONE


def test_the_same_day_the_later_entry_wins(light, assignment):
    entry(assignment, LedgerEntry.Status.BLOCKED, on=D(2030, 5, 3))
    entry(assignment, LedgerEntry.Status.DONE, state=ACCEPTED, on=D(2030, 5, 3))
    entry(assignment, LedgerEntry.Status.BLOCKED, on=D(2030, 5, 2))
    assert light(assignment, D(2030, 6, 1)).light == Light.DONE


def test_a_task_without_date_deadlines_is_on_track(light, db):
    bare = AssignmentFactory()
    DeadlineFactory(task=bare.task, kind="recurring", text="定期", due=None, every="定期")
    entry(bare, LedgerEntry.Status.IN_PROGRESS)
    row = light(bare, D(2030, 6, 1))
    assert (row.light, row.final_due, row.next_due) == (Light.ON_TRACK, None, None)


def test_last_change_leaves_drafts_out(assignment):
    assert in_python(assignment, MAY_1).last_change is None
    entry(assignment, LedgerEntry.Status.IN_PROGRESS, state=LedgerEntry.State.DRAFT)
    assert in_python(assignment, MAY_1).last_change is None
    submitted = entry(assignment, LedgerEntry.Status.IN_PROGRESS)
    assert in_python(assignment, MAY_1).last_change == submitted.updated_at


def test_one_query_whatever_the_size(assignment, django_assert_num_queries):
    for _ in range(5):
        AssignmentFactory(task=TaskFactory(section=assignment.task.section))
    with django_assert_num_queries(1):
        rows = list(assignment_statuses(plan=assignment.task.plan, today=D(2030, 6, 1)))
    assert len(rows) == 6
