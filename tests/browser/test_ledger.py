"""A department's day in the ledger, in real headless Chromium: record an entry with a link
and a file and submit it; two pages saving one entry; another department's view; a phone.
Screenshots of each page go to the artifacts folder."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from departments.models import Department
from tasks_ledger.ledger import services
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.plan.models import Assignment
from tests.browser.conftest import screenshot, sign_in

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def policy_law(demo_accounts):
    """政策法规处 lets its staff submit directly (the department's own setting)."""
    Department.objects.filter(code="policy-law").update(staff_may_submit=True)
    return Assignment.objects.filter(department__code="policy-law").select_related("task")[0]


def a_draft(assignment, summary="召开专题会议,部署权力清单公开"):
    head = get_user_model().objects.get(username="policy-law-head")
    return services.ledger_entry_create(
        task=assignment.task,
        department=assignment.department,
        by=head,
        data={"happened_on": "2016-06-01", "summary": summary},
    )


def test_staff_records_an_entry_with_a_link_and_a_file_and_submits_it(
    page, policy_law, demo_accounts, tmp_path
):
    sign_in(page, "policy-law", demo_accounts)
    assert page.url.endswith("/ledger/")
    assert page.locator("h1").inner_text().startswith("政策法规处")
    rows = page.locator(".ledger-row")
    assert rows.count() == Assignment.objects.filter(department__code="policy-law").count()

    page.locator(f".ledger-row[data-task='{policy_law.task_id}'] a.button").click()
    page.wait_for_load_state()
    page.fill("#id_happened_on", "2016-06-15")
    page.fill("#id_summary", "在局门户网站公开权力清单和责任清单")
    page.select_option("#id_status", "done")
    page.fill("#id_links", "https://jt.suqian.gov.cn/qlqd.html")
    page.fill("#id_doc_numbers", "宿交发〔2016〕88号")
    evidence = tmp_path / "权力清单.pdf"
    evidence.write_bytes(PDF)
    page.set_input_files("#id_files", str(evidence))
    screenshot(page, "entry-form")
    # Submitting is irreversible: the browser asks first (static/js/confirm.js).
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#save-submit")
    page.wait_for_load_state()

    assert page.locator(".messages").inner_text() == "台账记录已保存并报送。"
    assert page.locator(".state-submitted").count() == 1
    entry = LedgerEntry.objects.get(summary="在局门户网站公开权力清单和责任清单")
    assert (entry.state, entry.author.username) == ("submitted", "policy-law")
    assert sorted(entry.evidence.values_list("kind", flat=True)) == ["doc_number", "file", "link"]
    screenshot(page, "entry-detail")

    with page.expect_download() as download:
        page.click("text=权力清单.pdf")
    assert download.value.suggested_filename == "权力清单.pdf"
    assert Path(download.value.path()).read_bytes() == PDF

    page.click(f"a[href='/ledger/tasks/{entry.task_id}/']")
    page.wait_for_load_state()
    item = page.locator(f"#entry-{entry.pk}")
    assert "在局门户网站公开权力清单和责任清单" in item.inner_text()
    assert "宿交发〔2016〕88号" in item.inner_text() and "权力清单.pdf" in item.inner_text()
    assert page.locator(".assignees li").count() >= 1
    screenshot(page, "task-page")

    page.click("nav.mainnav >> text=工作台账")
    page.wait_for_load_state()
    row = page.locator(f".ledger-row[data-task='{entry.task_id}']")
    assert "在局门户网站公开权力清单和责任清单" in row.inner_text()
    # A submitted "done" awaits the office's word: 待确认, not green (done means accepted).
    assert row.locator(".light-done").count() == 0
    assert "待确认" in row.locator(".light-awaiting").first.inner_text()
    screenshot(page, "ledger-list")


def test_one_entry_saved_from_two_pages_shows_the_conflict_and_keeps_the_text(
    new_page, policy_law, demo_accounts
):
    entry = a_draft(policy_law)
    first, second = new_page(), new_page()
    sign_in(first, "policy-law", demo_accounts)
    sign_in(second, "policy-law-head", demo_accounts)
    for page in (first, second):
        page.goto(f"/ledger/entries/{entry.pk}/edit/")
    first.fill("#id_summary", "经办人先保存的内容")
    second.fill("#id_summary", "处长后保存的很长一段内容,不能丢")
    first.click("#save")
    first.wait_for_load_state()
    assert first.locator(".messages").inner_text() == "修改已保存。"

    second.click("#save")
    second.wait_for_load_state()
    conflict = second.locator("#conflict")
    assert conflict.is_visible()
    assert "经办人先保存的内容" in conflict.locator("tr.differs .theirs").first.inner_text()
    assert (
        "处长后保存的很长一段内容,不能丢" in conflict.locator("tr.differs .mine").first.inner_text()
    )
    assert second.input_value("#id_summary") == "处长后保存的很长一段内容,不能丢"
    entry.refresh_from_db()
    assert entry.summary == "经办人先保存的内容"
    screenshot(second, "entry-conflict")

    # Having seen the other change, the head saves again on purpose.
    second.click("#save")
    second.wait_for_load_state()
    entry.refresh_from_db()
    assert (entry.summary, entry.version) == ("处长后保存的很长一段内容,不能丢", 3)
    second.click("text=历史记录")
    second.wait_for_load_state()
    assert second.locator(".history-item").count() == 3
    assert "经办人先保存的内容" in second.locator(".history-item").first.inner_text()
    screenshot(second, "entry-history")


def test_another_department_gets_no_edit_form(page, policy_law, demo_accounts):
    draft = a_draft(policy_law)
    submitted = a_draft(policy_law, summary="已报送的记录")
    head = get_user_model().objects.get(username="policy-law-head")
    services.ledger_entry_submit(entry=submitted, by=head)
    sign_in(page, "safety", demo_accounts)

    page.goto(f"/ledger/tasks/{policy_law.task_id}/")
    assert page.locator("#new-entry").count() == 0
    assert page.locator(f"#entry-{submitted.pk}").count() == 1
    assert page.locator(f"#entry-{draft.pk}").count() == 0  # drafts stay in the department

    page.goto(f"/ledger/entries/{submitted.pk}/")
    assert page.locator("#edit-entry, #submit-entry, #accept-entry").count() == 0
    response = page.goto(f"/ledger/entries/{submitted.pk}/edit/")
    assert response.status == 403
    assert page.locator("form.entry-form").count() == 0
    assert page.locator("[role=alert]").inner_text() == "您不能修改处于当前状态的这条台账记录。"
    assert page.goto(f"/ledger/entries/{draft.pk}/edit/").status == 404
    assert page.goto(f"/ledger/tasks/{policy_law.task_id}/new/").status == 403


def test_the_office_accepts_and_returns_from_its_queue(page, policy_law, demo_accounts):
    first = a_draft(policy_law, summary="第一条")
    second = a_draft(policy_law, summary="第二条")
    head = get_user_model().objects.get(username="policy-law-head")
    for entry in (first, second):
        services.ledger_entry_submit(entry=entry, by=head)
    sign_in(page, "reviewer", demo_accounts)
    page.click("nav.mainnav >> text=待审核")
    page.wait_for_load_state()
    rows = page.locator("#review-queue tbody tr[data-entry]")
    assert [rows.nth(i).get_attribute("data-entry") for i in range(rows.count())] == [
        str(first.pk),
        str(second.pk),
    ]
    screenshot(page, "review-queue")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f'tr[data-entry="{first.pk}"] button').click()
    page.wait_for_load_state()
    assert page.locator(".messages").inner_text() == "台账记录已采纳。"
    assert page.url.endswith("/ledger/review/")  # back in the queue, the next one waiting
    assert page.locator(f'tr[data-entry="{first.pk}"]').count() == 0
    page.locator(f'tr[data-entry="{second.pk}"] >> text=退回…').click()
    page.fill("#id_reason", "请补充文号")
    page.click("#return-entry")
    page.wait_for_load_state()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state, second.return_reason) == (
        "accepted",
        "returned",
        "请补充文号",
    )
    page.goto("/ledger/review/")
    assert "没有等待审核的台账记录。" in page.locator("#review-queue").inner_text()


def test_pages_fit_a_phone(new_page, policy_law, demo_accounts):
    entry = a_draft(policy_law)
    Evidence.objects.create(entry=entry, kind="link", url="https://jt.suqian.gov.cn/" + "a" * 80)
    page = new_page(width=390, height=844)
    sign_in(page, "policy-law", demo_accounts)
    for path, name in [
        ("/ledger/", "ledger-phone"),
        (f"/ledger/tasks/{policy_law.task_id}/", "task-phone"),
        (f"/ledger/entries/{entry.pk}/edit/", "entry-form-phone"),
    ]:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
        screenshot(page, name)
    # The save button is reachable and full-width enough to tap.
    box = page.locator("#save").bounding_box()
    assert box["width"] >= 100 and box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_ten_wrong_passwords_show_the_locked_out_page(page, demo_accounts):
    for _ in range(10):
        sign_in(page, "policy-law", "wrong-password")
    assert page.locator("h1").inner_text() == "账号已锁定"
    sign_in(page, "policy-law", demo_accounts)
    assert page.locator("h1").inner_text() == "账号已锁定"
    assert re.search(r"/accounts/login/", page.url)
    screenshot(page, "locked-out")


def test_removing_evidence_keeps_what_was_typed(page, policy_law, demo_accounts):
    entry = a_draft(policy_law)
    gone = Evidence.objects.create(entry=entry, kind="doc_number", doc_number="宿交发〔2016〕1号")
    kept = Evidence.objects.create(entry=entry, kind="doc_number", doc_number="宿交发〔2016〕2号")
    sign_in(page, "policy-law", demo_accounts)
    page.goto(f"/ledger/entries/{entry.pk}/edit/")
    page.fill("#id_summary", "正在写、还没保存的内容")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#evidence li", has_text="1号").locator("button").click()
    # A locator's wait, not wait_for_function: the page's CSP forbids the eval that needs.
    expect(page.locator("#evidence")).not_to_contain_text("1号")
    assert not Evidence.objects.filter(pk=gone.pk).exists()
    assert Evidence.objects.filter(pk=kept.pk).exists()
    # No page load happened: the text typed but not saved is still there.
    assert page.input_value("#id_summary") == "正在写、还没保存的内容"
    entry.refresh_from_db()
    assert entry.summary == "召开专题会议,部署权力清单公开"
