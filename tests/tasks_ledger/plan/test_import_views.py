"""The plan import page: who may use it, upload → preview → correct → commit, the diff
against a stored plan, unit aliases, drafts that survive a reload and expire."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from departments.models import Department, DepartmentAlias
from tasks_ledger.plan.models import ImportDraft, Plan, Task
from tasks_ledger.plan.services import plan_import
from tests.factories import LedgerEntryFactory, UserFactory
from tests.tasks_ledger.plan.intake import as_file, plan_json

pytestmark = pytest.mark.django_db
START = reverse("plans:import")


def upload(client, data, name="plan.json"):
    return client.post(
        START, {"file": SimpleUploadedFile(name, as_file(data) if isinstance(data, dict) else data)}
    )


def draft_url(draft, name="plans:draft"):
    return reverse(name, args=[draft.pk])


@pytest.fixture
def draft(people):
    return ImportDraft.objects.create(
        owner=people["reviewer"], file_name="plan.json", data=plan_json()
    )


@pytest.mark.parametrize(
    ("persona", "expected"), [("staff", 403), ("head", 403), ("reviewer", 200), ("admin", 200)]
)
def test_only_the_office_and_the_administrator_may_import(client, people, draft, persona, expected):
    client.force_login(people[persona])
    assert client.get(START).status_code == expected
    if persona == "reviewer":
        assert client.get(draft_url(draft)).status_code == 200
    elif expected == 403:
        assert client.get(draft_url(draft)).status_code == 403
        for name in (
            "plans:draft-commit",
            "plans:draft-year",
            "plans:draft-map",
            "plans:draft-discard",
        ):
            assert client.post(draft_url(draft, name)).status_code == 403
    assert ImportDraft.objects.count() == 1 and not Plan.objects.exists()


def test_a_signed_in_user_without_a_role_is_refused(client, draft):
    client.force_login(UserFactory())
    assert client.get(START).status_code == 403


def test_a_superuser_may_import(client, draft):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(START).status_code == 200


@pytest.mark.parametrize("name", ["plans:draft", "plans:draft-commit"])
def test_anonymous_is_sent_to_sign_in(client, draft, name):
    response = client.get(START) if name == "plans:draft" else client.post(draft_url(draft, name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert ImportDraft.objects.count() == 1


def test_another_office_members_draft_is_not_found(client, people, draft):
    client.force_login(people["admin"])
    assert client.get(draft_url(draft)).status_code == 404
    assert client.post(draft_url(draft, "plans:draft-commit")).status_code == 404
    assert ImportDraft.objects.filter(pk=draft.pk).exists()


def test_the_office_sees_the_link_in_the_navigation(client, people):
    client.force_login(people["reviewer"])
    assert START in client.get(reverse("plan-overview")).content.decode()
    client.force_login(people["staff"])
    assert START not in client.get(reverse("plan-overview")).content.decode()


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


def stored_plan(by=None):
    plan, _summary = plan_import(data=plan_json(), by=by)
    return plan


def test_against_a_stored_plan_the_preview_is_a_diff_and_removal_needs_confirmation(client, people):
    stored_plan()
    client.force_login(people["reviewer"])
    data = plan_json()
    data["sections"][0]["tasks"][0]["title"] = "推进重大决策预公开(修订)"
    data["sections"][0]["tasks"].pop(1)
    data["sections"][0]["tasks"].append(
        {
            "number": "三",
            "title": "新任务",
            "body": "",
            "departments": [],
            "deadlines": [],
            "tasks": [],
        }
    )
    upload(client, data)
    draft = ImportDraft.objects.get()
    page = client.get(draft_url(draft)).content.decode()
    assert "已存有2030年的方案" in page and "新增 1 项、变更 1 项、删除 1 项" in page
    assert "新增" in page and "变更：标题" in page and "做好政策解读" in page
    assert 'name="allow_removals"' in page

    response = client.post(draft_url(draft, "plans:draft-commit"), follow=True)
    assert "勾选确认" in response.content.decode()
    assert (
        Task.objects.filter(title="做好政策解读").exists()
        and not Task.objects.filter(title="新任务").exists()
    )

    client.post(draft_url(draft, "plans:draft-commit"), {"allow_removals": "on"})
    assert not Task.objects.filter(title="做好政策解读").exists()
    assert Task.objects.filter(title="新任务").exists()


def test_a_task_with_ledger_entries_is_never_removed(client, people, units):
    plan = stored_plan()
    task = Task.objects.get(plan=plan, title="做好政策解读")
    LedgerEntryFactory(task=task, department=units["planning"])
    client.force_login(people["reviewer"])
    data = plan_json()
    data["sections"][0]["tasks"].pop(1)
    upload(client, data)
    draft = ImportDraft.objects.get()
    assert "已有台账记录或检查考评结果，不能删除" in client.get(draft_url(draft)).content.decode()
    response = client.post(
        draft_url(draft, "plans:draft-commit"), {"allow_removals": "on"}, follow=True
    )
    assert "已有台账记录或检查考评结果，不能删除" in response.content.decode()
    assert Task.objects.filter(pk=task.pk).exists() and ImportDraft.objects.exists()


def test_a_unit_mapped_once_is_remembered_for_the_next_import(client, people, units):
    client.force_login(people["reviewer"])
    upload(client, plan_json())
    draft = ImportDraft.objects.get()
    response = client.post(
        draft_url(draft, "plans:draft-map"),
        {"name": "市交通局计划处", "department": units["planning"].pk},
        follow=True,
    )
    assert "市交通局计划处 今后均视为 计划处" in response.content.decode()
    alias = DepartmentAlias.objects.get()
    assert (alias.name, alias.department, alias.created_by) == (
        "市交通局计划处",
        units["planning"],
        people["reviewer"],
    )
    page = client.get(draft_url(draft)).content.decode()
    assert 'id="unknown-units"' not in page and "→ 计划处" in page
    client.post(draft_url(draft, "plans:draft-commit"))
    task = Task.objects.get(title="推进重大决策预公开")
    assert {a.department for a in task.assignments.all()} == {units["policy"], units["planning"]}
    assert not Department.objects.filter(name="市交通局计划处").exists()

    # The next import (any way in: here the service the command uses) reads it the same.
    next_year = plan_json(year=2031)
    _plan, summary = plan_import(data=next_year)
    assert summary.new_departments == []
    assert (
        Task.objects.get(plan__year=2031, title="推进重大决策预公开")
        .assignments.filter(department=units["planning"], role="partner")
        .exists()
    )


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


def test_a_plan_dropping_a_review_round_with_findings_cannot_be_imported(client, people, units):
    from tasks_ledger.reviews.models import Finding

    data = plan_json()
    data["review_rounds"] = [{"kind": "check", "text": "2030年10月", "date": "2030-10-08"}]
    plan, _summary = plan_import(data=data)
    Finding.objects.create(
        round=plan.review_rounds.get(),
        task=Task.objects.get(plan=plan, title="做好政策解读"),
        department=units["planning"],
        rating="complete",
        reviewer=people["reviewer"],
    )
    client.force_login(people["reviewer"])
    upload(client, plan_json())
    draft = ImportDraft.objects.get()
    assert "以下检查考评已有评定结果" in client.get(draft_url(draft)).content.decode()
    response = client.post(draft_url(draft, "plans:draft-commit"), follow=True)
    assert "以下检查考评已有评定结果，但此方案中没有，因此不能导入：2030年10月。" in (
        response.content.decode()
    )
    assert Finding.objects.count() == 1 and ImportDraft.objects.exists()


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
