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
from django.db.models import Q, QuerySet

from tasks_ledger.ledger.models import LedgerEntry


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` in the bureau's time zone (an exclusive bound)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), zone)


def entries_as_of(*, day: datetime.date) -> QuerySet:
    """Every ledger entry as it stood at the end of `day`: one history row per entry id."""
    history = LedgerEntry.history.model
    until = end_of_day(day)
    # An entry's row as of `until` is the one written before it whose successor (by
    # history_date, then history_id: rows written in the same instant, e.g. by
    # bulk_create_with_history) came at or after it, or never: `history_until`, kept by a
    # trigger (ledger/rollups.py). A range condition, which the indexes of
    # models.LedgerHistory serve, instead of a search for each row's successor.
    return (
        history.objects.filter(history_date__lt=until)
        .filter(Q(history_until__isnull=True) | Q(history_until__gte=until))
        .exclude(history_type="-")
        .order_by("id")
    )
