"""The ledger's rollups (`LedgerRollup`, `LedgerDayCount`), kept by database triggers.

The dashboard reads, per task × department, the latest counted entry, the last filing and
the last change, and counted entries per day for its weekly chart. Read from the entries,
that work follows the ledger's size; read from these two tables it follows the plan's
(assignments × charted days).

Why triggers rather than calls in the services: every write of an entry must keep them —
the services, the Excel import, the admin, bulk seeding, `QuerySet.update()` (the
services' claim, evidence touching `updated_at`) and tests' factories and
`bulk_create_with_history`. Only the database sees all of them, so the rule "the rollups
follow the entries" is written once, here, as SQL for SQLite (row triggers) and PostgreSQL
(statement triggers with transition tables, so a bulk insert of thousands of rows costs
one recomputation per statement, not per row).

What a trigger does for each task × department a statement touched:
  - the day counts: adds the counted entries it inserted, subtracts those it removed (an
    update does both, for the old and the new row), and drops days that reach zero;
    a removal only changes rows that exist (a flush deletes table by table);
  - the pair's row: recomputed from the entries (each field one probe of a partial index,
    see `LedgerEntry.Meta.indexes`), or deleted when the pair has no entry left.

Concurrency (PostgreSQL, READ COMMITTED): the pair's rollup row is created if missing and
locked (FOR UPDATE, in the pairs' order) *before* the entries are read, each statement of
the function taking a fresh snapshot. A second writer of the same pair therefore waits
for the first to commit and then reads the entries with the first one's change in them —
computing first and locking second would let it write a result without that change. Day
counts are increments under the row's lock (ON CONFLICT DO UPDATE). SQLite has one writer
at a time.

"As of" a past day does not read the rollups: the history decides (`ledger/history.py`).

The history's `history_until` (models.HistoryInterval) is kept the same way, by a trigger
on the history table, for the reads "as of" a day (ledger/history.py).

`rollups_check()` recomputes both tables from the entries, and history_until from the
history, and lists the differences, with those of the cache "as of" a day (ledger/asof.py);
`rollups_rebuild()` rewrites them and empties that cache (`manage.py ledger_rollups
[--rebuild]`). Needs SQLite 3.39 or later (IS DISTINCT FROM, UPDATE FROM).
"""

from django.db import connection, transaction

from tasks_ledger.ledger.asof import asof_check, asof_clear
from tasks_ledger.ledger.models import COUNTED_STATES, LedgerDayCount, LedgerEntry, LedgerRollup

ENTRIES = LedgerEntry._meta.db_table
ROLLUP = LedgerRollup._meta.db_table
DAYS = LedgerDayCount._meta.db_table
# Literals, not parameters: trigger bodies take none, and SQLite uses a partial index only
# when it sees the implication while planning. The states are constants of the code.
COUNTED = "({})".format(", ".join(f"'{state}'" for state in COUNTED_STATES))
DRAFT = f"'{LedgerEntry.State.DRAFT}'"
FIELDS = ("latest_status", "latest_state", "latest_on", "last_filed_at", "last_change")


def _pair_fields(task: str, department: str) -> list[str]:
    """The rollup's FIELDS of the pair (`task`, `department`: SQL expressions), each a
    scalar subquery on the entries."""
    same = f"FROM {ENTRIES} e WHERE e.task_id = {task} AND e.department_id = {department}"
    latest = f"{same} AND e.state IN {COUNTED} ORDER BY e.happened_on DESC, e.id DESC LIMIT 1"
    return [
        f"(SELECT e.status {latest})",
        f"(SELECT e.state {latest})",
        f"(SELECT e.happened_on {latest})",
        f"(SELECT MAX(e.submitted_at) {same} AND e.state IN {COUNTED})",
        f"(SELECT MAX(e.updated_at) {same} AND e.state <> {DRAFT})",
    ]


# What the rollups read of an entry: an update that changes none of it (the services' claim,
# which moves the version only) or that leaves a draft a draft of the same pair (a
# department typing; drafts are neither counted nor a change the office sees) leaves them
# as they were, and the triggers skip it. Not for the time (a few index probes) but for
# the lock: recomputing locks the pair's rollup row until commit, which queued a department's
# draft edits behind every other write of the same task × department.
_READ_COLUMNS = ("task_id", "department_id", "happened_on", "state", "status")
_READ_COLUMNS += ("submitted_at", "updated_at")


def _update_matters(old: str, new: str) -> str:
    """SQL: the update of the row `old` → `new` (aliases) can change the rollups."""
    changed = " OR ".join(f"{old}.{c} IS DISTINCT FROM {new}.{c}" for c in _READ_COLUMNS)
    same_draft = (
        f"{old}.state = {DRAFT} AND {new}.state = {DRAFT} AND {old}.task_id = {new}.task_id "
        f"AND {old}.department_id = {new}.department_id"
    )
    return f"(NOT ({same_draft}) AND ({changed}))"


def _recompute(where: str) -> list[str]:
    """Statements recomputing the rollup rows selected by `where` (on the rollup table,
    named in full: SQLite's UPDATE takes no alias), and deleting those left empty."""
    values = _pair_fields(f"{ROLLUP}.task_id", f"{ROLLUP}.department_id")
    assignments = ", ".join(f"{name} = {value}" for name, value in zip(FIELDS, values, strict=True))
    return [
        f"UPDATE {ROLLUP} SET {assignments} WHERE {where}",
        f"DELETE FROM {ROLLUP} WHERE {where} AND NOT EXISTS (SELECT 1 FROM {ENTRIES} e "
        f"WHERE e.task_id = {ROLLUP}.task_id AND e.department_id = {ROLLUP}.department_id)",
    ]


_DAY_UPSERT = (
    f"INSERT INTO {DAYS} (task_id, department_id, day, counted) {{rows}} "
    "ON CONFLICT (task_id, department_id, day) "
    f"DO UPDATE SET counted = {DAYS}.counted + excluded.counted"
)


# SQLite: a trigger per event, run for each row. A removed row (sign -1) only changes rows
# that exist: Django's flush of a test database deletes table by table, and a trigger that
# created rows for a task or department deleted before would break the foreign keys.
def _sqlite_row(row: str, sign: int) -> list[str]:
    pair = f"task_id = {row}.task_id AND department_id = {row}.department_id"
    if sign > 0:
        count = [
            # "WHERE" after the SELECT tells SQLite's parser the ON CONFLICT is an upsert's.
            _DAY_UPSERT.format(
                rows=f"SELECT {row}.task_id, {row}.department_id, {row}.happened_on, 1 "
                f"WHERE {row}.state IN {COUNTED}"
            ),
            f"INSERT INTO {ROLLUP} (task_id, department_id) VALUES ({row}.task_id, "
            f"{row}.department_id) ON CONFLICT (task_id, department_id) DO NOTHING",
        ]
    else:
        count = [
            f"UPDATE {DAYS} SET counted = counted - 1 WHERE {pair} "
            f"AND day = {row}.happened_on AND {row}.state IN {COUNTED}",
            f"DELETE FROM {DAYS} WHERE {pair} AND day = {row}.happened_on AND counted = 0",
        ]
    return [*count, *_recompute(pair)]


def sqlite_triggers() -> list[str]:
    rows = {"insert": [("NEW", 1)], "delete": [("OLD", -1)], "update": [("OLD", -1), ("NEW", 1)]}
    statements = []
    for event, changed in rows.items():
        body = "; ".join(s for row, sign in changed for s in _sqlite_row(row, sign))
        when = f"WHEN {_update_matters('OLD', 'NEW')} " if event == "update" else ""
        statements.append(
            f"CREATE TRIGGER ledger_rollups_{event} AFTER {event.upper()} ON {ENTRIES} "
            f"FOR EACH ROW {when}BEGIN {body}; END"
        )
    return statements


# PostgreSQL: a trigger per event, run once per statement over its transition tables.
_PG_UPDATED = "FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {}"
_PG_CHANGES = {
    "insert": "SELECT task_id, department_id, happened_on, state, 1 AS sign FROM new_rows",
    "delete": "SELECT task_id, department_id, happened_on, state, -1 AS sign FROM old_rows",
    "update": "SELECT n.task_id, n.department_id, n.happened_on, n.state, 1 AS sign "
    f"{_PG_UPDATED.format(_update_matters('o', 'n'))} UNION ALL "
    "SELECT o.task_id, o.department_id, o.happened_on, o.state, -1 "
    f"{_PG_UPDATED.format(_update_matters('o', 'n'))}",
}
_PG_TABLES = {
    "insert": "NEW TABLE AS new_rows",
    "delete": "OLD TABLE AS old_rows",
    "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


# The planner cannot know a transition table's size and, guessing, chose to read the whole
# history table for a statement's few entries (a seeding batch hit the 30 s statement
# timeout at 640,000 entries). These functions only ever touch the rows of the entries a
# statement wrote, through their indexes: say so for the function's own statements.
INDEXES_ONLY = "SET enable_seqscan = off"


def _pg_function(event: str) -> str:
    changes = f"({_PG_CHANGES[event]}) changes"
    pairs = f"(SELECT DISTINCT task_id, department_id FROM {changes})"
    touched = f"({ROLLUP}.task_id, {ROLLUP}.department_id) IN {pairs}"
    day_rows = (
        f"SELECT task_id, department_id, happened_on, SUM(sign) AS n FROM {changes} "
        f"WHERE state IN {COUNTED} GROUP BY task_id, department_id, happened_on "
        "HAVING SUM(sign) {} 0 ORDER BY task_id, department_id, happened_on"
    )
    statements = [
        # Counts that grow are inserted or added to; those that shrink only change rows
        # that exist (as on SQLite).
        _DAY_UPSERT.format(rows=day_rows.format(">")),
        f"UPDATE {DAYS} SET counted = {DAYS}.counted + d.n FROM ({day_rows.format('<')}) d "
        f"WHERE {DAYS}.task_id = d.task_id AND {DAYS}.department_id = d.department_id "
        f"AND {DAYS}.day = d.happened_on",
        f"DELETE FROM {DAYS} WHERE counted = 0 AND (task_id, department_id, day) IN "
        f"(SELECT task_id, department_id, happened_on FROM {changes})",
        # Create, then lock, the pairs' rows before reading the entries (module docstring).
        f"INSERT INTO {ROLLUP} (task_id, department_id) SELECT task_id, department_id "
        f"FROM {pairs} p ORDER BY task_id, department_id ON CONFLICT DO NOTHING",
        f"PERFORM 1 FROM {ROLLUP} WHERE {touched} ORDER BY task_id, department_id FOR UPDATE",
        *_recompute(touched),
    ]
    if event == "update":
        # Most updates cannot change the rollups (the services' claim moves a version, a
        # draft edited stays a draft): they return here, before any statement below runs
        # (each cost its planning and an empty pass: 0.3-0.5 ms an update).
        matters = _PG_UPDATED.format(_update_matters("o", "n"))
        statements.insert(0, f"IF NOT EXISTS (SELECT 1 {matters}) THEN RETURN NULL; END IF")
    body = ";\n  ".join(statements)
    return (
        f"CREATE OR REPLACE FUNCTION ledger_rollups_{event}() RETURNS trigger "
        f"LANGUAGE plpgsql {INDEXES_ONLY} AS $$\nBEGIN\n  {body};\n  RETURN NULL;\nEND\n$$"
    )


def postgresql_triggers() -> list[str]:
    statements = []
    for event in _PG_CHANGES:
        statements.append(_pg_function(event))
        statements.append(
            f"CREATE TRIGGER ledger_rollups_{event} AFTER {event.upper()} ON {ENTRIES} "
            f"REFERENCING {_PG_TABLES[event]} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION ledger_rollups_{event}()"
        )
    return statements


def install_triggers(schema_editor) -> None:
    """Create the triggers on the migrating database (the migration's forward step)."""
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sqlite_triggers, "postgresql": postgresql_triggers}[vendor]()
    for statement in statements:
        schema_editor.execute(statement, params=None)


def reinstall_triggers(schema_editor) -> None:
    """Replace the entries' triggers with this module's (the rollups stay as they are)."""
    remove_triggers(schema_editor)
    install_triggers(schema_editor)


def remove_triggers(schema_editor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    for event in _PG_CHANGES:
        table = f" ON {ENTRIES}" if postgresql else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS ledger_rollups_{event}{table}", params=None)
        if postgresql:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS ledger_rollups_{event}()", params=None)


# The history rows' `history_until` (models.HistoryInterval): the history_date of the next
# row of the same entry, by (history_date, history_id) as ledger/history.py orders them.
HISTORY = LedgerEntry.history.model._meta.db_table


def _history_until_sql(ids: str) -> str:
    """Set history_until on every history row of the entries `ids` (a subquery, or
    None for all). An entry's rows are written under its row lock (the services' claim),
    so two writers never set the same entry's rows at once."""
    where = f"WHERE id IN ({ids})" if ids else ""
    return (
        f"UPDATE {HISTORY} SET history_until = n.next_date FROM (SELECT history_id, "
        "LEAD(history_date) OVER (PARTITION BY id ORDER BY history_date, history_id) "
        f"AS next_date FROM {HISTORY} {where}) n WHERE {HISTORY}.history_id = n.history_id "
        f"AND {HISTORY}.history_until IS DISTINCT FROM n.next_date"
    )


def _history_until_after_insert_sql(rows: str) -> str:
    """Set history_until where inserting the history rows `rows` (a table of their id,
    history_date and history_id) changed it: on each new row (the date of the row after it,
    usually none) and on the row just before each new row (the new row's date). Two index
    probes per new row (history_entry_by_time) instead of `_history_until_sql`'s pass over
    every row of the entry, which grew with its history: an entry saved a thousand times
    cost a millisecond more on each save. The same result (rollups_check compares)."""
    before = "(h.history_date, h.history_id) < (n.history_date, n.history_id)"
    after = "(h.history_date, h.history_id) > (n.history_date, n.history_id)"
    return (
        f"UPDATE {HISTORY} SET history_until = x.until FROM ("
        f"SELECT (SELECT h.history_id FROM {HISTORY} h WHERE h.id = n.id AND {before} "
        "ORDER BY h.history_date DESC, h.history_id DESC LIMIT 1) AS history_id, "
        f"n.history_date AS until FROM {rows} n "
        "UNION ALL "
        f"SELECT n.history_id, (SELECT h.history_date FROM {HISTORY} h WHERE h.id = n.id "
        f"AND {after} ORDER BY h.history_date, h.history_id LIMIT 1) FROM {rows} n"
        f") x WHERE {HISTORY}.history_id = x.history_id "
        f"AND {HISTORY}.history_until IS DISTINCT FROM x.until"
    )


def history_triggers(vendor: str) -> list[str]:
    if vendor == "sqlite":
        new_row = (
            "(SELECT NEW.id AS id, NEW.history_date AS history_date, NEW.history_id AS history_id)"
        )
        return [
            f"CREATE TRIGGER ledger_history_until AFTER INSERT ON {HISTORY} FOR EACH ROW "
            f"BEGIN {_history_until_after_insert_sql(new_row)}; END"
        ]
    return [
        "CREATE OR REPLACE FUNCTION ledger_history_until() RETURNS trigger LANGUAGE plpgsql "
        f"{INDEXES_ONLY} AS $$\nBEGIN\n  {_history_until_after_insert_sql('new_rows')};\n"
        "  RETURN NULL;\nEND\n$$",
        f"CREATE TRIGGER ledger_history_until AFTER INSERT ON {HISTORY} "
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION ledger_history_until()",
    ]


def install_history_triggers(schema_editor) -> None:
    """Create the history's trigger and set history_until on the rows already there."""
    _create_history_triggers(schema_editor)
    schema_editor.execute(_history_until_sql(None), params=None)


def reinstall_history_triggers(schema_editor) -> None:
    """Replace the history's trigger with this module's, leaving the rows as they are."""
    remove_history_triggers(schema_editor)
    _create_history_triggers(schema_editor)


def _create_history_triggers(schema_editor) -> None:
    for statement in history_triggers(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def remove_history_triggers(schema_editor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    table = f" ON {HISTORY}" if postgresql else ""
    schema_editor.execute(f"DROP TRIGGER IF EXISTS ledger_history_until{table}", params=None)
    if postgresql:
        schema_editor.execute("DROP FUNCTION IF EXISTS ledger_history_until()", params=None)


def _expected_pairs_sql() -> str:
    fields = _pair_fields("p.task_id", "p.department_id")
    return (
        f"SELECT p.task_id, p.department_id, {', '.join(fields)} "
        f"FROM (SELECT DISTINCT task_id, department_id FROM {ENTRIES}) p"
    )


def _expected_days_sql() -> str:
    return (
        f"SELECT task_id, department_id, happened_on, COUNT(*) FROM {ENTRIES} "
        f"WHERE state IN {COUNTED} GROUP BY task_id, department_id, happened_on"
    )


def fill(cursor) -> None:
    """Rewrite both tables from the entries, in two INSERT … SELECTs (the database computes
    each in one pass: seconds at a million entries)."""
    cursor.execute(f"DELETE FROM {DAYS}")
    cursor.execute(
        f"INSERT INTO {DAYS} (task_id, department_id, day, counted) {_expected_days_sql()}"
    )
    cursor.execute(f"DELETE FROM {ROLLUP}")
    cursor.execute(
        f"INSERT INTO {ROLLUP} (task_id, department_id, {', '.join(FIELDS)}) "
        f"{_expected_pairs_sql()}"
    )


def rollups_rebuild() -> None:
    """Rewrite both tables from the entries (`fill`) and the history rows' history_until,
    in one transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        fill(cursor)
        cursor.execute(_history_until_sql(None))
        asof_clear()


def rollups_check() -> list[str]:
    """The differences between the stored rollups and the entries, one line each (empty
    when they agree). Compared in the database (EXCEPT both ways, which treats NULLs as
    equal), so both sides are in the database's own types."""
    stored_days = f"SELECT task_id, department_id, day, counted FROM {DAYS}"
    stored_pairs = f"SELECT task_id, department_id, {', '.join(FIELDS)} FROM {ROLLUP}"
    differences = []
    with connection.cursor() as cursor:
        for kind, expected, stored in (
            ("day count", _expected_days_sql(), stored_days),
            ("rollup", _expected_pairs_sql(), stored_pairs),
        ):
            for label, first, second in (
                ("entries say", expected, stored),
                ("stored", stored, expected),
            ):
                cursor.execute(f"SELECT * FROM ({first} EXCEPT {second}) d ORDER BY 1, 2, 3")
                for task_id, department_id, *values in cursor.fetchall():
                    differences.append(
                        f"{kind} of task {task_id}, department {department_id}: "
                        f"{label} {', '.join(str(v) for v in values)}"
                    )
        cursor.execute(
            f"SELECT h.id, h.history_id, h.history_until, n.next_date FROM {HISTORY} h "
            "JOIN (SELECT history_id, LEAD(history_date) OVER (PARTITION BY id ORDER BY "
            f"history_date, history_id) AS next_date FROM {HISTORY}) n "
            "ON h.history_id = n.history_id "
            "WHERE h.history_until IS DISTINCT FROM n.next_date ORDER BY h.history_id"
        )
        for entry_id, history_id, stored, expected in cursor.fetchall():
            differences.append(
                f"history row {history_id} of entry {entry_id}: "
                f"stored until {stored}, the next row says {expected}"
            )
    return differences + asof_check()
