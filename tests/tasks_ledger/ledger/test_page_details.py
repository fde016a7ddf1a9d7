"""What a clerk reads on the ledger pages: Beijing times in the history, who sends a draft
on, and the plan leading to each task's ledger."""

import pytest
from django.urls import reverse

from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Plan

pytestmark = pytest.mark.django_db


def test_history_shows_the_submission_time_in_beijing_time(client, world):
    # NOW is 2030-05-08 10:00 in Shanghai, 02:00 UTC: the stamp must not show as UTC.
    entry = world.entry(state=LedgerEntry.State.SUBMITTED)
    client.force_login(world.head)
    response = client.get(reverse("ledger:entry-history", args=[entry.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<td class="new">2030-05-08 10:00</td>' in page
    assert "+00:00" not in page and "02:00" not in page


def test_staff_who_may_not_submit_are_told_who_does(client, world):
    entry = world.entry()
    client.force_login(world.staff)
    page = client.get(reverse("ledger:entry", args=[entry.pk])).content.decode()
    assert 'id="submit-hint"' in page and "由本处室负责人报送局办公室。" in page
    assert 'id="submit-entry"' not in page


def test_the_head_gets_the_submit_button_and_no_hint(client, world):
    entry = world.entry()
    client.force_login(world.head)
    page = client.get(reverse("ledger:entry", args=[entry.pk])).content.decode()
    assert 'id="submit-entry"' in page and 'id="submit-hint"' not in page


def test_the_plan_links_each_task_to_its_ledger(client, world):
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.ACTIVE)
    client.force_login(world.staff)
    page = client.get(reverse("plan-overview")).content.decode()
    assert f'href="{reverse("ledger:task", args=[world.task.pk])}"' in page
    assert f'id="section-{world.section.pk}"' in page
    task_page = client.get(reverse("ledger:task", args=[world.task.pk])).content.decode()
    assert f'href="/#section-{world.section.pk}"' in task_page
