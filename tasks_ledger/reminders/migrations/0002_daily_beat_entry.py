"""The beat entry that sends the day's reminders every morning (DatabaseScheduler).

Created here so that `migrate` (and so `make run`) always has it. The entry holds no dates:
the task computes each day's reminders from the plans' data, so changing a round's date or
a deadline in the admin changes what is sent without touching the schedule.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

NAME = "send reminders for today"
TASK = "tasks_ledger.reminders.tasks.send_reminders_for_today_task"


def create_entry(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    hour, minute = settings.REMINDERS_DAILY_AT.split(":")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=str(int(minute)),
        hour=str(int(hour)),
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": TASK, "crontab": crontab, "enabled": True}
    )
    # Tell a running beat that the schedule changed (what the admin's save does too).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_entry(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_entry, remove_entry)]
