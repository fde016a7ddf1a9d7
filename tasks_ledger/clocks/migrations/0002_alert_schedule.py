"""Schedule the clock alert sweep in django-celery-beat's tables (every 5 minutes).

A data migration, so that every install has the schedule without anyone clicking it
into the admin; get_or_create keeps it idempotent, and an operator's later change of the
interval in the admin is left alone."""

from django.db import migrations

TASK_NAME = "clocks: send clock alerts"
TASK = "tasks_ledger.clocks.tasks.clock_alerts_send_task"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME, defaults={"task": TASK, "interval": every, "enabled": True}
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clocks", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
