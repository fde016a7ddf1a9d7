"""The rollups' update triggers skip the updates that cannot change them (ledger/rollups.py:
a version moved by the services' claim, a draft edited as a draft)."""

from django.db import migrations

from tasks_ledger.ledger import rollups


def reinstall(apps, schema_editor):
    rollups.reinstall_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0009_awaiting_review_index")]

    operations = [migrations.RunPython(reinstall, reinstall)]
