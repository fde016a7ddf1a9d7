"""The history's rows of an entry in order (an index), and the history_until trigger that
probes it for the rows just before and after a new one instead of passing over all the
entry's rows (ledger/rollups.py). The rows' history_until is left as it is: the same rule."""

from django.conf import settings
from django.db import migrations, models

from tasks_ledger.ledger import rollups


def reinstall(apps, schema_editor):
    rollups.reinstall_history_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("departments", "0004_membership_name_phone"),
        ("ledger", "0011_entry_by_task_and_state"),
        ("plan", "0005_review_round_moved_from_reviews"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="historicalledgerentry",
            index=models.Index(
                fields=["id", "history_date", "history_id"], name="history_entry_by_time"
            ),
        ),
        migrations.RunPython(reinstall, reinstall),
    ]
