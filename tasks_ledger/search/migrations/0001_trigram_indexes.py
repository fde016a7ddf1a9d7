"""Indexes that let a substring search (`icontains`) find Chinese text without segmenting it.

PostgreSQL: the pg_trgm extension and a GIN trigram index on UPPER(column::text) of every
searched column, the exact expression Django writes for `icontains`
(`UPPER("col"::text) LIKE UPPER(%s)`), so the planner can use them.
SQLite: an FTS5 table with the trigram tokenizer over the entries' own text (external
content: it stores only the index), kept in step with ledger_ledgerentry by triggers, so no
write path has to remember it.
Other databases: nothing; the search still works, by scanning.
Nothing here is model state: `makemigrations` never sees it.
"""

from django.db import migrations

# (table, column, index name): the columns tasks_ledger.search.selectors searches.
TRIGRAM_COLUMNS = [
    ("ledger_ledgerentry", "summary", "search_entry_summary_trgm"),
    ("ledger_ledgerentry", "problems", "search_entry_problems_trgm"),
    ("ledger_ledgerentry", "next_steps", "search_entry_next_steps_trgm"),
    ("ledger_evidence", "doc_number", "search_evidence_doc_number_trgm"),
    ("ledger_evidence", "note", "search_evidence_note_trgm"),
    ("ledger_evidence", "filename", "search_evidence_filename_trgm"),
    ("plan_task", "title", "search_task_title_trgm"),
    ("plan_task", "body", "search_task_body_trgm"),
]

SQLITE_FTS = [
    """CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        summary, problems, next_steps,
        content='ledger_ledgerentry', content_rowid='id', tokenize='trigram')""",
    # The triggers are those the FTS5 documentation gives for an external-content table.
    """CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON ledger_ledgerentry BEGIN
        INSERT INTO search_entry_fts(rowid, summary, problems, next_steps)
        VALUES (new.id, new.summary, new.problems, new.next_steps);
    END""",
    """CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON ledger_ledgerentry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, summary, problems, next_steps)
        VALUES ('delete', old.id, old.summary, old.problems, old.next_steps);
    END""",
    """CREATE TRIGGER search_entry_fts_update AFTER UPDATE ON ledger_ledgerentry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, summary, problems, next_steps)
        VALUES ('delete', old.id, old.summary, old.problems, old.next_steps);
        INSERT INTO search_entry_fts(rowid, summary, problems, next_steps)
        VALUES (new.id, new.summary, new.problems, new.next_steps);
    END""",
    # Entries written before this migration.
    "INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')",
]

SQLITE_FTS_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TABLE IF EXISTS search_entry_fts",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, column, name in TRIGRAM_COLUMNS:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
            )
    elif vendor == "sqlite":
        for statement in SQLITE_FTS:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for _table, _column, name in TRIGRAM_COLUMNS:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    elif vendor == "sqlite":
        for statement in SQLITE_FTS_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_entry_counted_by_day_partial"),
        ("plan", "0004_section_without_heading"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
