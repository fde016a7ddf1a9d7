"""PostgreSQL: the two text indexes of 0002 keyed by task as well (btree_gin).

A word common in the ledger but found in one task's entries only (a task's title words,
"权力清单": every entry of that task, none of the others) made a search take seconds at
1,000,000 entries: proving that each other task has no match read either all of that
task's entries (the b-tree by task) or all the word's matches (the text index), then
their rows for the task. With the task a key of the same GIN index, "task 7's entries
containing this word" is the intersection of two lists inside one index: a task without a
match costs a few pages of the index, whatever the sizes. The index without the task
condition serves as before (GIN treats its columns alike), so the old ones are dropped.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    # Building them reads every entry (minutes at a million): no page's statement limit.
    "SET LOCAL statement_timeout = 0",
    "DROP INDEX IF EXISTS search_entry_text_trgm",
    """CREATE INDEX search_entry_text_trgm ON ledger_ledgerentry
        USING gin (task_id, UPPER(search_text) gin_trgm_ops)""",
    "DROP INDEX IF EXISTS search_entry_text_grams",
    """CREATE INDEX search_entry_text_grams ON ledger_ledgerentry
        USING gin (task_id, search_grams(search_text))""",
]

DROP = [
    "SET LOCAL statement_timeout = 0",
    "DROP INDEX IF EXISTS search_entry_text_trgm",
    """CREATE INDEX search_entry_text_trgm ON ledger_ledgerentry
        USING gin (UPPER(search_text) gin_trgm_ops)""",
    "DROP INDEX IF EXISTS search_entry_text_grams",
    """CREATE INDEX search_entry_text_grams ON ledger_ledgerentry
        USING gin (search_grams(search_text))""",
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
