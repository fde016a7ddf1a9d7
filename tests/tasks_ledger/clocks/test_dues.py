"""Due times: hours on the clock, calendar days, working days ending at 23:59:59 Beijing
time, and when each turns "due soon"."""

import datetime

import pytest

from tasks_ledger.clocks.dues import due_after
from tasks_ledger.clocks.models import Calendar
from tasks_ledger.plan.models import Deadline
from tests.tasks_ledger.clocks.conftest import at

HOUR = Deadline.Unit.HOUR


def test_hour_clocks_run_across_the_night():
    emergency = at(2016, 10, 3, 22, 30)  # during the National Day holiday, at night
    first_release = due_after(occurred_at=emergency, amount=5, unit=HOUR)
    press_conference = due_after(occurred_at=emergency, amount=24, unit=HOUR)
    assert first_release.due_at == at(2016, 10, 4, 3, 30)
    assert press_conference.due_at == at(2016, 10, 4, 22, 30)
    assert first_release.warn_at == at(2016, 10, 4, 2, 30)  # one hour before
    assert first_release.calendar == Calendar.NONE


def test_a_one_hour_clock_warns_at_once():
    due = due_after(occurred_at=at(2016, 10, 3, 22, 30), amount=1, unit=HOUR)
    assert due.warn_at == at(2016, 10, 3, 22, 30)


def test_working_days_end_at_the_end_of_the_last_day_and_warn_that_morning():
    due = due_after(occurred_at=at(2016, 9, 30, 16, 0), amount=3, unit=Deadline.Unit.WORKDAY)
    assert due.due_at == at(2016, 10, 10, 23, 59, 59)
    assert due.due_at.isoformat() == "2016-10-10T23:59:59+08:00"
    assert due.warn_at == at(2016, 10, 10, 8, 30)
    assert due.calendar == Calendar.OFFICIAL


def test_the_day_is_beijings_whatever_zone_the_time_came_in():
    # 17:00 UTC on Sep 30 is 01:00 on Oct 1 in Beijing: a holiday, counted from Oct 2.
    utc = datetime.datetime(2016, 9, 30, 17, 0, tzinfo=datetime.UTC)
    due = due_after(occurred_at=utc, amount=3, unit=Deadline.Unit.WORKDAY)
    assert due.due_at == at(2016, 10, 10, 23, 59, 59)


def test_calendar_days_do_not_count_the_day_of_the_event():
    due = due_after(occurred_at=at(2016, 9, 30, 9, 0), amount=3, unit=Deadline.Unit.DAY)
    assert due.due_at == at(2016, 10, 3, 23, 59, 59)
    assert due.calendar == Calendar.NONE


def test_a_year_with_no_data_is_marked_unconfirmed():
    due = due_after(occurred_at=at(2031, 5, 2, 10, 0), amount=3, unit=Deadline.Unit.WORKDAY)
    assert due.due_at == at(2031, 5, 7, 23, 59, 59)
    assert due.calendar == Calendar.WEEKENDS_ONLY


def test_nonsense_is_refused():
    with pytest.raises(ValueError):
        due_after(occurred_at=at(2016, 9, 30, 9, 0), amount=0, unit=HOUR)
    with pytest.raises(ValueError):
        due_after(occurred_at=at(2016, 9, 30, 9, 0), amount=3, unit="fortnight")
