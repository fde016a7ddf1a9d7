"""The beat entry of the outbox sweep: every minute, email the deliveries still unsent (the
broker was down when they were queued, or a worker died sending them).

A data migration, as 0002, so that every install has it; get_or_create keeps it idempotent
and leaves an operator's later change in the admin alone.
"""

from django.db import migrations
from django.utils import timezone

NAME = "reminders: email the unsent"
TASK = "tasks_ledger.reminders.tasks.reminders_email_sweep_task"


def create_entry(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": TASK, "interval": every, "enabled": True}
    )
    # Tell a running beat that the schedule changed (what the admin's save does too).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_entry(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0003_outbox_claim"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_entry, remove_entry)]
