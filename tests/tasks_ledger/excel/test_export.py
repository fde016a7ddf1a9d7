"""The 工作台账 workbook, opened with openpyxl and checked cell by cell."""

import datetime
import io
import zipfile

import pytest
from openpyxl import load_workbook

from tasks_ledger.excel.export import COLUMNS, sheet_title, write_ledger
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tests.factories import AssignmentFactory, TaskFactory
from tests.tasks_ledger.dashboard.conftest import TODAY, add_entry

D = datetime.date
# Excel has no time zones: the file holds naive Shanghai wall-clock times.
WALL = datetime.datetime(2030, 5, 8, 10, 0)  # noqa: DTZ001
JUNE_30 = datetime.datetime(2030, 6, 30)  # noqa: DTZ001
# The pages' words for the lights and states (zh-hans, the interface's default).
OVERDUE, DUE_SOON, NOT_FILED, ON_TRACK = "逾期", "即将到期", "未填报", "正常推进"
DONE, BLOCKED, AWAITING = "已完成", "受阻", "待确认"
SUBMITTED, ACCEPTED = "已报送", "已采纳"


def export(small_plan, **kwargs):
    out = io.BytesIO()
    written = write_ledger(out, plan=small_plan.plan, today=TODAY, **kwargs)
    out.seek(0)
    return written, load_workbook(out)


def rows(ws):
    """The data rows: after the title, the scope and the column names, before the totals."""
    return list(ws.iter_rows(min_row=4, values_only=True))[:-1]


def totals(ws):
    return [value for value in list(ws.iter_rows(values_only=True))[-1] if value is not None]


def test_sheets_title_header_and_layout(small_plan):
    written, wb = export(small_plan)
    assert written == 5  # counted entries only: the draft stays out
    assert wb.sheetnames == ["汇总", "甲处", "乙处"]
    ws = wb["甲处"]
    title = f"甲处工作台账 · {small_plan.plan.title or '2030年'} · 截至2030年5月8日"
    assert ws["A1"].value == title and ws["A1"].font.bold
    assert ws["A2"].value == "筛选：无（全部任务）"
    assert [c.value for c in ws[3]] == [name for name, _w in COLUMNS]
    assert ws[3][0].font.bold
    assert ws.freeze_panes == "A4"
    assert ws.column_dimensions["B"].width == 36
    assert ws.column_dimensions["G"].width == 48
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.print_title_rows == "$1:$3"
    assert wb["汇总"]["A1"].value.startswith("全部处室工作台账 · ")
    assert wb["汇总"]["A1"].value.endswith(" · 截至2030年5月8日")
    assert wb["汇总"].freeze_panes == "A4"
    # 工作日期 right beside 更新时间.
    names = [name for name, _w in COLUMNS]
    assert names.index("工作日期") + 1 == names.index("更新时间")


def test_department_rows(small_plan):
    _n, wb = export(small_plan)
    a = rows(wb["甲处"])
    assert len(a) == 3  # T1 (one entry), T2 (no counted entry: an empty row), T4 (one)
    (number, task, lead, partner, due, state, progress, problems, steps, evidence) = a[0][:10]
    review, who, worked_on, at, pk, version = a[0][10:]
    assert (number, task, lead, partner) == (1, "一(一) 任务一", "甲处", "乙处")
    assert due == JUNE_30  # a date cell, not text
    assert wb["甲处"]["E4"].is_date and wb["甲处"]["E4"].number_format == "yyyy-mm-dd"
    assert progress == "任务一已完成"
    assert wb["甲处"]["G4"].alignment.wrap_text and not wb["甲处"]["C4"].alignment.wrap_text
    # One vocabulary: the task's light and the entry's review state, as the pages say them.
    assert (state, review) == (DONE, ACCEPTED)
    assert who == small_plan.e1a.author.username
    assert worked_on == datetime.datetime(2030, 5, 6)  # noqa: DTZ001
    assert wb["甲处"]["M4"].is_date
    assert at == WALL
    assert wb["甲处"]["N4"].is_date
    # The entry's id and version, for the round trip through the ledger import.
    assert (pk, version) == (small_plan.e1a.pk, small_plan.e1a.version)
    assert a[1][:2] == (2, "一(二) 任务二")
    assert a[1][6] is None and a[1][5] == DUE_SOON
    assert a[2][5] == OVERDUE and a[2][10] == SUBMITTED
    b = rows(wb["乙处"])
    assert [r[1] for r in b] == ["一(一) 任务一", "二(一) 任务三", "二(二) 任务四"]
    assert b[1][4] is None  # T3 has no deadline at all
    assert b[1][7] == "缺经费" and b[1][5] == BLOCKED
    assert totals(wb["甲处"]) == ["合计", "共3项任务，2条台账"]


def test_summary_sheet_with_its_totals(small_plan):
    _n, wb = export(small_plan)
    ws = wb["汇总"]
    assert [c.value for c in ws[3]] == [
        "处室", "任务数", OVERDUE, DUE_SOON, BLOCKED, NOT_FILED, AWAITING, ON_TRACK, DONE,
        "台账条数", "最近更新",
    ]  # fmt: skip
    assert rows(ws) == [
        ("甲处", 3, 1, 1, 0, 0, 0, 0, 1, 2, WALL),
        ("乙处", 3, 0, 0, 1, 0, 0, 1, 1, 3, WALL),
    ]
    # Filled in as values: a formula would show nothing until a spreadsheet recalculates.
    assert totals(ws) == ["合计", 6, 1, 1, 1, 0, 0, 1, 2, 5, WALL]
    assert all(cell.data_type != "f" for cell in list(ws.iter_rows())[-1])


def test_summary_counts_awaiting_and_not_filed(small_plan):
    # T1×B says done, submitted and not yet accepted: 待确认, not 已完成. A new task of A's
    # with no date and no entry: 未填报.
    add_entry(small_plan.t1, small_plan.b, LedgerEntry.Status.DONE, D(2030, 5, 8))
    t5 = TaskFactory(section=small_plan.s2, number="三", title="任务五", order=5)
    AssignmentFactory(task=t5, department=small_plan.a)
    _n, wb = export(small_plan)
    summary = {row[0]: row[1:9] for row in rows(wb["汇总"])}
    assert summary["甲处"] == (4, 1, 1, 0, 1, 0, 0, 1)
    assert summary["乙处"] == (3, 0, 0, 1, 0, 1, 0, 1)
    assert rows(wb["甲处"])[-1][5] == NOT_FILED


def test_numbers_count_tasks_not_rows(small_plan):
    later = add_entry(
        small_plan.t1, small_plan.a, LedgerEntry.Status.DONE, D(2030, 5, 7), summary="补充"
    )
    number = "宿交发〔2030〕1号"
    Evidence.objects.create(entry=later, kind=Evidence.Kind.DOC_NUMBER, doc_number=number)
    Evidence.objects.create(entry=later, kind=Evidence.Kind.LINK, url="https://example.gov.cn/a")
    _n, wb = export(small_plan)
    a = rows(wb["甲处"])
    # Two entries of task 1, then tasks 2 and 3: 序号 1, (blank), 2, 3.
    assert [(r[0], r[1]) for r in a] == [
        (1, "一(一) 任务一"),
        (None, "一(一) 任务一"),
        (2, "一(二) 任务二"),
        (3, "二(二) 任务四"),
    ]
    assert [r[6] for r in a[:2]] == ["任务一已完成", "补充"]
    assert a[1][9] == "宿交发〔2030〕1号；https://example.gov.cn/a"
    assert totals(wb["甲处"]) == ["合计", "共3项任务，3条台账"]


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
    assert rows(wb["甲处"])[0][9] == (
        "https://example.gov.cn/z；宿交发〔2030〕9号；https://example.gov.cn/a；宿交发〔2030〕1号"
    )


def test_filters_are_carried_into_the_file(small_plan):
    _n, wb = export(small_plan, section=small_plan.s2, light="overdue")
    assert wb["甲处"]["A2"].value == "筛选：章节：二、第二部分；状态：逾期"
    assert [r[1] for r in rows(wb["甲处"])] == ["二(二) 任务四"]
    assert wb.sheetnames == ["汇总", "甲处"]  # 乙处 has no overdue task in section 2
    assert totals(wb["汇总"])[:2] == ["合计", 1]


def test_as_of_a_past_day_writes_the_ledger_of_that_day(small_plan, now):
    """On 05-07 T1×B's entry (filed 05-08) did not exist yet; B's T3 entry did."""
    _n, today = export(small_plan)
    _n, then = export(small_plan, as_of=D(2030, 5, 7))
    assert rows(today["乙处"])[0][6] == "乙处推进任务一"
    ws = then["乙处"]
    assert ws["A1"].value.startswith("乙处工作台账") and ws["A1"].value.endswith("截至2030年5月7日")
    assert "按变更历史还原至2030年5月7日终了时的台账" in ws["A2"].value
    assert rows(ws)[0][6] is None  # nothing filed on T1 yet that day
    assert rows(ws)[0][5] == NOT_FILED


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
    small_plan.plan.title = text
    small_plan.plan.save()
    out = io.BytesIO()
    write_ledger(out, plan=small_plan.plan, today=TODAY)
    out.seek(0)
    wb = load_workbook(out)
    ws = wb.worksheets[1]
    for coordinate in ("G4", "H4", "C4"):
        cell = ws[coordinate]
        assert cell.value == text and cell.data_type == "s", coordinate
    assert wb["汇总"]["A4"].data_type == "s"
    assert ws["A1"].value.startswith(text) and ws["A1"].data_type == "s"  # the title
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
    assert wb["甲处"]["G4"].value == "第一行"


def test_sheet_titles_are_legal_and_unique():
    taken = set()
    assert sheet_title("a/b:c", taken) == "a_b_c"
    assert sheet_title("A/B:C", taken) == "A_B_C(2)"
    assert len(sheet_title("长" * 40, taken)) == 31


def test_one_department(small_plan):
    _n, wb = export(small_plan, department=small_plan.b)
    assert wb.sheetnames == ["汇总", "乙处"]
    assert [r[0] for r in rows(wb["汇总"])] == ["乙处"]
