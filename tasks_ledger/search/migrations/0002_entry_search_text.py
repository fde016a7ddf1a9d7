"""PostgreSQL: one searchable text per entry, and indexes that serve any query length.

An entry is found by its own text and by its evidence (文号, a link's title, a file's
name). Searched as separate tables, a word common in the evidence ("宿交发") meant a list of
hundreds of thousands of entry ids in every query. So each entry carries, in a column of
its own, `search_text`: its summary, problems and next steps and its evidence's texts,
one per line. Triggers keep it, so that every write path (services, the admin,
bulk_create, COPY) keeps it without knowing: a BEFORE trigger on the entry computes it, and
a change to a piece of evidence touches its entry, which runs that trigger again.

Two GIN indexes on it:
  - trigrams (pg_trgm) of UPPER(search_text), for queries of three characters or more;
  - `search_grams(search_text)`: the text's distinct characters and pairs of characters,
    lower-cased, for queries of one or two (公开, 文号): a trigram index cannot serve
    them, and Chinese words are often two characters. `@> ARRAY['公开']` is then an exact
    answer from the index, as pg_bigm does for Japanese.
And a b-tree on (task, happened_on DESC, id DESC): a task's newest matches, walked in
order, so a common word stops after a few rows instead of sorting all of them.

The column is not model state (Django never reads or writes it; `makemigrations` never
sees it); only tasks_ledger.search.selectors names it. The trigram indexes of migration
0001 on the entries' and the evidence's columns are superseded and dropped.
SQLite: nothing here; its FTS5 table of 0001 stays (see the selector).
"""

import importlib

from django.db import migrations

# 0001's (table, column, index name), to put its indexes back when this is reversed.
OLD_TRIGRAM_COLUMNS = importlib.import_module(
    "tasks_ledger.search.migrations.0001_trigram_indexes"
).TRIGRAM_COLUMNS

SUPERSEDED = [
    "search_entry_summary_trgm",
    "search_entry_problems_trgm",
    "search_entry_next_steps_trgm",
    "search_evidence_doc_number_trgm",
    "search_evidence_note_trgm",
    "search_evidence_filename_trgm",
]

CREATE = [
    """CREATE FUNCTION search_grams(t text) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT substr(l, i, n)), '{}')
        FROM lower(t) AS l, generate_series(1, 2) AS n, generate_series(1, length(l) - n + 1) AS i
    $$""",
    "ALTER TABLE ledger_ledgerentry ADD COLUMN search_text text NOT NULL DEFAULT ''",
    """CREATE FUNCTION search_entry_text() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_text := concat_ws(E'\\n', NEW.summary, NEW.problems, NEW.next_steps, (
            SELECT string_agg(concat_ws(E'\\n', doc_number, note, filename), E'\\n' ORDER BY id)
            FROM ledger_evidence WHERE entry_id = NEW.id));
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER search_entry_text BEFORE INSERT OR UPDATE ON ledger_ledgerentry
        FOR EACH ROW EXECUTE FUNCTION search_entry_text()""",
    # A change of evidence rewrites its entry's text: the UPDATE runs the trigger above.
    """CREATE FUNCTION search_evidence_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            UPDATE ledger_ledgerentry SET search_text = '' WHERE id = OLD.entry_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            UPDATE ledger_ledgerentry SET search_text = '' WHERE id = NEW.entry_id;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_evidence_changed AFTER INSERT OR UPDATE OR DELETE ON ledger_evidence
        FOR EACH ROW EXECUTE FUNCTION search_evidence_changed()""",
    # Entries written before this migration: the UPDATE runs the trigger.
    "UPDATE ledger_ledgerentry SET search_text = ''",
    """CREATE INDEX search_entry_text_trgm ON ledger_ledgerentry
        USING gin (UPPER(search_text) gin_trgm_ops)""",
    """CREATE INDEX search_entry_text_grams ON ledger_ledgerentry
        USING gin (search_grams(search_text))""",
    """CREATE INDEX search_entry_newest_per_task ON ledger_ledgerentry
        (task_id, happened_on DESC, id DESC)""",
]

DROP = [
    "DROP INDEX IF EXISTS search_entry_newest_per_task",
    "DROP TRIGGER IF EXISTS search_evidence_changed ON ledger_evidence",
    "DROP FUNCTION IF EXISTS search_evidence_changed()",
    "DROP TRIGGER IF EXISTS search_entry_text ON ledger_ledgerentry",
    "DROP FUNCTION IF EXISTS search_entry_text()",
    "ALTER TABLE ledger_ledgerentry DROP COLUMN IF EXISTS search_text",
    "DROP FUNCTION IF EXISTS search_grams(text)",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in SUPERSEDED:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    for statement in CREATE:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP:
        schema_editor.execute(statement)
    # The superseded indexes come back with 0001's own statements.
    for table, column, name in OLD_TRIGRAM_COLUMNS:
        if name in SUPERSEDED:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
            )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_trigram_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
