"""In Chromium: the office records a finding, the department reads it and its inbox."""

import datetime

import pytest

from tasks_ledger.plan.models import ReviewRound
from tasks_ledger.reminders.services import reminders_send_for_day
from tests.browser_fixtures import screenshot, sign_in

pytestmark = pytest.mark.browser


def test_a_finding_from_the_office_to_the_department(new_page, demo_accounts, plan_2016):
    assessment = ReviewRound.objects.get(kind=ReviewRound.Kind.ASSESSMENT)
    office = new_page()
    sign_in(office, "reviewer", demo_accounts)
    office.goto(f"/reviews/{assessment.pk}/")
    office.once("dialog", lambda dialog: dialog.accept())
    office.click("text=开始检查考评")
    office.wait_for_load_state()
    assert "检查考评已开始。" in office.locator(".messages").inner_text()
    row = office.locator("tr", has_text="推进权力清单和责任清单公开").filter(has_text="政策法规处")
    row.locator("a", has_text="评定").click()
    office.wait_for_load_state()
    office.check("input[name=rating][value=mostly]")
    office.fill("#id_score", "88")
    office.fill("#id_comment", "佐证材料需补充文号")
    office.click("text=保存评定")
    office.wait_for_load_state()
    assert "88.0" in office.locator("table").last.inner_text()
    screenshot(office, "review-round-office")

    reminders_send_for_day(on=datetime.date(2016, 12, 30))
    department = new_page()
    sign_in(department, "policy-law", demo_accounts)
    assert department.locator(".inbox-badge .badge").inner_text() == "1"
    department.goto(f"/reviews/{assessment.pk}/")
    text = department.locator("main").inner_text()
    assert "佐证材料需补充文号" in text and "88.0" in text
    assert "安全处" not in text
    assert department.locator("text=开始检查考评").count() == 0
    screenshot(department, "review-round-department")
    department.goto("/inbox/")
    assert "工作台账考评将于2017-01-03进行" in department.locator(".inbox").inner_text()
    department.click("text=全部标为已读")
    department.wait_for_load_state()
    assert department.locator(".inbox-badge .badge").count() == 0
    screenshot(department, "inbox")
