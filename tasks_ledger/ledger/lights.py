"""The faster form of the status light, for pages that load every row anyway (the
dashboard, the review rounds, the ledger's landing page and a task's page): the rule's
inputs written as SQL, the rule itself (`status.light_rules`) applied to each row in
Python by `status.light_from`.

Why a second form: `status.with_status` is the light as an ORM expression, and the ORM
took longer to build and compile its query (the CASE repeats every subquery) than the
database took to run it — the largest part of the dashboard's time, and of the ledger's
landing page and a task's page (ledger/selectors.py), the most requested pages under
load (benchmarks/load.py). Here each input is one correlated subquery, compiled once;
those pages load every row they show anyway, so applying the rule to them in Python
costs nothing. `with_status` stays for what must filter or count by the light in SQL
(the API's task filter, the export). The rule is not repeated:
only the inputs are, and tests/tasks_ledger/ledger/test_lights.py proves over
randomized ledgers, on SQLite and PostgreSQL, that both forms give every assignment the
same light and inputs.

Today's inputs come from `LedgerRollup` (the pair's row, kept by the database's triggers:
ledger/rollups.py), and "as of" a day that is over from `LedgerAsOf` (the pair's row for
that day, a cache the history's triggers keep exact: ledger/asof.py), so the page's cost
does not follow the ledger's size; "as of" a day not over yet they are computed from the
history's rows (ledger/history.py). The randomized test covers all three, and the rollups
and the cache after random changes of the ledger.

The correlation with the outer row goes through the ORM (`Correlated` compiles the
outer task and department columns), so the SQL holds whatever alias the query gives the
assignment table.
"""

import datetime

from django.db import connection
from django.db.models import (
    CharField,
    DateField,
    DateTimeField,
    F,
    Func,
    IntegerField,
    QuerySet,
)

from tasks_ledger.ledger.asof import ENTRY_COLUMNS, WEEKS, asof_day_is_past, asof_fill
from tasks_ledger.ledger.history import entries_as_of
from tasks_ledger.ledger.models import COUNTED_STATES, LedgerAsOf, LedgerEntry, LedgerRollup
from tasks_ledger.ledger.status import light_from
from tasks_ledger.plan.models import Deadline


class Correlated(Func):
    """A scalar subquery given as SQL text, correlated with the outer row: `{task}` and
    `{department}` in the text become the outer row's columns as the ORM names them."""

    def __init__(self, sql: str, params: tuple, *, output_field, department=True):
        columns = [F("task_id"), F("department_id")] if department else [F("task_id")]
        super().__init__(*columns, output_field=output_field)
        self.sql, self.sql_params = sql, tuple(params)

    def as_sql(self, compiler, connection, **extra):
        sql = self.sql
        for key, expression in zip(("task", "department"), self.source_expressions, strict=False):
            # A column compiles to its qualified name and no parameters.
            column, _params = compiler.compile(expression)
            sql = sql.replace("{" + key + "}", column)
        return f"({sql})", self.sql_params


def with_light_inputs(
    assignments: QuerySet,
    *,
    today: datetime.date,
    entries: QuerySet | None = None,
    as_of: datetime.date | None = None,
    last_change: bool = False,
) -> QuerySet:
    """Annotate assignments with the rule's inputs (`status.RULE_INPUTS`: `latest_status`,
    `latest_state`, `final_due`, `next_due`), `latest_on` (the latest counted entry's day
    of work), `last_filed_at` (when the department last filed — submitted — a counted
    entry on the task: "days since the last filing" counts from it), `filed` (how many
    entries it has, drafts left out; None "as of" a day whose rows are not stored yet:
    `rows_with_lights` fills them) and, with `last_change`, when the department last
    changed its ledger on the task (drafts left out: they are its own business until
    submitted). `as_of` reads the ledger as it stood at the end of that day (`today` is
    then that day); `entries` substitutes another source of the ledger's rows, compiled
    once as a derived table (the tests' straightforward computation)."""
    q = connection.ops.quote_name
    deadlines = f"FROM {q(Deadline._meta.db_table)} d WHERE d.task_id = {{task}} AND d.kind = %s"
    annotations = {
        "final_due": Correlated(
            f"SELECT MAX(d.due) {deadlines}",
            (Deadline.Kind.DATE,),
            output_field=DateField(),
            department=False,
        ),
        "next_due": Correlated(
            f"SELECT MIN(d.due) {deadlines} AND d.due >= %s",
            (Deadline.Kind.DATE, today),
            output_field=DateField(),
            department=False,
        ),
    }
    if as_of is not None and not asof_day_is_past(as_of):
        # The day is not over: its history may still change, so nothing is stored for it.
        entries = entries_as_of(day=as_of)
    elif as_of is not None:
        annotations.update(_from_stored(LedgerAsOf, last_change=last_change, day=as_of))
    if entries is None and as_of is None:
        annotations.update(_from_stored(LedgerRollup, last_change=last_change))
    elif entries is not None:
        annotations.update(_from_entries(entries, last_change=last_change))
    return assignments.annotate(**annotations)


def _from_stored(model, *, last_change: bool, day: datetime.date | None = None) -> dict:
    """The inputs stored for the pair: today's in `LedgerRollup`, which the database's
    triggers keep (ledger/rollups.py), or `day`'s in `LedgerAsOf` (ledger/asof.py) — one
    probe of a unique index per field, whatever the number of entries. `filed` is stored
    only as of a day, with the counted entries of the WEEKS weeks up to it (`week_0`…, the
    dashboard's weekly chart); today's rows do not read them."""
    rollup = (
        f"FROM {connection.ops.quote_name(model._meta.db_table)} r "
        "WHERE r.task_id = {task} AND r.department_id = {department}"
    )
    params = ()
    if day is not None:
        rollup += " AND r.day = %s"
        params = (connection.ops.adapt_datefield_value(day),)
    fields = {
        "latest_status": CharField(),
        "latest_state": CharField(),
        "latest_on": DateField(),
        "last_filed_at": DateTimeField(),
    }
    if day is not None:
        fields["filed"] = IntegerField()
        fields.update({f"week_{n}": IntegerField() for n in range(WEEKS)})
    if last_change:
        fields["last_change"] = DateTimeField()
    return {
        name: Correlated(f"SELECT r.{name} {rollup}", params, output_field=output_field)
        for name, output_field in fields.items()
    }


def _from_entries(entries: QuerySet, *, last_change: bool) -> dict:
    """The inputs from another source of the ledger's rows (the history, for "as of"),
    compiled once as a derived table."""
    sql, source_params = entries.values(*ENTRY_COLUMNS).order_by().query.sql_with_params()
    source = f"({sql})"
    same = f"FROM {source} e WHERE e.task_id = {{task}} AND e.department_id = {{department}}"
    counted_where = f"{same} AND e.state IN (%s, %s)"
    counted = f"{counted_where} ORDER BY e.happened_on DESC, e.id DESC LIMIT 1"
    counted_params = (*source_params, *COUNTED_STATES)

    def latest(column, output_field):
        return Correlated(f"SELECT e.{column} {counted}", counted_params, output_field=output_field)

    annotations = {
        "latest_status": latest("status", CharField()),
        "latest_state": latest("state", CharField()),
        "latest_on": latest("happened_on", DateField()),
        "last_filed_at": Correlated(
            f"SELECT MAX(e.submitted_at) {counted_where}",
            counted_params,
            output_field=DateTimeField(),
        ),
        "filed": Correlated(
            f"SELECT COUNT(*) {same} AND e.state <> %s",
            (*source_params, LedgerEntry.State.DRAFT),
            output_field=IntegerField(),
        ),
    }
    if last_change:
        annotations["last_change"] = Correlated(
            f"SELECT MAX(e.updated_at) {same} AND e.state <> %s",
            (*source_params, LedgerEntry.State.DRAFT),
            output_field=DateTimeField(),
        )
    return annotations


def rows_with_lights(
    assignments: QuerySet,
    *,
    today: datetime.date,
    entries: QuerySet | None = None,
    as_of: datetime.date | None = None,
    last_change: bool = False,
) -> list:
    """The assignments with their inputs (`with_light_inputs`) and `light`, as a list. As
    of a day, the first read of a pair stores its row (`asof.asof_fill`: the INSERT, on
    PostgreSQL a lock first) and reads again."""
    query = with_light_inputs(
        assignments, today=today, entries=entries, as_of=as_of, last_change=last_change
    )
    rows = list(query)
    missing = [(r.task_id, r.department_id) for r in rows if as_of and r.filed is None]
    if missing:
        asof_fill(day=as_of, pairs=missing)
        rows = list(query.all())
    for row in rows:
        row.light = light_from(row, today=today)
    return rows
