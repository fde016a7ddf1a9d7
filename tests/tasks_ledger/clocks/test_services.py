"""Recording events (which start obligations) and fulfilling obligations."""

import datetime

import pytest
import time_machine

from tasks_ledger.clocks.models import Calendar, Event, Obligation
from tasks_ledger.clocks.services import ClockError, event_record, obligation_fulfil
from tests.factories import LedgerEntryFactory, TaskFactory
from tests.tasks_ledger.calendar.factories import HolidayFactory
from tests.tasks_ledger.clocks.conftest import at
from tests.tasks_ledger.clocks.factories import entry_with_evidence


def record_document(task, by, when):
    return event_record(
        task=task,
        kind=Event.Kind.DOCUMENT,
        title="关于进一步加强交通运输安全生产工作的意见",
        doc_number="宿交发〔2016〕88号",
        url="https://www.example.gov.cn/zcwj/88.html",
        occurred_at=when,
        by=by,
    )


def record_emergency(task, by, when):
    return event_record(
        task=task,
        kind=Event.Kind.EMERGENCY,
        title="京杭运河宿迁段船舶碰撞",
        location="京杭运河宿迁段",
        severity=Event.Severity.MAJOR,
        occurred_at=when,
        by=by,
    )


def states(event, now):
    return dict(
        Obligation.objects.with_state(now).filter(event=event).values_list("deadline_text", "state")
    )


@time_machine.travel(at(2016, 10, 8, 9, 0), tick=False)
def test_a_document_starts_one_obligation_per_department(document_task, people, departments):
    event = record_document(document_task, people["staff"], at(2016, 10, 1, 10, 0))
    rows = list(event.obligations.order_by("department__code"))
    assert [(o.department, o.deadline_text) for o in rows] == [
        (departments["own"], "3个工作日内"),
        (departments["partner"], "3个工作日内"),
    ]
    for o in rows:
        assert o.due_at == at(2016, 10, 10, 23, 59, 59)
        assert o.calendar == Calendar.OFFICIAL
    assert event.department == departments["own"]
    assert event.recorded_by == people["staff"]


@time_machine.travel(at(2016, 10, 8, 9, 0), tick=False)
def test_the_administrators_holiday_is_used_and_named(document_task, people):
    HolidayFactory(date=datetime.date(2016, 10, 10), note="临时放假")
    event = record_document(document_task, people["reviewer"], at(2016, 9, 30, 16, 0))
    o = event.obligations.first()
    assert (o.due_at, o.calendar) == (at(2016, 10, 11, 23, 59, 59), Calendar.ADMIN)
    assert event.department is None  # recorded by the office


@time_machine.travel(at(2031, 5, 2, 12, 0), tick=False)
def test_a_year_with_no_data_gives_an_unconfirmed_due_time(document_task, people):
    event = record_document(document_task, people["staff"], at(2031, 5, 2, 10, 0))
    o = event.obligations.first()
    assert (o.due_at, o.calendar, o.is_confirmed) == (
        at(2031, 5, 7, 23, 59, 59),
        Calendar.WEEKENDS_ONLY,
        False,
    )


@pytest.fixture
def emergency(emergency_task, people):
    with time_machine.travel(at(2016, 10, 3, 22, 40), tick=False):
        return record_emergency(emergency_task, people["staff"], at(2016, 10, 3, 22, 30))


def fulfil(emergency, text, when, by):
    obligation = emergency.obligations.get(deadline_text=text)
    entry = entry_with_evidence(task=emergency.task, department=obligation.department)
    with time_machine.travel(when + datetime.timedelta(minutes=5), tick=False):
        return obligation_fulfil(obligation=obligation, entry=entry, at=when, by=by)


def test_hour_clocks_due_at_0330_and_2230_the_next_day(emergency):
    due = dict(emergency.obligations.values_list("deadline_text", "due_at"))
    assert due == {"5小时内": at(2016, 10, 4, 3, 30), "24小时内": at(2016, 10, 4, 22, 30)}
    assert all(o.calendar == Calendar.NONE for o in emergency.obligations.all())


def test_fulfilment_at_0329_is_on_time(emergency, people):
    o = fulfil(emergency, "5小时内", at(2016, 10, 4, 3, 29), people["staff"])
    assert o.state_at(at(2016, 10, 5)) == Obligation.State.MET
    assert o.late_by is None
    assert o.fulfilment_recorded_by == people["staff"]
    assert states(emergency, at(2016, 10, 5))["5小时内"] == "met"


def test_fulfilment_at_0331_is_late_by_a_minute(emergency, people):
    o = fulfil(emergency, "5小时内", at(2016, 10, 4, 3, 31), people["staff"])
    assert o.state_at(at(2016, 10, 5)) == Obligation.State.LATE
    assert o.late_by == datetime.timedelta(minutes=1)
    assert states(emergency, at(2016, 10, 5))["5小时内"] == "late"


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2016, 10, 4, 2, 29), "open"),
        (at(2016, 10, 4, 2, 30), "due_soon"),  # one hour before
        (at(2016, 10, 4, 3, 30), "due_soon"),  # the due minute itself is still in time
        (at(2016, 10, 4, 3, 30, 1), "overdue"),
    ],
)
def test_an_unfulfilled_obligation_turns_overdue_at_its_due_time(emergency, now, expected):
    assert states(emergency, now)["5小时内"] == expected
    # The same rule in memory and in the database.
    assert emergency.obligations.get(deadline_text="5小时内").state_at(now) == expected


def test_fulfilment_is_refused_with_a_reason(
    emergency, people, departments, emergency_task, section
):
    other_task = TaskFactory(section=section, number="三")
    obligation = emergency.obligations.get(deadline_text="5小时内")
    when = at(2016, 10, 4, 3, 0)
    cases = [
        # another department's entry
        (entry_with_evidence(task=emergency_task, department=departments["other"]), when),
        # an entry for another task
        (entry_with_evidence(task=other_task, department=departments["own"]), when),
        # no evidence
        (LedgerEntryFactory(task=emergency_task, department=departments["own"]), when),
        # done before the event happened
        (entry_with_evidence(task=emergency_task, department=departments["own"]), at(2016, 10, 3)),
        # done in the future
        (entry_with_evidence(task=emergency_task, department=departments["own"]), at(2016, 10, 9)),
    ]
    with time_machine.travel(at(2016, 10, 4, 3, 10), tick=False):
        for entry, done_at in cases:
            with pytest.raises(ClockError):
                obligation_fulfil(
                    obligation=obligation, entry=entry, at=done_at, by=people["staff"]
                )
    obligation.refresh_from_db()
    assert obligation.fulfilled_by is None


def test_a_second_fulfilment_is_refused_not_overwritten(emergency, people):
    first = fulfil(emergency, "5小时内", at(2016, 10, 4, 3, 0), people["staff"])
    with pytest.raises(ClockError):
        fulfil(emergency, "5小时内", at(2016, 10, 4, 3, 10), people["head"])
    first.refresh_from_db()
    assert first.fulfilled_at == at(2016, 10, 4, 3, 0)


def test_an_event_needs_a_task_with_relative_deadlines_and_a_past_time(
    document_task, people, section
):
    with time_machine.travel(at(2016, 10, 8, 9, 0), tick=False):
        with pytest.raises(ClockError):
            record_document(
                TaskFactory(section=section, number="三"), people["staff"], at(2016, 10, 1, 10, 0)
            )
        with pytest.raises(ClockError):
            record_document(document_task, people["staff"], at(2016, 10, 9, 10, 0))
    assert not Event.objects.exists()
