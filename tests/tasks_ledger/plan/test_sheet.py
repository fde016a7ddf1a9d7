import json
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tasks_ledger.plan.models import Plan
from tasks_ledger.plan.plan_json import PlanFormatError
from tasks_ledger.plan.selectors import plan_as_json
from tasks_ledger.plan.sheet import read_plan_sheet, write_plan_sheet


@pytest.fixture
def sheet(plan_2016, tmp_path):
    path = tmp_path / "plan.xlsx"
    call_command("export_plan", "2016", "--xlsx", str(path), stdout=StringIO())
    return path


def test_the_sheet_reads_back_as_the_same_plan(plan_2016, sheet):
    assert read_plan_sheet(sheet) == plan_as_json(plan=plan_2016)


def test_the_sheet_is_laid_out_for_people(sheet):
    book = load_workbook(sheet)
    tasks = book["任务"]
    assert [c.value for c in tasks[1]][:6] == [
        "部分编号",
        "部分标题",
        "任务编号",
        "上级任务编号",
        "任务标题",
        "任务内容",
    ]
    assert tasks.freeze_panes == "A2"
    row = next(r for r in tasks.iter_rows(values_only=True) if r[4] == "积极回应社会关切")
    assert row[6] == "政治处、办公室" and row[8] == "各单位"
    assert row[9] == "特别重大、重大突发事件发生后5小时内；特别重大、重大突发事件发生后24小时内"
    assert [c.value for c in book["方案"]["A"]] == ["年度", "标题", "发文单位", "前言"]


@pytest.mark.django_db
def test_import_plan_takes_a_sheet_typed_by_hand(tmp_path):
    data = {
        "title": '=HYPERLINK("http://evil")',
        "year": 2031,
        "issuer": "某局",
        "preamble": "",
        "sections": [
            {"number": "一", "title": "总体要求", "body": "坚持以公开为常态。", "tasks": []},
            {
                "number": "二",
                "title": "推进决策公开",
                "body": "",
                "tasks": [
                    {
                        "number": "一",
                        "title": "推进重大决策预公开",
                        "body": "正文",
                        "departments": [
                            {"name": "法规科", "role": "lead"},
                            {"name": "办公室", "role": "partner"},
                        ],
                        "other_units": "",
                        "deadlines": [
                            {"text": "2031年6月底前", "kind": "date", "due": "2031-06-30"},
                            {"text": "每季度", "kind": "recurring", "every": "quarter"},
                        ],
                        "tasks": [
                            {
                                "number": "1",
                                "title": "梳理目录",
                                "body": "",
                                "departments": [],
                                "other_units": "",
                                "deadlines": [],
                                "tasks": [],
                            }
                        ],
                    }
                ],
            },
        ],
        "review_rounds": [{"kind": "check", "text": "2031年10月", "date": "2031-10-08"}],
    }
    path = tmp_path / "typed.xlsx"
    write_plan_sheet(data, path)
    cell = load_workbook(path)["方案"]["B2"]
    assert cell.data_type == "s"  # the formula-looking title is text, not a formula
    call_command("import_plan", str(path), stdout=StringIO())
    assert plan_as_json(plan=Plan.objects.get(year=2031)) == data


def spoil(path, sheet, cell, value):
    book = load_workbook(path)
    book[sheet][cell] = value
    book.save(path)


@pytest.mark.parametrize(
    ("sheet_name", "cell", "value", "where"),
    [
        ("任务", "J4", "尽快", "任务 row 4, column 完成时限"),
        ("任务", "E5", None, "任务 row 5, column 任务标题"),
        ("任务", "D5", "九", "任务 row 5, column 上级任务编号"),
        ("方案", "B1", "二〇一六", "方案 row 1"),
        ("检查考评", "A2", "抽查", "检查考评 row 2, column 类型"),
    ],
)
def test_errors_name_the_sheet_row_and_column(sheet, sheet_name, cell, value, where):
    spoil(sheet, sheet_name, cell, value)
    with pytest.raises(PlanFormatError) as info:
        read_plan_sheet(sheet)
    assert info.value.where == where


def test_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(PlanFormatError, match="not a readable .xlsx"):
        read_plan_sheet(path)


def test_dry_run_of_a_sheet_prints_json(sheet, plan_2016):
    out = StringIO()
    call_command("import_plan", str(sheet), "--dry-run", "--json", stdout=out)
    assert json.loads(out.getvalue()) == plan_as_json(plan=plan_2016)
