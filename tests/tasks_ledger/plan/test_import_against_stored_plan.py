"""Importing over a stored plan: the preview is a diff, removals need confirmation, tasks
with ledger entries and rounds with findings are kept, unit aliases are remembered."""

import pytest

from departments.models import Department, DepartmentAlias
from tasks_ledger.plan.models import ImportDraft, Task
from tasks_ledger.plan.services import plan_import
from tests.factories import LedgerEntryFactory
from tests.tasks_ledger.plan.importing import draft_url, stored_plan, upload
from tests.tasks_ledger.plan.intake import plan_json

pytestmark = pytest.mark.django_db


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
