"""Word documents: paragraphs and tables in body order, merged cells repeated."""

import io

import docx
import pytest

from tasks_ledger.plan.document import Paragraph, Table
from tasks_ledger.plan.plan_json import PlanFormatError
from tasks_ledger.plan.readers.docx import read_docx
from tests.tasks_ledger.plan.documents import BLOCKS, plan_docx


def test_paragraphs_and_a_real_table_in_document_order():
    assert read_docx(plan_docx(), name="plan.docx").blocks == BLOCKS


def test_merged_cells_are_repeated_in_every_row_and_column_they_span():
    document = docx.Document()
    document.add_paragraph("二、任务分工")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [["任务", "责任单位", ""], ["公开预算", "财务处", "年内"], ["", "", "每月"]]
    ):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(0, 1).merge(table.cell(0, 2))  # a header over two columns
    table.cell(1, 0).merge(table.cell(2, 0))  # one task over two rows
    table.cell(1, 1).merge(table.cell(2, 1))
    buffer = io.BytesIO()
    document.save(buffer)
    blocks = read_docx(buffer.getvalue(), name="plan.docx").blocks
    assert blocks == [
        Paragraph("二、任务分工"),
        Table(
            rows=(
                ("任务", "责任单位", "责任单位"),
                ("公开预算", "财务处", "年内"),
                ("公开预算", "财务处", "每月"),
            )
        ),
    ]


def test_a_line_break_inside_a_paragraph_starts_a_new_paragraph():
    document = docx.Document()
    run = document.add_paragraph().add_run("一、总体要求")
    run.add_break()
    run.add_text("(一)推进公开。")
    buffer = io.BytesIO()
    document.save(buffer)
    assert read_docx(buffer.getvalue(), name="a.docx").blocks == [
        Paragraph("一、总体要求"),
        Paragraph("(一)推进公开。"),
    ]


def test_a_zip_that_is_not_a_word_document_is_refused():
    with pytest.raises(PlanFormatError, match="a.docx"):
        read_docx(b"PK\x05\x06" + b"\x00" * 18, name="a.docx")
