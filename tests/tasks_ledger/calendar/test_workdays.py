"""Working-day arithmetic on real dates: China's calendar, the administrator's days, and
the weekends-only fallback for a year nobody has announced."""

import datetime

import pytest

from tasks_ledger.calendar import workdays
from tasks_ledger.calendar.selectors import HolidayCalendar
from tests.tasks_ledger.calendar.factories import HolidayFactory

D = datetime.date


@pytest.mark.parametrize(
    ("published", "due"),
    [
        # Fri before National Day: Oct 1–7 off, Sat 8 and Sun 9 are 调休 working days.
        (D(2016, 9, 30), D(2016, 10, 10)),
        # Published on a holiday: counting starts the day after, not on the holiday.
        (D(2016, 10, 1), D(2016, 10, 10)),
        # Before the 2017 Spring Festival: Sun 2017-01-22 is a 调休 working day and counts.
        (D(2017, 1, 20), D(2017, 1, 24)),
        # Across it: Thu 26 Jan, then Jan 27–Feb 2 off, Fri 3 Feb and the 调休 Sat 4 Feb.
        (D(2017, 1, 25), D(2017, 2, 4)),
        # An ordinary week: Thu → Fri, Mon, Tue.
        (D(2016, 6, 2), D(2016, 6, 7)),
    ],
)
def test_three_working_days_after_on_the_official_calendar(published, due):
    assert workdays.nth_workday_after(published, 3) == (due, workdays.OFFICIAL)


def test_the_package_shortcut_would_be_one_day_late():
    """Why nth_workday_after exists: the package's find_workday counts a rest day as the
    starting point and answers 2016-10-11 for a document published on 2016-10-01."""
    import chinese_calendar

    assert chinese_calendar.find_workday(3, D(2016, 10, 1)) == D(2016, 10, 11)
    assert workdays.nth_workday_after(D(2016, 10, 1), 3)[0] == D(2016, 10, 10)


def test_a_year_with_no_data_counts_weekends_only_and_says_so():
    # chinese-calendar stops at its last announced year; 2031 is long past it.
    assert workdays.is_workday(D(2031, 10, 1)) == (True, workdays.WEEKENDS_ONLY)
    # Fri 2 May 2031 → Mon 5, Tue 6, Wed 7 (a 劳动节 holiday would not be known).
    assert workdays.nth_workday_after(D(2031, 5, 2), 3) == (D(2031, 5, 7), workdays.WEEKENDS_ONLY)


def test_first_workday_of_month_for_the_plan_parser():
    assert workdays.first_workday_of_month(2016, 10) == (D(2016, 10, 8), workdays.OFFICIAL)
    assert workdays.first_workday_of_month(2017, 1) == (D(2017, 1, 3), workdays.OFFICIAL)
    assert workdays.first_workday_of_month(2031, 3) == (D(2031, 3, 3), workdays.WEEKENDS_ONLY)


def test_an_administrators_holiday_moves_the_due_date(db):
    HolidayFactory(date=D(2016, 10, 10), note="临时放假")
    calendar = HolidayCalendar()
    assert workdays.nth_workday_after(D(2016, 9, 30), 3, calendar) == (
        D(2016, 10, 11),
        workdays.ADMIN,
    )
    # A day the count did not touch leaves the official calendar in charge.
    assert workdays.nth_workday_after(D(2016, 6, 2), 3, calendar) == (
        D(2016, 6, 7),
        workdays.OFFICIAL,
    )


def test_an_administrators_working_day_is_counted(db):
    HolidayFactory(date=D(2016, 6, 4), is_workday=True, note="调休上班")  # a Saturday
    assert workdays.nth_workday_after(D(2016, 6, 2), 3, HolidayCalendar()) == (
        D(2016, 6, 6),
        workdays.ADMIN,
    )


def test_an_administrators_year_replaces_the_weekends_only_guess(db):
    HolidayFactory(date=D(2031, 5, 5), note="劳动节")
    HolidayFactory(date=D(2031, 5, 6), note="劳动节")
    calendar = HolidayCalendar()
    assert workdays.nth_workday_after(D(2031, 5, 2), 3, calendar) == (D(2031, 5, 9), workdays.ADMIN)
    # Entered days cover their whole year; another year stays unconfirmed.
    assert workdays.is_workday(D(2031, 10, 1), calendar) == (True, workdays.ADMIN)
    assert workdays.is_workday(D(2032, 10, 1), calendar) == (True, workdays.WEEKENDS_ONLY)


def test_holiday_calendar_reads_each_year_once(db, django_assert_num_queries):
    calendar = HolidayCalendar()
    with django_assert_num_queries(2):  # the Holiday rows of 2016, then of 2017
        workdays.nth_workday_after(D(2016, 12, 20), 10, calendar)
        workdays.nth_workday_after(D(2016, 12, 28), 3, calendar)


def test_working_days_between_count_after_the_start_up_to_the_end():
    # Fri 2016-09-30 to Mon 2016-10-10: the 调休 Sat 8th and Sun 9th and Mon 10th.
    assert workdays.workdays_between(D(2016, 9, 30), D(2016, 10, 10)) == 3
    assert workdays.workdays_between(D(2016, 6, 2), D(2016, 6, 2)) == 0


def test_the_working_day_on_or_before_and_after_a_holiday():
    assert workdays.workday_on_or_before(D(2016, 10, 5)) == D(2016, 9, 30)
    assert workdays.workday_on_or_before(D(2016, 9, 30)) == D(2016, 9, 30)
    assert workdays.workday_after(D(2016, 9, 30)) == D(2016, 10, 8)


def test_nth_working_day_before_counts_back_from_the_day_before():
    # Before Mon 2016-10-10: the 调休 Sun 9th, Sat 8th, then Fri 2016-09-30.
    assert workdays.nth_workday_before(D(2016, 10, 10), 1) == D(2016, 10, 9)
    assert workdays.nth_workday_before(D(2016, 10, 10), 3) == D(2016, 9, 30)


def test_the_arithmetic_takes_the_administrators_days(db):
    HolidayFactory(date=D(2016, 9, 30), note="临时放假")
    calendar = HolidayCalendar()
    assert workdays.workday_on_or_before(D(2016, 10, 5), calendar) == D(2016, 9, 29)
    assert workdays.workdays_between(D(2016, 9, 29), D(2016, 10, 10), calendar) == 3
