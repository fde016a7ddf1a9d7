"""The beat entry that discards abandoned import drafts every hour (DatabaseScheduler).

Created here, as the reminders' entry is, so that `migrate` (and so `make run`) always has
it. Hourly is enough: a draft is abandoned after a day, and an hour more changes nothing.
"""

from django.db import migrations
from django.utils import timezone

NAME = "discard abandoned import drafts"
TASK = "tasks_ledger.plan.tasks.discard_stale_import_drafts_task"


def create_entry(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every_hour, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": TASK, "interval": every_hour, "enabled": True}
    )
    # Tell a running beat that the schedule changed (what the admin's save does too).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_entry(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plan", "0002_task_ongoing_and_import_draft"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_entry, remove_entry)]
