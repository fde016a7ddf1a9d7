"""PostgreSQL: the text's characters and pairs keyed by task, for "which of this task's
entries contain the word", answered from an index however common the word is elsewhere.

A word common in the ledger but found in one task's entries only (a task's title words,
"权力清单": every entry of that task, none of the others) made a search take seconds at
1,000,000 entries: proving that each other task has none read either all of that task's
entries (the b-tree by task) or all the word's matches (the text indexes). Keying the text
index by task as its first column (btree_gin) was tried: the index then intersects the
task's list (every entry of the task) with the word's, about 13 ms a task here. Keyed
*inside* the elements, "7:清单" (search_grams of 0002 with the task in front), the list of a
pair the task's entries lack is empty: a task without the word costs a few index pages.
Queries of any length use it, by their pairs (`search.per_task`), the text then checked.
"""

from django.db import migrations

CREATE = [
    # Building the index reads every entry (minutes at a million): no page's time limit.
    "SET LOCAL statement_timeout = 0",
    """CREATE FUNCTION search_task_grams(task bigint, t text) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(task || ':' || g), '{}') FROM unnest(search_grams(t)) AS g
    $$""",
    """CREATE INDEX search_entry_task_grams ON ledger_ledgerentry
        USING gin (search_task_grams(task_id, search_text))""",
]

DROP = [
    "DROP INDEX IF EXISTS search_entry_task_grams",
    "DROP FUNCTION IF EXISTS search_task_grams(bigint, text)",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0002_entry_search_text")]

    operations = [migrations.RunPython(run(CREATE), run(DROP), elidable=False)]
