import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Assignment, Deadline, Plan, Section, Task
from tasks_ledger.plan.plan_json import PlanFormatError
from tasks_ledger.plan.selectors import plan_as_json
from tasks_ledger.plan.services import plan_import
from tests.factories import LedgerEntryFactory
from tests.tasks_ledger.plan.corpus import SEED

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "plan_2016.json"


def fixture_data():
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data.pop("source_text")
    return data


def counts():
    return (
        Plan.objects.count(),
        Section.objects.count(),
        Task.objects.count(),
        Assignment.objects.count(),
        Deadline.objects.count(),
        Task.history.count(),
        Assignment.history.count(),
    )


def export(year=2016) -> dict:
    out = StringIO()
    call_command("export_plan", str(year), "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_export_then_import_into_an_empty_database_gives_the_same_plan(plan_2016, tmp_path):
    exported = export()
    assert exported == fixture_data()
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")

    Plan.objects.all().delete()
    from departments.models import Department

    Department.objects.all().delete()
    call_command("import_plan", str(path), stdout=StringIO())
    assert export() == exported


@pytest.mark.django_db
def test_second_import_changes_nothing(plan_2016, tmp_path):
    before = counts()
    plan, summary = plan_import(data=fixture_data())
    assert not summary.changed
    assert summary.unchanged == 53
    assert counts() == before


@pytest.mark.django_db
def test_import_writes_history_with_reason(plan_2016):
    task = Task.objects.get(plan=plan_2016, section__number="二", number="三")
    assert task.history.count() == 1
    assert task.history.first().history_change_reason == "import_plan"


@pytest.mark.django_db
def test_changed_plan_updates_and_removes(plan_2016):
    data = fixture_data()
    data["sections"][1]["tasks"][2]["deadlines"][0]["due"] = "2016-09-15"
    data["sections"][1]["tasks"][1]["departments"].pop()  # drop 安全处 from 二(二)
    _plan, summary = plan_import(data=data)
    assert (summary.updated, summary.deleted) == (1, 1)
    task = Task.objects.get(plan=plan_2016, section__number="二", number="三")
    assert str(task.deadlines.get().due) == "2016-09-15"
    assert task.deadlines.get().history.count() == 2
    assert not Assignment.objects.filter(
        task__number="二", department__code="safety", task__section__number="二"
    ).exists()


@pytest.mark.django_db
def test_a_task_with_entries_is_not_silently_removed(plan_2016):
    task = Task.objects.get(plan=plan_2016, section__number="二", number="三")
    LedgerEntryFactory(task=task, department=task.departments.first())
    data = fixture_data()
    data["sections"][1]["tasks"].pop(2)
    before = counts()
    with pytest.raises(PlanFormatError, match="has ledger entries"):
        plan_import(data=data)
    assert counts() == before
    assert LedgerEntry.objects.count() == 1


BAD = [
    (lambda d: d.pop("year"), "year"),
    (lambda d: d.update(year="2016"), "year"),
    (lambda d: d.update(sections=[]), "sections"),
    (lambda d: d["sections"][1].update(number=""), "sections[1].number"),
    (lambda d: d["sections"][2]["tasks"][1].update(title=None), "sections[2].tasks[1].title"),
    (lambda d: d["sections"][1]["tasks"][1].update(number="一"), "sections[1].tasks[1].number"),
    (
        lambda d: d["sections"][1]["tasks"][0]["departments"][0].update(role="owner"),
        "sections[1].tasks[0].departments[0].role",
    ),
    (
        lambda d: d["sections"][1]["tasks"][2]["deadlines"][0].update(due="2016-09-31"),
        "sections[1].tasks[2].deadlines[0].due",
    ),
    (
        lambda d: d["sections"][4]["tasks"][0]["deadlines"][0].update(unit="minute"),
        "sections[4].tasks[0].deadlines[0].unit",
    ),
    (
        lambda d: d["sections"][4]["tasks"][0]["deadlines"][0].update(amount=0),
        "sections[4].tasks[0].deadlines[0].amount",
    ),
    (
        lambda d: d["sections"][5]["tasks"][2]["deadlines"][0].update(kind="sometimes"),
        "sections[5].tasks[2].deadlines[0].kind",
    ),
    (lambda d: d["review_rounds"][0].update(kind="audit"), "review_rounds[0].kind"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("spoil", "where"), BAD)
def test_malformed_plan_names_the_place_and_writes_nothing(plan_2016, spoil, where):
    data = copy.deepcopy(fixture_data())
    data["title"] = "changed, but must not be written"
    spoil(data)
    before = counts()
    with pytest.raises(PlanFormatError) as info:
        plan_import(data=data)
    assert info.value.where == where
    assert counts() == before
    assert Plan.objects.get().title == "宿迁市交通运输局2016年政务公开工作实施方案"


@pytest.mark.django_db
def test_command_reports_broken_json_with_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"year": 2016,\n "sections": [}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 2 column 15"):
        call_command("import_plan", str(path))
    assert Plan.objects.count() == 0


@pytest.mark.django_db
def test_command_refuses_other_formats(tmp_path):
    path = tmp_path / "plan.doc"
    path.write_bytes(b"x")
    with pytest.raises(CommandError, match=r"\.docx.*\.pdf"):
        call_command("import_plan", str(path))


@pytest.mark.django_db
def test_dry_run_json_prints_plan_json_and_writes_nothing():
    seed = SEED
    out = StringIO()
    call_command("import_plan", str(seed), "--dry-run", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["year"] == 2016
    assert len(printed["sections"]) == 6
    assert sum(len(s["tasks"]) for s in printed["sections"]) == 17
    assert "source_text" not in printed
    assert counts()[:5] == (0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_text_import_stores_the_source_text(tmp_path):
    seed = SEED
    call_command("import_plan", str(seed), stdout=StringIO())
    plan = Plan.objects.get(year=2016)
    assert plan.source_text == seed.read_text(encoding="utf-8")
    assert Task.objects.count() == 17


@pytest.mark.django_db
def test_export_of_unknown_year_fails(plan_2016):
    with pytest.raises(CommandError, match="no plan for 2099"):
        call_command("export_plan", "2099", "--json")


@pytest.mark.django_db
def test_export_runs_a_fixed_number_of_queries(plan_2016, django_assert_num_queries):
    # tasks, assignments+departments, deadlines, sections, review rounds
    with django_assert_num_queries(5):
        plan_as_json(plan=plan_2016)


@pytest.mark.django_db
def test_import_records_who_imported(plan_2016, tmp_path):
    from tests.factories import UserFactory

    UserFactory(username="clerk")
    data = fixture_data()
    data["sections"][1]["tasks"][0]["title"] = "推进权力清单公开"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("import_plan", str(path), "--by", "clerk", stdout=StringIO())
    task = Task.objects.get(plan=plan_2016, section__number="二", number="一")
    latest = task.history.first()
    assert (latest.title, latest.history_user.username) == ("推进权力清单公开", "clerk")
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("import_plan", str(path), "--by", "nobody")
