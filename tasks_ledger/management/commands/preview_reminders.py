"""Print the reminders the schedule sends on a day or in a range, one JSON object a line.

    python manage.py preview_reminders --on 2016-09-30
    python manage.py preview_reminders --from 2016-01-01 --to 2017-01-31

Whether or not they were already sent: it lets an administrator see the year in advance.
"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from tasks_ledger.reminders.selectors import reminders_due


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from exc


class Command(BaseCommand):
    help = "Print the reminders sent on a day (--on) or days (--from/--to) as JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("--on", type=parse_date, help="one day, YYYY-MM-DD")
        parser.add_argument("--from", dest="start", type=parse_date, help="first day")
        parser.add_argument("--to", dest="end", type=parse_date, help="last day")

    def handle(self, *args, on=None, start=None, end=None, **options):
        if on and (start or end):
            raise CommandError("give either --on, or --from and --to")
        if on:
            start = end = on
        if not (start and end):
            raise CommandError("give --on DATE, or --from DATE --to DATE")
        if end < start:
            raise CommandError("--to is before --from")
        for reminder in reminders_due(start=start, end=end):
            self.stdout.write(json.dumps(reminder.as_json(), ensure_ascii=False))
