"""The bureau office brings a revised plan in through the browser: upload, look at the
preview (a diff against the stored 2016 plan), map an unknown unit, correct a deadline,
confirm the removal, import."""

import datetime
import json

from django.conf import settings

from departments.models import DepartmentAlias
from tasks_ledger.plan.models import ImportDraft, Task
from tests.browser.conftest import screenshot, sign_in


def revised_2016_plan() -> dict:
    data = json.loads((settings.BASE_DIR / "fixtures" / "plan_2016.json").read_text("utf-8"))
    data.pop("source_text")
    tasks = data["sections"][1]["tasks"]
    tasks[0]["title"] = "推进权力清单和责任清单动态公开"
    tasks[0]["departments"][0]["source"] = "括号 1"
    tasks[0]["departments"].append(
        {"name": "市交通运输局政策法规处", "role": "partner", "source": "括号 1", "guess": True}
    )
    tasks[0]["deadlines"] = [
        {"text": "2016年9月底前", "kind": "date", "due": "2016-09-30", "source": "句末"}
    ]
    removed = tasks.pop()
    tasks.append(
        {
            "number": "九",
            "title": "推进重点领域信息公开",
            "body": "",
            "departments": [{"name": "建管处", "role": "lead", "source": "责任单位 列"}],
            "deadlines": [],
            "ongoing": True,
            "tasks": [
                {
                    "number": "1",
                    "title": "公开交通建设项目批准信息",
                    "body": "",
                    "departments": [{"name": "建管处", "role": "lead"}],
                    "deadlines": [
                        {"text": "11月底前", "kind": "date", "due": "2016-11-30", "guess": True}
                    ],
                }
            ],
        }
    )
    return data, removed


def test_office_uploads_previews_corrects_and_imports(page, demo_accounts, tmp_path):
    data, removed = revised_2016_plan()
    path = tmp_path / "2016年政务公开实施方案(修订).json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    sign_in(page, "reviewer", demo_accounts)
    page.click(".mainnav >> text=导入方案")
    page.wait_for_url("**/plans/import/")
    page.set_input_files("#id_file", str(path))
    page.click("#import-form button[type=submit]")
    page.wait_for_url("**/plans/import/*/")

    assert "已存有2016年的方案" in page.locator("#diff-summary").inner_text()
    assert "新增 2 项、变更 1 项、删除 1 项" in page.locator("#diff-summary").inner_text()
    assert removed["title"] in page.locator("#removed").inner_text()
    unknown = page.locator("#unknown-units")
    assert "市交通运输局政策法规处" in unknown.inner_text()
    assert unknown.locator("button.suggestion").first.inner_text() == "是政策法规处"
    changed = page.locator("#task-1\\.0")
    assert "变更：标题、责任单位" in changed.inner_text()
    assert "读自 括号 1" in changed.inner_text() and changed.locator(".guess-mark").count() == 1
    added = page.locator(f"#task-1\\.{len(data['sections'][1]['tasks']) - 1}")
    assert "新增" in added.inner_text() and "公开交通建设项目批准信息" in added.inner_text()
    screenshot(page, "plan-import-preview")

    # The reload loses nothing; the unknown unit is mapped and remembered.
    page.reload()
    page.locator("#unknown-units button.suggestion").first.click()
    page.wait_for_load_state()
    assert page.locator("#unknown-units").count() == 0
    assert (
        DepartmentAlias.objects.get(name="市交通运输局政策法规处").department.code == "policy-law"
    )

    # Correct the guessed deadline of the new sub-task.
    sub = page.locator(f"#task-1\\.{len(data['sections'][1]['tasks']) - 1}\\.0")
    sub.locator("summary").first.click()
    sub.locator("input[name=deadline-0-text]").fill("2016年12月底前")
    sub.locator("input[name=deadline-0-due]").fill("2016-12-31")
    sub.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".messages .msg-success").inner_text() == "任务已更正。"

    # Import without confirming the removal: refused, nothing written.
    page.click("#commit-button")
    page.wait_for_load_state()
    assert "勾选确认" in page.locator(".messages .msg-error").inner_text()
    assert Task.objects.filter(plan__year=2016, title=removed["title"]).exists()
    page.check("#allow-removals")
    page.click("#commit-button")
    page.wait_for_url("**/")
    assert "2016年方案已导入" in page.locator(".messages .msg-success").inner_text()
    assert not Task.objects.filter(plan__year=2016, title=removed["title"]).exists()
    new = Task.objects.get(plan__year=2016, title="公开交通建设项目批准信息")
    assert new.deadlines.get().due == datetime.date(2016, 12, 31)
    assert new.history.first().history_user.username == "reviewer"
    assert not ImportDraft.objects.exists()
    screenshot(page, "plan-import-done")


def test_a_file_that_cannot_be_read_is_refused_in_chinese(page, demo_accounts, tmp_path):
    path = tmp_path / "方案.json"
    path.write_text('{"year": 2017, "sections": [', encoding="utf-8")
    sign_in(page, "reviewer", demo_accounts)
    page.goto("/plans/import/")
    page.set_input_files("#id_file", str(path))
    page.click("#import-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".import-error").inner_text().startswith("无法读取 方案.json")
    assert not ImportDraft.objects.exists()
    screenshot(page, "plan-import-error")


def test_department_staff_are_refused(page, demo_accounts):
    sign_in(page, "policy-law", demo_accounts)
    assert page.goto("/plans/import/").status == 403
    assert page.locator(".mainnav >> text=导入方案").count() == 0


def test_the_preview_fits_a_phone(new_page, demo_accounts):
    from django.contrib.auth import get_user_model

    data, _removed = revised_2016_plan()
    reviewer = get_user_model().objects.get(username="reviewer")
    draft = ImportDraft.objects.create(owner=reviewer, file_name="方案.json", data=data)
    page = new_page(width=390, height=844)
    sign_in(page, "reviewer", demo_accounts)
    page.goto(f"/plans/import/{draft.pk}/")
    page.locator("#task-1\\.0 summary").first.click()
    page.locator("#task-1\\.0 input[name=title]").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    full = screenshot(page, "plan-import-phone")
    page.screenshot(path=str(full.with_name("plan-import-phone-top.png")))
