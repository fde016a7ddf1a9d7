"""The plan import page: who may use it, upload → preview → correct → commit, the diff
against a stored plan, unit aliases, drafts that survive a reload and expire."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tasks_ledger.plan.models import ImportDraft, Plan, Task
from tests.tasks_ledger.plan.importing import START, draft_url, stored_plan, upload
from tests.tasks_ledger.plan.intake import plan_json

pytestmark = pytest.mark.django_db


def test_upload_preview_correct_commit(client, people, units):
    client.force_login(people["reviewer"])
    response = upload(client, plan_json())
    draft = ImportDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == draft_url(draft)

    page = client.get(draft_url(draft)).content.decode()
    # The tree: section, task, sub-task; roles, collective reference, deadlines, where read.
    for text in (
        "推进决策公开",
        "推进重大决策预公开",
        "公开决策草案",
        "做好政策解读",
        "各有关单位",
        "2030-09-30",
        "括号 1",
        "句末",
    ):
        assert text in page
    assert "牵头" in page and "配合" in page and "推测" in page and "持续推进" in page
    # The unknown unit, with the closest department offered.
    assert "市交通局计划处" in page and "是计划处" in page

    # Corrections: the task's number and title, a unit's role, a deadline, ongoing.
    response = client.post(
        reverse("plans:draft-task", args=[draft.pk, "0.0"]),
        {
            "number": "一",
            "title": "推进重大决策预公开工作",
            "unit-0-name": "政策法规处",
            "unit-0-role": "lead",
            "unit-1-name": "计划处",
            "unit-1-role": "lead",
            "deadline-0-text": "2030年10月底前",
            "deadline-0-due": "2030-10-31",
            "ongoing": "on",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#task-0.0")
    task = ImportDraft.objects.get().data["sections"][0]["tasks"][0]
    assert task["title"] == "推进重大决策预公开工作" and task["ongoing"] is True
    assert task["departments"][0] == {"name": "政策法规处", "role": "lead", "source": "括号 1"}
    assert task["departments"][1] == {"name": "计划处", "role": "lead"}  # no longer a guess
    assert task["deadlines"] == [{"text": "2030年10月底前", "kind": "date", "due": "2030-10-31"}]
    # A sub-task's number.
    client.post(
        reverse("plans:draft-task", args=[draft.pk, "0.0.0"]),
        {
            "number": "2",
            "title": "公开决策草案",
            "unit-0-name": "政策法规处",
            "unit-0-role": "lead",
        },
    )

    response = client.post(draft_url(draft, "plans:draft-commit"))
    assert response.status_code == 302
    plan = Plan.objects.get(year=2030)
    stored = Task.objects.get(plan=plan, parent=None, number="一")
    assert stored.title == "推进重大决策预公开工作" and stored.ongoing
    assert stored.subtasks.get().number == "2"
    assert {(a.department.name, a.role) for a in stored.assignments.all()} == {
        ("政策法规处", "lead"),
        ("计划处", "lead"),
    }
    assert stored.deadlines.get().due == datetime.date(2030, 10, 31)
    # History says who.
    assert stored.history.first().history_user == people["reviewer"]
    assert plan.history.first().history_user == people["reviewer"]
    assert not ImportDraft.objects.exists()


def test_a_bad_correction_is_refused_and_changes_nothing(client, people, draft):
    client.force_login(people["reviewer"])
    before = draft.data
    response = client.post(
        reverse("plans:draft-task", args=[draft.pk, "0.0"]),
        {
            "number": "一",
            "title": "推进",
            "unit-0-name": "政策法规处",
            "unit-0-role": "lead",
            "deadline-0-text": "x",
            "deadline-0-due": "2030-02-31",
        },
        follow=True,
    )
    assert "期限 1：日期须写作 YYYY-MM-DD。" in response.content.decode()
    assert ImportDraft.objects.get().data == before
    response = client.post(
        reverse("plans:draft-task", args=[draft.pk, "0.0"]),
        {"number": "二", "title": "重号"},
        follow=True,
    )
    assert "未保存" in response.content.decode()
    assert ImportDraft.objects.get().data == before


def test_a_reading_error_is_shown_in_chinese_and_writes_nothing(client, people):
    client.force_login(people["reviewer"])
    response = upload(client, b'{"year": 2030, "sections": [}', name="broken.json")
    assert response.status_code == 400
    page = response.content.decode()
    assert "无法读取 broken.json：第 1 行第 29 列：不是有效的 JSON" in page
    assert not ImportDraft.objects.exists() and not Plan.objects.exists()


def test_a_plan_with_no_tasks_is_refused_at_commit(client, people):
    client.force_login(people["reviewer"])
    data = plan_json()
    data["sections"][0]["tasks"] = []
    upload(client, data)
    draft = ImportDraft.objects.get()
    response = client.post(draft_url(draft, "plans:draft-commit"), follow=True)
    assert "没有任务" in response.content.decode()
    assert not Plan.objects.exists()


def test_pasted_text_is_read(client, people):
    client.force_login(people["reviewer"])
    text = (
        "某局2030年政务公开工作要点\n\n一、推进决策公开\n\n"
        "(一)推进重大决策预公开。公开征求意见(政策法规处负责落实)。\n"
    )
    response = client.post(START, {"text": text})
    draft = ImportDraft.objects.get()
    assert response["Location"] == draft_url(draft)
    assert draft.data["sections"][0]["tasks"][0]["title"] == "推进重大决策预公开"


def test_a_year_the_document_does_not_say_is_asked(client, people):
    client.force_login(people["reviewer"])
    upload(client, plan_json(year=None))
    draft = ImportDraft.objects.get()
    page = client.get(draft_url(draft)).content.decode()
    assert "文件未写明年度" in page
    response = client.post(draft_url(draft, "plans:draft-commit"), follow=True)
    assert "请先设定方案年度" in response.content.decode() and not Plan.objects.exists()
    client.post(draft_url(draft, "plans:draft-year"), {"year": "2031"})
    client.post(draft_url(draft, "plans:draft-commit"))
    assert Plan.objects.get().year == 2031


def test_the_draft_survives_a_reload_and_is_discarded_after_a_day(client, people):
    with time_machine.travel(datetime.datetime(2030, 3, 1, 9, tzinfo=datetime.UTC), tick=False):
        # Signed in on the travelled day, so that the session is still valid on the next.
        client.force_login(people["reviewer"])
        upload(client, plan_json())
        draft = ImportDraft.objects.get()
    with time_machine.travel(datetime.datetime(2030, 3, 1, 20, tzinfo=datetime.UTC), tick=False):
        assert client.get(draft_url(draft)).status_code == 200
        assert draft_url(draft) in client.get(START).content.decode()
    with time_machine.travel(datetime.datetime(2030, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        # Abandoned for more than a day: opening the import page clears it away.
        assert client.get(START).status_code == 200
        assert not ImportDraft.objects.exists()
        assert client.get(draft_url(draft)).status_code == 404


def test_discarding_a_draft(client, people, draft):
    client.force_login(people["reviewer"])
    response = client.post(draft_url(draft, "plans:draft-discard"))
    assert response["Location"] == START and not ImportDraft.objects.exists()


def test_the_preview_runs_a_fixed_number_of_queries(
    client, people, draft, django_assert_num_queries
):
    stored_plan()
    client.force_login(people["reviewer"])
    big = plan_json()
    tasks = big["sections"][0]["tasks"]
    # One stored task removed, many added, a unit nobody knows.
    removed = tasks.pop(1)
    tasks.extend(
        {**removed, "number": str(n), "departments": [{"name": f"某中心{n}", "role": "lead"}]}
        for n in range(40)
    )
    draft.data = big
    draft.save()
    # session, user, draft; departments, aliases (the diff); the stored plan, its JSON
    # (tasks, assignments, deadlines, sections, rounds); rounds with findings; tasks with
    # entries or findings (2); departments, aliases (the preview); the mapping form's
    # departments; the unread count.
    with django_assert_num_queries(18):
        page = client.get(draft_url(draft)).content.decode()
    assert "某中心39" in page and "做好政策解读" in page


def test_a_tasks_correction_form_is_fetched_when_opened(client, people, draft):
    client.force_login(people["reviewer"])
    page = client.get(draft_url(draft)).content.decode()
    form_url = reverse("plans:draft-task", args=[draft.pk, "0.0.0"])
    assert f'hx-get="{form_url}"' in page and 'name="unit-0-name"' not in page
    form = client.get(form_url).content.decode()
    assert 'value="公开决策草案"' in form and 'name="unit-0-name" value="政策法规处"' in form
    assert client.get(reverse("plans:draft-task", args=[draft.pk, "0.9"])).status_code == 404
    assert client.get(reverse("plans:draft-task", args=[draft.pk, "x"])).status_code == 404
    client.force_login(people["staff"])
    assert client.get(form_url).status_code == 403


def test_a_word_document_is_previewed(client, people):
    from tests.tasks_ledger.plan.documents import TITLE, plan_docx

    client.force_login(people["reviewer"])
    response = upload(client, plan_docx(), name="工作要点.docx")
    draft = ImportDraft.objects.get()
    assert response["Location"] == draft_url(draft) and draft.file_name == "工作要点.docx"
    page = client.get(draft_url(draft)).content.decode()
    assert TITLE in page and "推进权力清单公开" in page


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client, people, settings):
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(people["reviewer"])
    response = upload(client, b"x" * 2048, name="大文件.txt")
    assert response.status_code == 400
    assert "无法读取 大文件.txt" in response.content.decode()
    assert not ImportDraft.objects.exists()


def test_binary_junk_named_txt_is_refused_in_chinese(client, people):
    client.force_login(people["reviewer"])
    response = upload(client, b"\x00\x01\x02junk" * 50, name="plan.txt")
    assert response.status_code == 400
    page = response.content.decode()
    assert "无法读取 plan.txt：" in page and "not" not in page.split("无法读取")[1][:80]
    assert not ImportDraft.objects.exists()


def test_setting_the_year_dates_the_deadlines_read_without_one(client, people):
    data = plan_json(year=None)
    data["sections"][0]["tasks"][1]["deadlines"] = [{"text": "年底前", "kind": "date", "due": None}]
    client.force_login(people["reviewer"])
    upload(client, data)
    draft = ImportDraft.objects.get()
    assert "尚无日期：请设定年度或更正" in client.get(draft_url(draft)).content.decode()
    client.post(draft_url(draft, "plans:draft-year"), {"year": "2035"})
    deadline = ImportDraft.objects.get().data["sections"][0]["tasks"][1]["deadlines"][0]
    assert deadline["due"] == "2035-12-31"
    client.post(draft_url(draft, "plans:draft-commit"))
    assert Task.objects.get(plan__year=2035, title="做好政策解读").deadlines.get().due.year == 2035
