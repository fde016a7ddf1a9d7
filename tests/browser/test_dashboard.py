"""The reviewer's dashboard in Chromium: filter it, urge a department, download the ledger,
and look at it on a desktop and on a 390px phone."""

from openpyxl import load_workbook

from tasks_ledger import demo
from tasks_ledger.plan.models import Assignment
from tasks_ledger.reminders.models import Urge
from tests.browser.conftest import screenshot, sign_in


def test_reviewer_filters_urges_and_downloads(page, demo_accounts, tmp_path):
    demo.seed_entries(400)
    sign_in(page, "reviewer", demo_accounts)
    page.click(".mainnav >> text=工作看板")
    page.wait_for_url("**/dashboard/")
    assert page.locator("h1").inner_text().startswith("工作看板")
    assigned = Assignment.objects.filter(task__plan__year=2016)
    tasks = assigned.values("task").distinct().count()
    departments = assigned.values("department").distinct().count()
    assert page.locator("#matrix tbody tr[data-task]").count() == tasks
    assert page.locator("#matrix thead th[data-department]").count() == departments
    assert page.locator(".chart").count() == 2
    screenshot(page, "dashboard-desktop")

    # 催办 the first overdue assignment: recorded, and the office is told so.
    urge = page.locator("#overdue .urge-form").first
    assignment = Assignment.objects.get(pk=urge.locator("input[name=assignment]").input_value())
    urge.locator("input[name=message]").fill("请于本周内报送进展")
    urge.locator("button").click()
    page.wait_for_load_state()
    assert page.locator(".messages .msg-success").count() == 1
    assert Urge.objects.filter(
        task=assignment.task, department=assignment.department, message="请于本周内报送进展"
    ).exists()

    page.select_option("#id_department", "policy-law")
    page.click("#dashboard-filters button[type=submit]")
    page.wait_for_url("**department=policy-law**")
    headers = page.locator("#matrix thead th[data-department]")
    assert headers.count() == 1 and headers.first.get_attribute("data-department") == "policy-law"
    assert page.locator("#departments tbody tr").count() == 1
    # The choice is in the URL: opening it again shows the same view.
    page.goto(page.url)
    assert page.locator("#id_department").input_value() == "policy-law"

    with page.expect_download() as info:
        page.click("#export-link")
    download = info.value
    assert download.suggested_filename.startswith("2016年工作台账-政策法规处-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    workbook = load_workbook(saved)
    assert workbook.sheetnames == ["汇总", "政策法规处"]
    sheet = workbook["政策法规处"]
    assert sheet["A1"].value.startswith("政策法规处工作台账 · ") and "2016" in sheet["A1"].value
    assert sheet["A3"].value == "序号" and sheet.max_row > 4


def test_phone_layout_has_no_sideways_scroll(new_page, demo_accounts):
    demo.seed_entries(100)
    page = new_page(width=390, height=844)
    sign_in(page, "reviewer", demo_accounts)
    page.goto("/dashboard/")
    # The page itself fits the screen; only the wide matrix scrolls, inside its frame.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first, second = (page.locator(".figure").nth(i).bounding_box() for i in (0, 1))
    assert first["y"] == second["y"] and second["x"] + second["width"] <= 390
    charts = page.locator(".chart")
    assert all(charts.nth(i).bounding_box()["width"] <= 390 for i in range(charts.count()))
    full = screenshot(page, "dashboard-phone")
    # The first screen as the phone shows it (the full page is too tall to read at once).
    page.screenshot(path=str(full.with_name("dashboard-phone-top.png")))


def test_department_staff_are_refused(page, demo_accounts):
    sign_in(page, "policy-law", demo_accounts)
    response = page.goto("/dashboard/")
    assert response.status == 403
    assert page.locator(".mainnav >> text=工作看板").count() == 0
