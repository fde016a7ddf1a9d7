"""The rollups' update trigger (PostgreSQL) returns at once when no row of the statement
can change them, before its other statements run (ledger/rollups.py)."""

from django.db import migrations

from tasks_ledger.ledger import rollups


def reinstall(apps, schema_editor):
    rollups.reinstall_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0012_history_entry_by_time")]

    operations = [migrations.RunPython(reinstall, reinstall)]
