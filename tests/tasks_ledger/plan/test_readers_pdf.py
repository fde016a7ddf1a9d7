"""PDFs: the text layer and ruled tables; a scan is refused with one plain sentence."""

import pytest
from django.utils import translation

from tasks_ledger.plan.document import Paragraph
from tasks_ledger.plan.plan_json import PlanFormatError
from tasks_ledger.plan.readers.pdf import read_pdf
from tests.tasks_ledger.plan.documents import BLOCKS, plan_pdf, scanned_pdf


def test_text_and_a_ruled_table_in_reading_order():
    assert read_pdf(plan_pdf(), name="plan.pdf").blocks == BLOCKS


def test_a_paragraph_wrapped_over_lines_is_one_paragraph():
    long = "(一)推进权力清单公开。" + "要在全面公开权力清单和责任清单的基础上动态调整" * 4 + "。"
    blocks = read_pdf(plan_pdf([Paragraph("一、总体要求"), Paragraph(long)]), name="a.pdf").blocks
    assert blocks == [Paragraph("一、总体要求"), Paragraph(long)]


def test_a_scanned_pdf_gets_no_text_layer_and_nothing_else():
    with translation.override("en"), pytest.raises(PlanFormatError) as caught:
        read_pdf(scanned_pdf(), name="scan.pdf")
    assert str(caught.value) == "scan.pdf: no text layer in this PDF"


@pytest.mark.parametrize("data", [b"%PDF-1.4\n%garbage", plan_pdf()[:400]], ids=["junk", "cut"])
def test_a_broken_pdf_is_refused_with_a_clear_error(data):
    with pytest.raises(PlanFormatError, match="broken.pdf"):
        read_pdf(data, name="broken.pdf")
