"""Import drafts: abandoned ones discarded by the hourly beat task, safe to run twice."""

import datetime

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from tasks_ledger.plan.models import ImportDraft
from tasks_ledger.plan.tasks import DISCARD_STALE_DRAFTS, discard_stale_import_drafts_task
from tests.tasks_ledger.plan.intake import plan_json

pytestmark = pytest.mark.django_db


def at(day, hour):
    return time_machine.travel(
        datetime.datetime(2030, 3, day, hour, tzinfo=datetime.UTC), tick=False
    )


def test_the_beat_entry_runs_the_cleanup_every_hour():
    entry = PeriodicTask.objects.get(task=DISCARD_STALE_DRAFTS)
    assert entry.enabled and (entry.interval.every, entry.interval.period) == (1, "hours")


def test_a_draft_untouched_for_a_day_is_discarded(people):
    with at(1, 9):
        old = ImportDraft.objects.create(
            owner=people["reviewer"], file_name="a.txt", data=plan_json()
        )
        touched = ImportDraft.objects.create(
            owner=people["admin"], file_name="b.txt", data=plan_json()
        )
    with at(2, 8):
        touched.save()  # a correction, a year set: the draft is in use
        assert discard_stale_import_drafts_task.apply().get() == 0
    with at(2, 10):
        assert discard_stale_import_drafts_task.apply().get() == 1
        assert discard_stale_import_drafts_task.apply().get() == 0
    assert list(ImportDraft.objects.all()) == [touched]
    assert not ImportDraft.objects.filter(pk=old.pk).exists()
