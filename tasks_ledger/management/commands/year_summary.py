"""`manage.py year_summary YEAR [--department CODE] [--from D --to D] --out FILE.docx`: the
year's summary (工作总结) of a department or of the whole bureau, as a .docx draft."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from departments.models import Department
from tasks_ledger.reviews.summary import SummaryError, year_summary
from tasks_ledger.reviews.summary_docx import summary_docx


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from exc


class Command(BaseCommand):
    help = "Write the year's summary (工作总结) of a department or the bureau as a .docx."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--department", metavar="CODE", help="a department's code")
        parser.add_argument("--from", dest="start", metavar="D", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", metavar="D", help="last day, YYYY-MM-DD")
        parser.add_argument("--out", type=Path, required=True, metavar="FILE.docx")

    def handle(self, *args, year, department, start, end, out, **options):
        dept = None
        if department:
            dept = Department.objects.filter(code=department).first()
            if dept is None:
                raise CommandError(f"no department with code {department!r}")
        # The document is written in the site's language (zh-hans), as the browser's is.
        with translation.override(settings.LANGUAGE_CODE):
            try:
                summary = year_summary(
                    year=year,
                    department=dept,
                    start=_day(start) if start else None,
                    end=_day(end) if end else None,
                )
            except SummaryError as exc:
                raise CommandError(str(exc)) from exc
            data = summary_docx(summary)
        out.write_bytes(data)
        self.stdout.write(
            f"wrote {out}: {len(summary.sources)} sources, "
            f"{sum(len(s.tasks) for s in summary.sections)} tasks"
        )
