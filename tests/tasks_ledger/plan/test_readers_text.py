"""Plain-text plans: the encoding is detected, never assumed; binary junk is refused."""

import pytest
from django.utils import translation

from tasks_ledger.plan.document import Paragraph, Table
from tasks_ledger.plan.plan_json import PlanFormatError
from tasks_ledger.plan.readers.text import decode_text, read_text
from tests.tasks_ledger.plan.documents import BLOCKS, plan_text

TEXT = plan_text()


@pytest.mark.parametrize(
    "encoded",
    [
        TEXT.encode("utf-8"),
        TEXT.encode("utf-8-sig"),
        TEXT.encode("gb18030"),
        TEXT.encode("gbk"),
        TEXT.encode("utf-16"),  # with its byte-order mark
        TEXT.encode("utf-16-le"),  # without one
        TEXT.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "gbk", "utf-16-bom", "utf-16-le", "utf-16-be"],
)
def test_every_common_encoding_reads_as_the_same_text(encoded):
    assert decode_text(encoded, name="plan.txt") == TEXT
    assert read_text(encoded, name="plan.txt").blocks == BLOCKS


def test_a_gb18030_only_character_survives():
    # 㐀 (CJK extension A) is in GB18030 but not in GBK: the superset decodes it.
    text = "一、总体要求\n(一)㐀字号的公开。2017年\n"
    assert decode_text(text.encode("gb18030"), name="plan.txt") == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x00\x01\x02\x03PK\x03\x04" + bytes(range(256)) * 4, "not text|NUL|binary"),
        ("一、总体要求\x00\x00\x00".encode(), "NUL"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "not text|NUL|binary"),
    ],
    ids=["random-bytes", "nul-in-utf8", "png-named-txt"],
)
def test_binary_junk_named_txt_is_refused_with_a_clear_error(data, reason):
    with translation.override("en"), pytest.raises(PlanFormatError, match=reason) as caught:
        read_text(data, name="junk.txt")
    assert caught.value.where == "junk.txt"


def test_lines_of_cells_are_a_table_and_other_lines_paragraphs():
    text = (
        "  标题\u3000\n\n序号 | 工作任务 | 责任单位\n"
        "1 | 推进决策公开 | 办公室\n2 | 加强解读 | 法规科\n尾\n"
    )
    document = read_text(text.encode("gb18030"), name="plan.txt")
    assert document.blocks == [
        Paragraph("标题"),
        Table(
            rows=(
                ("序号", "工作任务", "责任单位"),
                ("1", "推进决策公开", "办公室"),
                ("2", "加强解读", "法规科"),
            )
        ),
        Paragraph("尾"),
    ]
