"""The same plan as .txt, .docx, .html and .pdf: the same Document, the same plan JSON."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from tasks_ledger.plan.models import Plan
from tasks_ledger.plan.plan_json import PlanFormatError, without_provenance
from tasks_ledger.plan.readers import read_document
from tasks_ledger.plan.selectors import plan_as_json
from tasks_ledger.plan.sources import read_plan_bytes, read_plan_file
from tests.tasks_ledger.plan.documents import BLOCKS, plan_docx, plan_html, plan_pdf, plan_text

FILES = {
    "plan.txt": lambda: plan_text().encode("gb18030"),
    "plan.docx": plan_docx,
    "plan.html": lambda: plan_html("gb2312"),
    "plan.pdf": plan_pdf,
}


@pytest.mark.parametrize("name", FILES)
def test_every_format_gives_the_same_document(name):
    assert read_document(FILES[name](), name=name).blocks == BLOCKS


@pytest.mark.django_db
def test_every_format_gives_the_same_plan_json():
    plans = {name: read_plan_bytes(name=name, data=make()) for name, make in FILES.items()}
    first = plans.pop("plan.txt")
    assert first["year"] == 2017
    assert [s["number"] for s in first["sections"]] == ["一", "二", "三"]
    # Where each unit was read ("source") is provenance for the import preview.
    assert without_provenance(first["sections"][0]["tasks"][0]["departments"]) == [
        {"name": "政策法规处", "role": "lead"}
    ]
    assert "公开部门预算" in first["source_text"]
    for name, plan in plans.items():
        assert plan == first, name


@pytest.mark.django_db
@pytest.mark.parametrize("name", FILES)
def test_import_plan_reads_every_format(name, tmp_path):
    path = tmp_path / name
    path.write_bytes(FILES[name]())
    out = StringIO()
    call_command("import_plan", str(path), "--dry-run", "--json", stdout=out)
    assert json.loads(out.getvalue())["year"] == 2017
    assert Plan.objects.count() == 0
    assert read_plan_file(path)["sections"][1]["title"] == "重点任务分工"


def test_import_plan_help_lists_the_document_formats(capsys):
    with pytest.raises(SystemExit):
        call_command("import_plan", "--help")
    help_text = capsys.readouterr().out
    for suffix in (".txt", ".docx", ".html", ".pdf", ".json", ".xlsx"):
        assert suffix in help_text


def test_the_plan_sheet_reads_as_before_through_the_same_door(plan_2016, tmp_path):
    path = tmp_path / "plan.xlsx"
    call_command("export_plan", "2016", "--xlsx", str(path), stdout=StringIO())
    assert read_plan_bytes(name="计划.xlsx", data=path.read_bytes()) == plan_as_json(plan=plan_2016)


def test_a_plan_sheet_error_names_the_file_and_the_place(plan_2016, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "plan.xlsx"
    call_command("export_plan", "2016", "--xlsx", str(path), stdout=StringIO())
    book = load_workbook(path)
    book["方案"]["B1"] = "明年"
    book.save(path)
    with pytest.raises(PlanFormatError) as caught:
        read_plan_file(path)
    assert caught.value.where == "plan.xlsx, 方案 row 1"
