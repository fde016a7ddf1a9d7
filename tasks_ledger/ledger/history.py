"""The ledger as it stood at the end of a day, rebuilt from the change history.

The office must be able to show what the ledger said at the October check whatever was
edited after, so "as of" is not a filter on today's rows: it reads django-simple-history's
HistoricalLedgerEntry table. The ledger's own read of its history, used by the dashboard's
"as of" and by the review rounds, which freeze the ledger as of their date:

    entries_as_of(*, day) -> QuerySet of HistoricalLedgerEntry

Each ledger entry that existed at the end of `day` (Asia/Shanghai) appears once, as its
latest history row written up to then; entries deleted by then (their latest row is a
'-' row) and entries created later do not appear. The rows carry the entry's own field
names (`id`, `task_id`, `department_id`, `author_id`, `state`, `status`, `happened_on`,
`summary`, `updated_at`, …), so the queryset can stand in for `LedgerEntry.objects` where
only those fields are read: `status.with_status(assignments, today=day,
entries=entries_as_of(day=day))`. It is ordered by `id`.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery

from tasks_ledger.ledger.models import LedgerEntry


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` in the bureau's time zone (an exclusive bound)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), zone)


def entries_as_of(*, day: datetime.date) -> QuerySet:
    """Every ledger entry as it stood at the end of `day`: one history row per entry id."""
    history = LedgerEntry.history.model
    until = end_of_day(day)
    # The latest row of the outer row's entry by history_date (history_id breaks ties
    # between rows written in the same instant, e.g. by bulk_create_with_history). The
    # lookup runs on the `id` index simple_history creates.
    latest = (
        history.objects.filter(id=OuterRef("id"), history_date__lt=until)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return (
        history.objects.filter(history_date__lt=until, history_id=Subquery(latest))
        .exclude(history_type="-")
        .order_by("id")
    )
