"""In Chromium: the office hands out the self-assessments, a head grades and submits its
own, the office's round sheet shows both grades and the difference."""

import pytest

from tasks_ledger.plan.models import ReviewRound
from tasks_ledger.reviews.models import SelfAssessment
from tests.browser_fixtures import screenshot, sign_in

pytestmark = pytest.mark.browser


def test_self_assessment_from_hand_out_to_the_sheet(new_page, demo_accounts, plan_2016):
    assessment = ReviewRound.objects.get(kind=ReviewRound.Kind.ASSESSMENT)
    office = new_page()
    sign_in(office, "reviewer", demo_accounts)
    office.goto(f"/reviews/{assessment.pk}/")
    # Opening a round is irreversible: the page asks first, and the office says yes.
    office.once("dialog", lambda dialog: dialog.accept())
    office.click("text=开始检查考评")
    office.wait_for_load_state()
    office.fill("#id_due_on", "2017-01-10")
    office.click("text=下发自评表")
    office.wait_for_load_state()
    assert "已向" in office.locator(".messages").inner_text()

    head = new_page(width=390, height=844)  # a phone
    sign_in(head, "policy-law-head", demo_accounts)
    head.goto(f"/reviews/{assessment.pk}/self-assessment/")
    assert "政策法规处" in head.locator("h1").inner_text()
    for select in head.locator("select[name^=rating-]").all():
        select.select_option("complete")
    for score in head.locator("input[name^=score-]").all():
        score.fill("95")
    screenshot(head, "self-assessment-form-phone")
    head.click("text=提交自评表")
    head.wait_for_load_state()
    assert "自评表已提交" in head.locator(".messages").inner_text()
    assert SelfAssessment.objects.get(department__code="policy-law").status == "submitted"

    office.goto(f"/reviews/{assessment.pk}/")
    row = office.locator("tr", has_text="推进权力清单和责任清单公开").filter(has_text="政策法规处")
    assert "95.0" in row.locator("td.self-grade").inner_text()
    screenshot(office, "review-round-with-self-assessment")
