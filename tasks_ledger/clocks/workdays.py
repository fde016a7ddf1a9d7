"""China's working days: weekends and public holidays off, the 调休 weekend days on.

`chinese-calendar` knows the years the State Council has announced. Past them only
weekends are known, and every answer says which calendar it came from so that the
interface can mark a date as unconfirmed.
"""

import datetime

import chinese_calendar

OFFICIAL = "chinese-calendar"
WEEKENDS_ONLY = "weekends-only"


def is_workday(day: datetime.date) -> tuple[bool, str]:
    """Whether `day` is a working day, and the name of the calendar that says so."""
    try:
        return chinese_calendar.is_workday(day), OFFICIAL
    except NotImplementedError:
        return day.weekday() < 5, WEEKENDS_ONLY


def first_workday_of_month(year: int, month: int) -> tuple[datetime.date, str]:
    day = datetime.date(year, month, 1)
    sources = set()
    while True:
        working, source = is_workday(day)
        sources.add(source)
        if working:
            return day, WEEKENDS_ONLY if WEEKENDS_ONLY in sources else OFFICIAL
        day += datetime.timedelta(days=1)
