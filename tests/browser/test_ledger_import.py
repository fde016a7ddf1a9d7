"""The Excel ledger import in real headless Chromium: upload a hand-made ledger, read the
preview (a row guessed by title, a row with no task and its cell named), choose the task,
apply. Screenshots go to the artifacts folder."""

import pytest

from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Plan, Task
from tests.browser.conftest import screenshot, sign_in
from tests.tasks_ledger.excel.ledger_books import hand_made


@pytest.fixture
def task(plan_2016, demo_accounts):
    Plan.objects.filter(pk=plan_2016.pk).update(status=Plan.Status.ACTIVE)
    return Task.objects.get(plan=plan_2016, section__number="二", number="一")


def test_a_department_previews_and_applies_an_excel_ledger(page, task, demo_accounts, tmp_path):
    book = tmp_path / "政策法规处台账.xlsx"
    dept = "政策法规处"
    first = [1, task.title, dept, "2016年9月底前", "召开专题会议部署清单公开", "", "按期公开"]
    rows = [
        first + ["宿交发〔2016〕9号", "2016-06-01"],
        [2, "某项表述不同的工作", dept, "", "完成清单初稿", "", "", "", "2016-06-20"],
        [3, task.title, dept, "", "日期写错", "", "", "", "2016-02-30"],
    ]
    book.write_bytes(hand_made(rows))
    sign_in(page, "policy-law", demo_accounts)
    page.goto("/ledger/import/")
    page.set_input_files("#id_file", str(book))
    page.click("button[type=submit]")
    page.wait_for_load_state()

    assert page.locator("h1").inner_text().startswith("导入预览")
    rows = page.locator("table.import-preview tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).get_attribute("class") == "import-new"
    assert "按标题推测" in rows.nth(0).inner_text()
    assert rows.nth(1).get_attribute("class") == "import-error"
    errors = page.locator(".import-errors li")
    assert errors.count() == 2
    assert "2016年台账 · 行 5 · 列 B" in errors.nth(0).inner_text()
    assert "2016年台账 · 行 6 · 列 I" in errors.nth(1).inner_text()
    screenshot(page, "ledger-import-preview")

    page.select_option("select[name='task:2016年台账!5']", str(task.pk))
    page.click("button[value=preview]")
    page.wait_for_load_state()
    assert page.locator("table.import-preview tbody tr").nth(1).get_attribute("class") == (
        "import-new"
    )
    page.click("button[value=apply]")
    page.wait_for_load_state()
    assert page.url.endswith("/ledger/")
    assert "新增2条" in page.locator(".messages").inner_text()
    assert sorted(LedgerEntry.objects.values_list("summary", flat=True)) == sorted(
        ["召开专题会议部署清单公开", "完成清单初稿"]
    )
    screenshot(page, "ledger-import-applied")
