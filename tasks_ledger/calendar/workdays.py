"""China's working days: weekends and public holidays off, the 调休 weekend days on.

`chinese-calendar` knows the years the State Council has announced. An administrator may
add or correct days (the `Holiday` table), which callers pass in as `overrides`. Past the
years any source covers only weekends are known, and every answer says which calendar it
came from so that the interface can mark a date as unconfirmed.

This is the one implementation of working-day arithmetic: the statutory clocks' due
times, the reminders' "the working day before", the dashboard's working days left and the
plan parser's "first working day of the month" all count here. The functions are pure:
they never read the database themselves, so that the plan text parser can use them without
one. `tasks_ledger.calendar.selectors.HolidayCalendar` loads the administrator's days.
"""

import datetime
from typing import Protocol

import chinese_calendar

OFFICIAL = "chinese-calendar"
ADMIN = "admin"
WEEKENDS_ONLY = "weekends-only"
# From the most to the least certain: a result is as certain as its least certain day.
_CERTAINTY = [OFFICIAL, ADMIN, WEEKENDS_ONLY]
ONE_DAY = datetime.timedelta(days=1)
# How far a search for a working day may go: the longest Chinese holiday is 8 days.
MAX_REST_RUN = 15


class Overrides(Protocol):
    def day(self, day: datetime.date) -> bool | None:
        """The administrator's word on `day` (True: a working day), or None."""

    def covers(self, year: int) -> bool:
        """Whether the administrator has entered any day of `year`."""


class NoOverrides:
    def day(self, day: datetime.date) -> bool | None:
        return None

    def covers(self, year: int) -> bool:
        return False


NO_OVERRIDES = NoOverrides()


def least_certain(sources) -> str:
    return max(sources, key=_CERTAINTY.index, default=OFFICIAL)


def is_workday(day: datetime.date, overrides: Overrides = NO_OVERRIDES) -> tuple[bool, str]:
    """Whether `day` is a working day, and the name of the calendar that says so."""
    entered = overrides.day(day)
    if entered is not None:
        return entered, ADMIN
    try:
        return chinese_calendar.is_workday(day), OFFICIAL
    except NotImplementedError:
        # A year the package does not know: the administrator's entries for the year are
        # taken as the whole of its holidays; without any, only weekends are known.
        source = ADMIN if overrides.covers(day.year) else WEEKENDS_ONLY
        return day.weekday() < 5, source


def first_workday_of_month(
    year: int, month: int, overrides: Overrides = NO_OVERRIDES
) -> tuple[datetime.date, str]:
    day = datetime.date(year, month, 1)
    sources = set()
    while True:
        working, source = is_workday(day, overrides)
        sources.add(source)
        if working:
            return day, least_certain(sources)
        day += datetime.timedelta(days=1)


def nth_workday_after(
    day: datetime.date, n: int, overrides: Overrides = NO_OVERRIDES
) -> tuple[datetime.date, str]:
    """The n-th working day counted from the day after `day`, and the least certain
    calendar among the days counted.

    Not `chinese_calendar.find_workday(n, day)`: when `day` is a rest day it answers one
    working day too late (a document published on Sat 2016-10-01, a holiday, is due
    Mon 2016-10-10 within 3 working days; `find_workday` says 2016-10-11).
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    sources = set()
    counted = 0
    while counted < n:
        day += datetime.timedelta(days=1)
        working, source = is_workday(day, overrides)
        sources.add(source)
        counted += working
    return day, least_certain(sources)


def workdays_between(
    start: datetime.date, end: datetime.date, overrides: Overrides = NO_OVERRIDES
) -> int:
    """Working days after `start`, up to and including `end`."""
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += is_workday(day, overrides)[0]
    return count


def workday_on_or_before(day: datetime.date, overrides: Overrides = NO_OVERRIDES) -> datetime.date:
    """`day` if it is a working day, else the working day before it."""
    for _step in range(MAX_REST_RUN):
        if is_workday(day, overrides)[0]:
            return day
        day -= ONE_DAY
    return day


def workday_after(day: datetime.date, overrides: Overrides = NO_OVERRIDES) -> datetime.date:
    """The first working day after `day`."""
    day += ONE_DAY
    for _step in range(MAX_REST_RUN):
        if is_workday(day, overrides)[0]:
            return day
        day += ONE_DAY
    return day


def nth_workday_before(
    day: datetime.date, n: int, overrides: Overrides = NO_OVERRIDES
) -> datetime.date:
    """The n-th working day counted back from the day before `day`."""
    for _n in range(n):
        day = workday_on_or_before(day - ONE_DAY, overrides)
    return day
