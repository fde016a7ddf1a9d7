"""The loader of the administrator's holidays, the `workdays.Overrides` every caller that
has a database passes to the working-day arithmetic."""

import datetime

from tasks_ledger.calendar.models import Holiday


class HolidayCalendar:
    """The administrator's days (`workdays.Overrides`), read one year at a time on first
    need: counting a few working days touches one or two years, so one or two queries."""

    def __init__(self):
        self._years: dict[int, dict[datetime.date, bool]] = {}

    def _year(self, year: int) -> dict[datetime.date, bool]:
        if year not in self._years:
            rows = Holiday.objects.filter(
                date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
            ).values_list("date", "is_workday")
            self._years[year] = dict(rows)
        return self._years[year]

    def load(self, start: datetime.date, end: datetime.date) -> "HolidayCalendar":
        """Read the years from `start` to `end` now, in one query, for a caller that counts
        its queries (the dashboard): reading them on first need could take one a year."""
        missing = [y for y in range(start.year, end.year + 1) if y not in self._years]
        if missing:
            self._years.update({year: {} for year in missing})
            rows = Holiday.objects.filter(
                date__gte=datetime.date(missing[0], 1, 1),
                date__lte=datetime.date(missing[-1], 12, 31),
            ).values_list("date", "is_workday")
            for day, working in rows:
                self._years[day.year][day] = working
        return self

    def day(self, day: datetime.date) -> bool | None:
        return self._year(day.year).get(day)

    def covers(self, year: int) -> bool:
        return bool(self._year(year))
