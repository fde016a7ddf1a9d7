"""The 工作台账 workbook, opened with openpyxl and checked cell by cell."""

import datetime
import io
import zipfile

import pytest
from openpyxl import load_workbook

from tasks_ledger.excel.export import COLUMNS, sheet_title, write_ledger
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.ledger.status import Light
from tests.factories import AssignmentFactory, TaskFactory
from tests.tasks_ledger.dashboard.conftest import TODAY, add_entry

D = datetime.date
# Excel has no time zones: the file holds naive Shanghai wall-clock times.
WALL = datetime.datetime(2030, 5, 8, 10, 0)  # noqa: DTZ001
JUNE_30 = datetime.datetime(2030, 6, 30)  # noqa: DTZ001


def export(small_plan, **kwargs):
    out = io.BytesIO()
    written = write_ledger(out, plan=small_plan.plan, today=TODAY, **kwargs)
    out.seek(0)
    return written, load_workbook(out)


def rows(ws):
    return list(ws.iter_rows(min_row=2, values_only=True))


def test_sheets_header_and_layout(small_plan):
    written, wb = export(small_plan)
    assert written == 5  # counted entries only: the draft stays out
    assert wb.sheetnames == ["汇总", "甲处", "乙处"]
    ws = wb["甲处"]
    assert [c.value for c in ws[1]] == [name for name, _w in COLUMNS]
    assert ws[1][0].font.bold
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width == 36
    assert ws.column_dimensions["F"].width == 48
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.print_title_rows == "$1:$1"
    assert wb["汇总"].freeze_panes == "A2"


def test_department_rows(small_plan):
    _n, wb = export(small_plan)
    a = rows(wb["甲处"])
    assert len(a) == 3  # T1 (one entry), T2 (no counted entry: an empty row), T4 (one)
    number, task, lead, partner, due, progress, problems, steps, evidence, state, who, at = a[0][
        :12
    ]
    assert (number, task, lead, partner) == (1, "一(一) 任务一", "甲处", "乙处")
    assert due == JUNE_30  # a date cell, not text
    assert wb["甲处"]["E2"].is_date and wb["甲处"]["E2"].number_format == "yyyy-mm-dd"
    assert progress == "任务一已完成"
    assert wb["甲处"]["F2"].alignment.wrap_text and not wb["甲处"]["C2"].alignment.wrap_text
    S = LedgerEntry
    assert state == f"{S.Status.DONE.label}（{S.State.ACCEPTED.label}）"
    assert who == small_plan.e1a.author.username
    assert at == WALL
    assert wb["甲处"]["L2"].is_date
    # The entry's date, id and version, for the round trip through the ledger import.
    e1a = small_plan.e1a
    assert (a[0][12].date(), *a[0][13:]) == (e1a.happened_on, e1a.pk, e1a.version)
    assert a[1][:2] == (2, "一(二) 任务二")
    assert a[1][5] is None and a[1][9] == Light.LABELS[Light.DUE_SOON]
    b = rows(wb["乙处"])
    assert [r[1] for r in b] == ["一(一) 任务一", "二(一) 任务三", "二(二) 任务四"]
    assert b[1][4] is None  # T3 has no deadline at all
    assert b[1][6] == "缺经费"


def test_summary_sheet(small_plan):
    _n, wb = export(small_plan)
    assert rows(wb["汇总"]) == [
        # 处室, 任务数, 已完成, 待确认, 正常推进, 即将到期, 已逾期, 受阻, 未填报, 台账条数,
        # 最近更新
        ("甲处", 3, 1, 0, 0, 1, 1, 0, 0, 2, WALL),
        ("乙处", 3, 1, 0, 1, 0, 0, 1, 0, 3, WALL),
    ]


def test_summary_counts_awaiting_and_not_filed(small_plan):
    # T1×B says done, submitted and not yet accepted: 待确认, not 已完成. A new task of A's
    # with no date and no entry: 未填报.
    add_entry(small_plan.t1, small_plan.b, LedgerEntry.Status.DONE, D(2030, 5, 8))
    t5 = TaskFactory(section=small_plan.s2, number="三", title="任务五", order=5)
    AssignmentFactory(task=t5, department=small_plan.a)
    _n, wb = export(small_plan)
    summary = {row[0]: row[1:9] for row in rows(wb["汇总"])}
    assert summary["甲处"] == (4, 1, 0, 0, 1, 1, 0, 1)
    assert summary["乙处"] == (3, 1, 1, 0, 0, 0, 1, 0)
    assert rows(wb["甲处"])[-1][9] == Light.LABELS[Light.NOT_FILED]


def test_several_entries_of_a_task_and_their_evidence(small_plan):
    later = add_entry(
        small_plan.t1, small_plan.a, LedgerEntry.Status.DONE, D(2030, 5, 7), summary="补充"
    )
    number = "宿交发〔2030〕1号"
    Evidence.objects.create(entry=later, kind=Evidence.Kind.DOC_NUMBER, doc_number=number)
    Evidence.objects.create(entry=later, kind=Evidence.Kind.LINK, url="https://example.gov.cn/a")
    _n, wb = export(small_plan)
    a = rows(wb["甲处"])
    assert [(r[0], r[5]) for r in a[:2]] == [(1, "任务一已完成"), (1, "补充")]
    assert a[1][8] == "宿交发〔2030〕1号；https://example.gov.cn/a"


def test_the_evidence_column_keeps_the_order_evidence_was_added(small_plan):
    """The same text on SQLite and PostgreSQL (CI runs this on both): in the order the
    evidence was added, whatever its kind, with empty names kept in place."""
    entry = small_plan.e1a
    added = [
        Evidence.objects.create(
            entry=entry, kind=Evidence.Kind.LINK, url="https://example.gov.cn/z"
        ),
        Evidence.objects.create(
            entry=entry, kind=Evidence.Kind.DOC_NUMBER, doc_number="宿交发〔2030〕9号"
        ),
        Evidence.objects.create(
            entry=entry, kind=Evidence.Kind.LINK, url="https://example.gov.cn/a"
        ),
        Evidence.objects.create(
            entry=entry, kind=Evidence.Kind.DOC_NUMBER, doc_number="宿交发〔2030〕1号"
        ),
    ]
    # Written in an order other than the ids': a later change must not move an item.
    Evidence.objects.filter(pk=added[0].pk).update(note="更新")
    _n, wb = export(small_plan)
    assert rows(wb["甲处"])[0][8] == (
        "https://example.gov.cn/z；宿交发〔2030〕9号；https://example.gov.cn/a；宿交发〔2030〕1号"
    )


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"]
)
def test_formula_like_text_is_written_as_text(small_plan, text):
    entry = small_plan.e1a
    entry.summary = text
    entry.problems = text
    entry.save()
    small_plan.a.name = text
    small_plan.a.save()
    out = io.BytesIO()
    write_ledger(out, plan=small_plan.plan, today=TODAY)
    out.seek(0)
    wb = load_workbook(out)
    ws = wb.worksheets[1]
    for coordinate in ("F2", "G2", "C2"):
        cell = ws[coordinate]
        assert cell.value == text and cell.data_type == "s", coordinate
    assert wb["汇总"]["A2"].data_type == "s"
    out.seek(0)
    # Nowhere in the file is there a formula element.
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name)


def test_control_characters_are_dropped(small_plan):
    small_plan.e1a.summary = "第一\x07行\x0b"
    small_plan.e1a.save()
    _n, wb = export(small_plan)
    assert wb["甲处"]["F2"].value == "第一行"


def test_sheet_titles_are_legal_and_unique():
    taken = set()
    assert sheet_title("a/b:c", taken) == "a_b_c"
    assert sheet_title("A/B:C", taken) == "A_B_C(2)"
    assert len(sheet_title("长" * 40, taken)) == 31


def test_one_department(small_plan):
    _n, wb = export(small_plan, department=small_plan.b)
    assert wb.sheetnames == ["汇总", "乙处"]
    assert [r[0] for r in rows(wb["汇总"])] == ["乙处"]
