"""In a real browser: a department records an emergency, sees its two clocks start, and
finds them counting down on the clock board."""

import datetime

import pytest
from django.utils import timezone

from tasks_ledger.plan.models import Task
from tests.browser_fixtures import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recording_an_emergency_starts_its_clocks(request, demo_accounts):
    page = request.getfixturevalue("new_page")()
    task = Task.objects.get(plan__year=2016, section__number="五", number="二", parent=None)
    sign_in(page, "political", demo_accounts)
    page.goto("/clocks/")
    page.click(f"a[href='/clocks/tasks/{task.pk}/record/']")
    happened = timezone.localtime() - datetime.timedelta(hours=1)
    page.select_option("#id_kind", "emergency")
    page.fill("#id_title", "京杭运河宿迁段船舶碰撞")
    page.fill("#id_location", "京杭运河宿迁段")
    page.select_option("#id_severity", "major")
    page.fill("#id_occurred_at", happened.strftime("%Y-%m-%dT%H:%M"))
    page.click("button.primary")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "京杭运河宿迁段船舶碰撞"
    # Two deadlines × the two departments assigned to 五(二) (政治处, 办公室).
    assert page.locator(".clock-obligation").count() == 4
    screenshot(page, "clocks-event")
    page.goto("/clocks/")
    running = page.locator(".clock-table").first
    # The department's board shows its own two clocks, not the office's.
    assert running.locator("tbody tr").count() == 2
    assert "剩余" in running.inner_text()
    screenshot(page, "clocks-board")
