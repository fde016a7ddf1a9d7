"""import_plan's flags: --year, --allow-removals, a plan with no tasks refused, --dry-run
listing what would be added, changed and removed."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tasks_ledger.plan.models import Plan, Task
from tasks_ledger.plan.plan_json import PlanFormatError
from tasks_ledger.plan.services import PlanRemovalsError, plan_import
from tests.factories import LedgerEntryFactory
from tests.tasks_ledger.plan.intake import plan_json

pytestmark = pytest.mark.django_db


def write(tmp_path, data, name="plan.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run(*args):
    out = StringIO()
    call_command("import_plan", *map(str, args), stdout=out)
    return out.getvalue()


def without_second_task():
    data = plan_json()
    data["sections"][0]["tasks"].pop(1)
    return data


def test_year_sets_the_year_the_document_does_not_say(units, tmp_path):
    path = write(tmp_path, plan_json(year=None))
    with pytest.raises(CommandError, match="--year"):
        run(path)
    assert not Plan.objects.exists()
    run(path, "--year", 2032)
    assert Plan.objects.get().year == 2032


def test_year_overrides_the_year_the_document_says(units, tmp_path):
    run(write(tmp_path, plan_json()), "--year", 2033)
    assert list(Plan.objects.values_list("year", flat=True)) == [2033]


def test_dry_run_json_prints_a_null_year(units, tmp_path):
    printed = json.loads(run(write(tmp_path, plan_json(year=None)), "--dry-run", "--json"))
    assert printed["year"] is None and not Plan.objects.exists()


def test_a_plan_with_no_tasks_is_refused(units, tmp_path):
    plan_import(data=plan_json())
    data = plan_json()
    data["sections"][0]["tasks"] = []
    path = write(tmp_path, data)
    for args in ((), ("--allow-removals",), ("--dry-run",)):
        with pytest.raises(CommandError, match="no tasks"):
            run(path, *args)
    assert Task.objects.count() == 3
    with pytest.raises(PlanFormatError, match="no tasks"):
        plan_import(data=data, allow_removals=True)


def test_removing_tasks_needs_allow_removals(units, tmp_path):
    plan_import(data=plan_json())
    path = write(tmp_path, without_second_task())
    with pytest.raises(
        CommandError, match=r"would remove 1 stored task\(s\): 一\(二\) 做好政策解读"
    ):
        run(path)
    assert Task.objects.filter(title="做好政策解读").exists()
    with pytest.raises(PlanRemovalsError):
        plan_import(data=without_second_task())
    out = run(path, "--allow-removals")
    assert "1 removed" in out
    assert not Task.objects.filter(title="做好政策解读").exists()


def test_allow_removals_never_removes_a_task_with_ledger_entries(units, tmp_path):
    plan, _summary = plan_import(data=plan_json())
    task = Task.objects.get(plan=plan, title="做好政策解读")
    LedgerEntryFactory(task=task, department=units["planning"])
    with pytest.raises(CommandError, match="has ledger entries"):
        run(write(tmp_path, without_second_task()), "--allow-removals")
    assert Task.objects.filter(pk=task.pk).exists()


def test_dry_run_lists_what_would_be_added_changed_and_removed(units, tmp_path):
    plan, _summary = plan_import(data=plan_json())
    LedgerEntryFactory(task=Task.objects.get(title="做好政策解读"), department=units["planning"])
    data = without_second_task()
    first = data["sections"][0]["tasks"][0]
    first["title"] = "推进重大决策预公开(修订)"
    first["deadlines"][0]["due"] = "2030-10-31"
    first["tasks"].append({"number": "2", "title": "公开意见采纳情况", "body": ""})
    before = Task.history.count()
    out = run(write(tmp_path, data), "--dry-run")
    assert "1 added, 1 changed, 1 removed" in out
    assert "+ 一(一)2 公开意见采纳情况" in out
    assert "~ 一(一) 推进重大决策预公开(修订) (title, deadlines)" in out
    assert "- 一(二) 做好政策解读 [has ledger entries or findings: cannot be removed]" in out
    assert "nothing written" in out
    assert Task.history.count() == before


def test_dry_run_says_removals_need_the_flag(units, tmp_path):
    plan_import(data=plan_json())
    out = run(write(tmp_path, without_second_task()), "--dry-run")
    assert "- 一(二) 做好政策解读" in out and "needs --allow-removals" in out


def test_importing_the_same_plan_twice_changes_nothing(units, tmp_path):
    path = write(tmp_path, plan_json())
    run(path)
    before = Task.history.count()
    assert "0 created, 0 updated, 0 removed" in run(path)
    assert Task.history.count() == before
    assert "0 added, 0 changed, 0 removed" in run(path, "--dry-run")


def with_a_round():
    data = plan_json()
    data["review_rounds"] = [{"kind": "check", "text": "2030年10月", "date": "2030-10-08"}]
    return data


def test_a_task_or_round_with_review_findings_is_never_removed(units, people):
    from tasks_ledger.reviews.models import Finding

    plan, _summary = plan_import(data=with_a_round())
    task = Task.objects.get(plan=plan, title="做好政策解读")
    review_round = plan.review_rounds.get()
    Finding.objects.create(
        round=review_round,
        task=task,
        department=units["planning"],
        rating="complete",
        reviewer=people["reviewer"],
    )
    data = with_a_round()
    data["sections"][0]["tasks"].pop(1)
    with pytest.raises(PlanFormatError, match="ledger entries or review findings"):
        plan_import(data=data, allow_removals=True)
    with pytest.raises(PlanFormatError, match="review rounds .* hold findings.*2030年10月"):
        plan_import(data=plan_json(), allow_removals=True)
    assert Finding.objects.count() == 1 and Task.objects.filter(pk=task.pk).exists()


def test_year_dates_the_deadlines_read_without_one(units, tmp_path):
    data = plan_json(year=None)
    data["sections"][0]["tasks"][1]["deadlines"] = [
        {"text": "年内", "kind": "date", "due": None},
        {"text": "年底前", "kind": "date", "due": None},
    ]
    path = write(tmp_path, data)
    printed = json.loads(run(path, "--dry-run", "--json"))
    assert printed["year"] is None
    run(path, "--year", 2034)
    task = Task.objects.get(plan__year=2034, title="做好政策解读")
    assert [str(d.due) for d in task.deadlines.order_by("order")] == ["2034-12-31", "2034-12-31"]


def test_a_plan_without_section_headings_is_stored_and_imported_again_unchanged(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(
        "某局2021年政务公开工作实施方案\n"
        "（一）推进住房保障信息公开。（房产科牵头、住房保障中心配合）\n"
        "（二）推进城市建设信息公开。（城建科负责落实，年底前完成）\n",
        encoding="gb18030",
    )
    assert "0 removed" in run(path)
    plan = Plan.objects.get(year=2021)
    (section,) = plan.sections.all()
    assert (section.number, section.title) == ("", "")
    assert list(plan.tasks.values_list("number", flat=True)) == ["一", "二"]
    assert "0 created, 0 updated, 0 removed" in run(path)


def test_a_title_longer_than_its_column_is_named_and_nothing_is_written(units):
    data = plan_json()
    data["sections"][0]["title"] = "长" * 400
    with pytest.raises(PlanFormatError, match="title"):
        plan_import(data=data)
    assert not Plan.objects.exists()
