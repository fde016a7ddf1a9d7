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

    newest_per_assignment(history, assignments, *, limit) -> [history_id, …]

The `limit` newest rows of `history` (entries_as_of's, filtered) of each assignment, each
pair's read back from the day over the `history_pair_by_time` index (PostgreSQL). For "the
newest changes as of a day": one walk back over all the history from the day stops early
only when the plan's rows are among the newest, and as of a day before the plan had any
(three years back, in five years of ledger) it read every older row: 0.8 s.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q, QuerySet

from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Assignment


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


def newest_per_assignment(history: QuerySet, assignments, *, limit: int) -> list[int]:
    """The history ids of the `limit` newest rows of `history` of each of `assignments`
    (PostgreSQL: an array subquery per pair)."""
    newest = (
        history.filter(task_id=OuterRef("task_id"), department_id=OuterRef("department_id"))
        .order_by("-history_date")
        .values("history_id")[:limit]
    )
    per_pair = Assignment.objects.filter(pk__in=[a.pk for a in assignments]).values_list(
        ArraySubquery(newest), flat=True
    )
    return [history_id for ids in per_pair for history_id in ids]
