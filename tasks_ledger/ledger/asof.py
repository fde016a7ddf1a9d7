"""The ledger "as of" a past day, per task × department (`LedgerAsOf`): a cache of what the
dashboard's lights and the review rounds read, so that their cost follows the plan's
assignments, not the history's size.

What a row holds is `LedgerRollup`'s fields computed from the history rows as they stood
at the end of the day (ledger/history.py: the same rows `entries_as_of` gives), `filed`,
how many entries (drafts left out) the pair then had, and its counted entries by the week
of their work over the WEEKS weeks up to the day (the dashboard's weekly chart). Computed
from the history that is a walk of each pair's history rows up to the day (380,000 rows
at 200,000 entries); once stored, one probe of a unique index.

Filling (`asof_fill`): on the first read of a day, one INSERT … SELECT for the pairs read
that have no row yet (ledger/lights.py).

Exactness: a day's row depends only on the history rows written before the end of that
day. Triggers on the history table (`history_triggers`) delete, for each pair whose history
a statement inserts, removes or changes, the pair's rows from the day of the earliest row
touched on — the day before its UTC date, so that no time zone ahead of UTC (the bureau's
is UTC+8) escapes, at the price of refilling one day more. The application only writes
history rows of today, which no stored row can depend on (a row is filled only for a
day already over: `asof_day_is_past`), but seeding, tests and imports may write the past.

A race on PostgreSQL: a fill that runs while a writer's history rows are not committed
would not see them, and the writer's trigger, having run before the fill's INSERT, would
have deleted nothing. So the triggers take a shared advisory lock (writers do not wait for
one another) and a fill takes it exclusively: the fill waits for writers in flight to
commit and then reads their rows (each statement of READ COMMITTED its own snapshot), and a
writer that comes during the fill waits for it to commit, then deletes what it made wrong.
SQLite has one writer at a time, and a fill is one statement.

`asof_check()` recomputes every stored row and lists the differences; `asof_clear()`
empties the cache (`manage.py ledger_rollups [--rebuild]`).
"""

import datetime

from django.db import connection, transaction
from django.utils import timezone

from tasks_ledger.ledger.history import end_of_day
from tasks_ledger.ledger.models import COUNTED_STATES, LedgerAsOf, LedgerEntry

ASOF = LedgerAsOf._meta.db_table
HISTORY = LedgerEntry.history.model._meta.db_table
COUNTED = "({})".format(", ".join(f"'{state}'" for state in COUNTED_STATES))
DRAFT = f"'{LedgerEntry.State.DRAFT}'"
WEEKS = 8
FIELDS = (
    "latest_status",
    "latest_state",
    "latest_on",
    "last_filed_at",
    "last_change",
    "filed",
    *(f"week_{n}" for n in range(WEEKS)),
)
# pg_advisory_xact_lock's key for "the history as the cache reads it": an arbitrary number,
# used for nothing else in this project.
LOCK_KEY = 170_017


def asof_day_is_past(day: datetime.date) -> bool:
    """Whether `day` is over: only then is the ledger as it stood at its end settled."""
    return end_of_day(day) <= timezone.now()


def charted_weeks(day: datetime.date) -> list[datetime.date]:
    """The Mondays of the WEEKS weeks up to `day`'s, oldest first (Chinese offices count
    weeks from Monday)."""
    monday = day - datetime.timedelta(days=day.weekday())
    return [monday - datetime.timedelta(weeks=n) for n in range(WEEKS)][::-1]


def _pair_fields(task: str, department: str, day: datetime.date) -> tuple[list[str], list]:
    """FIELDS of the pair (`task`, `department`: SQL expressions) as the ledger stood at
    the end of `day`, each a scalar subquery on the history, and their parameters."""
    until = connection.ops.adapt_datetimefield_value(end_of_day(day))
    same = (
        f"FROM {HISTORY} h WHERE h.task_id = {task} AND h.department_id = {department} "
        "AND h.history_date < %s AND (h.history_until IS NULL OR h.history_until >= %s) "
        "AND h.history_type <> '-'"
    )
    latest = f"{same} AND h.state IN {COUNTED} ORDER BY h.happened_on DESC, h.id DESC LIMIT 1"
    fields = [
        f"(SELECT h.status {latest})",
        f"(SELECT h.state {latest})",
        f"(SELECT h.happened_on {latest})",
        # MAX of an expression: of a plain column, PostgreSQL answered it by walking that
        # column's own index back from the newest row of any pair (2.5 s a pair at
        # 1,000,000 entries) instead of reading this pair's range of history_pair_by_day.
        f"(SELECT MAX(CASE WHEN h.state IN {COUNTED} THEN h.submitted_at END) {same})",
        f"(SELECT MAX(CASE WHEN h.state <> {DRAFT} THEN h.updated_at END) {same})",
        f"(SELECT COUNT(*) {same} AND h.state <> {DRAFT})",
    ]
    params = [until, until] * len(fields)
    for monday in charted_weeks(day):
        fields.append(
            f"(SELECT COUNT(*) {same} AND h.state IN {COUNTED} "
            "AND h.happened_on >= %s AND h.happened_on <= %s)"
        )
        last = min(monday + datetime.timedelta(days=6), day)
        params += [until, until, *map(connection.ops.adapt_datefield_value, (monday, last))]
    return fields, params


def asof_fill(*, day: datetime.date, pairs: list[tuple[int, int]]) -> None:
    """Store the rows for `day` of the (task id, department id) `pairs` that are missing."""
    assert asof_day_is_past(day), "only a day that is over is settled"
    pairs = sorted(set(pairs))
    if not pairs:
        return
    fields, field_params = _pair_fields("p.column1", "p.column2", day)
    values = ", ".join("(%s, %s)" for _pair in pairs)
    adapted_day = connection.ops.adapt_datefield_value(day)
    sql = (
        f"INSERT INTO {ASOF} (day, task_id, department_id, {', '.join(FIELDS)}) "
        f"SELECT %s, p.column1, p.column2, {', '.join(fields)} FROM (VALUES {values}) p "
        f"WHERE NOT EXISTS (SELECT 1 FROM {ASOF} c WHERE c.day = %s "
        "AND c.task_id = p.column1 AND c.department_id = p.column2) "
        "ON CONFLICT DO NOTHING"
    )
    params = [adapted_day, *field_params, *[n for pair in pairs for n in pair], adapted_day]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        cursor.execute(sql, params)


def asof_clear() -> None:
    """Empty the cache: it fills again as pages are read."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ASOF}")


def asof_check() -> list[str]:
    """The stored rows that differ from the history, one line each (empty when they
    agree): each recomputed as its fill would, in the database (EXCEPT: NULLs equal)."""
    differences = []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT day FROM {ASOF} ORDER BY day")
        days = [row[0] for row in cursor.fetchall()]
        for day in days:
            if isinstance(day, str):  # SQLite
                day = datetime.date.fromisoformat(day)
            fields, field_params = _pair_fields("c.task_id", "c.department_id", day)
            adapted_day = connection.ops.adapt_datefield_value(day)
            stored = (
                f"SELECT c.task_id, c.department_id, {', '.join(f'c.{f}' for f in FIELDS)} "
                f"FROM {ASOF} c WHERE c.day = %s"
            )
            expected = (
                f"SELECT c.task_id, c.department_id, {', '.join(fields)} "
                f"FROM {ASOF} c WHERE c.day = %s"
            )
            expected_params = [*field_params, adapted_day]
            cursor.execute(
                f"SELECT * FROM ({stored} EXCEPT {expected}) d ORDER BY 1, 2",
                [adapted_day, *expected_params],
            )
            for task_id, department_id, *values in cursor.fetchall():
                differences.append(
                    f"as of {day}, task {task_id}, department {department_id}: stored "
                    f"{', '.join(str(v) for v in values)}, the history says otherwise"
                )
    return differences


# The history's triggers: forget a pair's rows from the day before the UTC date of the
# earliest history row a statement touched of it.
def _forget_sqlite(row: str) -> str:
    return (
        f"DELETE FROM {ASOF} WHERE task_id = {row}.task_id AND department_id = "
        f"{row}.department_id AND day >= date({row}.history_date, '-1 day')"
    )


# The entry's columns the lights and the as-of values read (ledger/lights.py reads them
# from any source of the ledger's rows).
ENTRY_COLUMNS = (
    "id",
    "task_id",
    "department_id",
    "state",
    "status",
    "happened_on",
    "submitted_at",
    "updated_at",
)
# The columns a history row's as-of values read: an UPDATE of others (history_until, by
# the trigger of ledger/rollups.py) changes nothing here.
READ_COLUMNS = ("history_date", "history_type", *ENTRY_COLUMNS)


def _forget_postgresql(rows: str) -> str:
    return (
        f"DELETE FROM {ASOF} c USING (SELECT task_id, department_id, MIN(history_date) AS first "
        f"FROM {rows} GROUP BY task_id, department_id) x WHERE c.task_id = x.task_id "
        "AND c.department_id = x.department_id "
        "AND c.day >= (x.first AT TIME ZONE 'UTC')::date - 1"
    )


def history_triggers(vendor: str) -> list[str]:
    columns = ", ".join(READ_COLUMNS)
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER ledger_asof_insert AFTER INSERT ON {HISTORY} FOR EACH ROW "
            f"BEGIN {_forget_sqlite('NEW')}; END",
            f"CREATE TRIGGER ledger_asof_delete AFTER DELETE ON {HISTORY} FOR EACH ROW "
            f"BEGIN {_forget_sqlite('OLD')}; END",
            f"CREATE TRIGGER ledger_asof_update AFTER UPDATE OF {columns} ON {HISTORY} "
            f"FOR EACH ROW BEGIN {_forget_sqlite('OLD')}; {_forget_sqlite('NEW')}; END",
        ]
    lock = f"PERFORM pg_advisory_xact_lock_shared({LOCK_KEY})"
    bodies = {
        "insert": _forget_postgresql("new_rows"),
        "delete": _forget_postgresql("old_rows"),
        # A row trigger (a column list takes no transition tables): updates are rare.
        "update": _forget_postgresql(
            "(SELECT OLD.task_id, OLD.department_id, OLD.history_date UNION ALL "
            "SELECT NEW.task_id, NEW.department_id, NEW.history_date) AS r "
            "(task_id, department_id, history_date)"
        ),
    }
    events = {
        "insert": "AFTER INSERT ON {} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT",
        "delete": "AFTER DELETE ON {} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT",
        "update": f"AFTER UPDATE OF {columns} ON {{}} FOR EACH ROW",
    }
    statements = []
    for event, body in bodies.items():
        statements += [
            f"CREATE OR REPLACE FUNCTION ledger_asof_{event}() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$\nBEGIN\n  {lock};\n  {body};\n  RETURN NULL;\nEND\n$$",
            f"CREATE TRIGGER ledger_asof_{event} {events[event].format(HISTORY)} "
            f"EXECUTE FUNCTION ledger_asof_{event}()",
        ]
    return statements


def install_triggers(schema_editor) -> None:
    for statement in history_triggers(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def remove_triggers(schema_editor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    for event in ("insert", "delete", "update"):
        table = f" ON {HISTORY}" if postgresql else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS ledger_asof_{event}{table}", params=None)
        if postgresql:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS ledger_asof_{event}()", params=None)
