"""Due times of relative deadlines: from the time of an event to a concrete moment.

  workday  "within N working days after D" ends at the end of the N-th working day
           counted from the day after D (China's calendar, see calendar/workdays.py);
  day      "within N days after D" ends at the end of day D + N (the day of the event is
           not counted, as periods by the day are counted in Chinese law);
  hour     "within N hours" ends exactly N hours after the event, across nights and
           holidays.

Each due time comes with the moment the obligation turns "due soon" and its alert goes out:
one hour before for hour clocks, 08:30 on the last day for the others.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tasks_ledger.calendar import workdays
from tasks_ledger.clocks.models import Calendar
from tasks_ledger.plan.models import Deadline

END_OF_DAY = datetime.time(23, 59, 59)
MORNING = datetime.time(8, 30)
HOUR_CLOCK_WARNING = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Due:
    due_at: datetime.datetime
    warn_at: datetime.datetime
    calendar: str


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())


def due_after(
    *,
    occurred_at: datetime.datetime,
    amount: int,
    unit: str,
    overrides: workdays.Overrides = workdays.NO_OVERRIDES,
) -> Due:
    if amount < 1:
        raise ValueError("amount must be at least 1")
    if unit == Deadline.Unit.HOUR:
        due_at = occurred_at + datetime.timedelta(hours=amount)
        warn_at = due_at - HOUR_CLOCK_WARNING
        calendar = Calendar.NONE
    else:
        # Days are the days of the bureau's clock, whatever zone the time was given in.
        start = timezone.localtime(occurred_at).date()
        if unit == Deadline.Unit.WORKDAY:
            last_day, calendar = workdays.nth_workday_after(start, amount, overrides)
        elif unit == Deadline.Unit.DAY:
            last_day, calendar = start + datetime.timedelta(days=amount), Calendar.NONE
        else:
            raise ValueError(f"unknown unit {unit!r}")
        due_at = _at(last_day, END_OF_DAY)
        warn_at = _at(last_day, MORNING)
    # A one-hour clock warns at once rather than before the event happened.
    return Due(due_at=due_at, warn_at=max(warn_at, occurred_at), calendar=calendar)
