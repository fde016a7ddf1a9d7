"""Old Excel ledgers in: a ledger with a bad date, an unknown task and a conflict, previewed
then applied; the product's own export round-tripped; hand-made layouts; who may import."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from openpyxl import load_workbook

from departments.models import Department
from tasks_ledger.excel.export import write_ledger
from tasks_ledger.excel.ledger_import import (
    ImportRefused,
    Kind,
    build_preview,
    ledger_import_apply,
)
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Assignment, Task
from tests.factories import LedgerEntryFactory
from tests.tasks_ledger.excel.ledger_books import hand_made, product_layout

State = LedgerEntry.State
DAY = datetime.date(2016, 6, 1)


@pytest.fixture
def people(demo_accounts):
    User = get_user_model()
    return {
        u.username: u
        for u in User.objects.filter(username__in=["policy-law", "safety", "reviewer"])
    }


@pytest.fixture
def task(plan_2016):
    """二(一), led by 政策法规处."""
    return Task.objects.get(plan=plan_2016, section__number="二", number="一")


def entry(task, department_code="policy-law", *, state=State.DRAFT, **fields):
    department = Department.objects.get(code=department_code)
    return LedgerEntryFactory(
        task=task,
        department=department,
        state=state,
        submitted_at=None if state == State.DRAFT else timezone.now(),
        happened_on=fields.pop("happened_on", DAY),
        **fields,
    )


def exported(e, **changes):
    row = {
        "序号": 1,
        "工作任务": f"{e.task.code} {e.task.title}",
        "进展情况": e.summary,
        "存在问题": e.problems,
        "下步措施": e.next_steps,
        "状态": f"{e.get_status_display()}（{e.get_state_display()}）",
        "工作日期": e.happened_on,
        "台账编号": e.pk,
        "版本": e.version,
    }
    return row | changes


@pytest.fixture
def book(task, people):
    """The product's layout edited offline: one row unchanged, one changed, one changed
    online since (a conflict), a bad date, an unknown task, and a new row with a 文号."""
    same = entry(task, summary="召开专题会议")
    edited = entry(task, summary="起草权力清单")
    conflict = entry(task, summary="报送清单草案")
    rows = [
        exported(same),
        exported(edited, 进展情况="权力清单已公开", 状态="已完成"),
        exported(conflict, 进展情况="离线改的"),
        {"工作任务": task.code, "进展情况": "日期写错了", "工作日期": "2016-13-45"},
        {"工作任务": "九(九) 根本没有这项任务", "进展情况": "无处安放"},
        {"工作任务": f"{task.code} {task.title}", "进展情况": "在门户网站公开责任清单",
         "佐证材料": "宿交发〔2016〕12号；https://example.gov.cn/qd", "工作日期": "2016-07-01"},
    ]  # fmt: skip
    data = product_layout("政策法规处", rows)
    # Online, someone changed the conflicting entry after the export.
    LedgerEntry.objects.filter(pk=conflict.pk).update(summary="线上改的", version=2)
    return {"data": data, "same": same, "edited": edited, "conflict": conflict}


def preview_of(data, by, plan, **kwargs):
    return build_preview(data=data, filename="台账.xlsx", by=by, plan=plan, **kwargs)


def test_a_ledger_with_a_bad_date_an_unknown_task_and_a_conflict_previewed_then_applied(
    book, people, plan_2016, task
):
    staff = people["policy-law"]
    preview = preview_of(book["data"], staff, plan_2016)
    kinds = [(row.source.row, row.kind) for row in preview.rows]
    assert kinds == [
        (2, Kind.UNCHANGED),
        (3, Kind.CHANGED),
        (4, Kind.CONFLICT),
        (5, Kind.ERROR),
        (6, Kind.ERROR),
        (7, Kind.NEW),
    ]
    assert preview.skipped_sheets == ["汇总"]
    errors = [(e.sheet, e.row, e.column, e.message) for e in preview.errors]
    assert errors[0][:3] == ("政策法规处", 5, "M") and "2016-13-45" in errors[0][3]
    assert errors[1][:3] == ("政策法规处", 6, "B") and "九(九)" in errors[1][3]
    assert preview.rows[1].changed_fields == ["summary", "status"]
    assert preview.rows[5].matched_by == "number" and preview.rows[5].task == task

    done = ledger_import_apply(preview=preview, by=staff)
    assert done == {"created": 1, "updated": 1}
    conflict = LedgerEntry.objects.get(pk=book["conflict"].pk)
    assert (conflict.summary, conflict.version) == ("线上改的", 2)  # never overwritten
    edited = LedgerEntry.objects.get(pk=book["edited"].pk)
    assert (edited.summary, edited.status, edited.version) == ("权力清单已公开", "done", 2)
    record = edited.history.first()
    assert (record.history_user, record.history_change_reason) == (staff, "导入自 台账.xlsx")
    new = LedgerEntry.objects.get(summary="在门户网站公开责任清单")
    assert (new.state, new.author, new.happened_on) == (
        State.DRAFT,
        staff,
        datetime.date(2016, 7, 1),
    )
    assert sorted(new.evidence.values_list("kind", flat=True)) == ["doc_number", "link"]
    assert new.history.get().history_change_reason == "导入自 台账.xlsx"
    assert not LedgerEntry.objects.filter(summary__in=["日期写错了", "无处安放"]).exists()


def test_an_entry_changed_between_preview_and_apply_refuses_the_whole_import(
    book, people, plan_2016
):
    staff = people["policy-law"]
    preview = preview_of(book["data"], staff, plan_2016)
    LedgerEntry.objects.filter(pk=book["edited"].pk).update(version=5)
    count = LedgerEntry.objects.count()
    with pytest.raises(ImportRefused):
        ledger_import_apply(preview=preview, by=staff)
    assert LedgerEntry.objects.count() == count  # the new row was rolled back too
    assert LedgerEntry.objects.get(pk=book["edited"].pk).summary == "起草权力清单"


def test_a_changed_task_choice_maps_the_unknown_row(book, people, plan_2016, task):
    staff = people["policy-law"]
    preview = preview_of(
        book["data"],
        staff,
        plan_2016,
        default_date=DAY,  # row 6 has no date of its own
        choices={"政策法规处!6": str(task.pk), "政策法规处!7": ""},
    )
    assert (preview.rows[4].kind, preview.rows[4].matched_by) == (Kind.NEW, "chosen")
    assert preview.rows[5].kind == Kind.SKIPPED


def test_the_products_own_export_round_trips(task, people, plan_2016):
    """Exported, edited offline, imported: an accepted entry changed offline is refused
    (locked), and one changed online meanwhile is a conflict."""
    accepted = entry(task, state=State.ACCEPTED, summary="已审核的记录")
    submitted = entry(task, state=State.SUBMITTED, summary="待审核的记录")
    out = io.BytesIO()
    write_ledger(out, plan=plan_2016, today=DAY, department=accepted.department)
    book = load_workbook(io.BytesIO(out.getvalue()))
    ws = book["政策法规处"]
    # The progress column wherever the export puts it (below its title rows).
    progress = next(
        cell.column - 1 for row in ws.iter_rows() for cell in row if cell.value == "进展情况"
    )
    for row in ws.iter_rows(min_row=2):
        if row[progress].value == "已审核的记录":
            row[progress].value = "离线修改已审核的记录"
    edited = io.BytesIO()
    book.save(edited)
    LedgerEntry.objects.filter(pk=submitted.pk).update(state=State.RETURNED, version=2)

    preview = preview_of(edited.getvalue(), people["policy-law"], plan_2016)
    by_entry = {row.entry.pk: row for row in preview.rows if row.entry}
    assert by_entry[accepted.pk].kind == Kind.ERROR
    assert "不能修改" in by_entry[accepted.pk].errors[0].message
    assert by_entry[submitted.pk].kind == Kind.CONFLICT
    # The rows of tasks with no entry yet are left out, not errors.
    assert {row.kind for row in preview.rows if not row.entry} == {Kind.SKIPPED}


def test_a_hand_made_ledger_with_merged_cells_and_the_header_lower_down(task, people, plan_2016):
    safety_task = Assignment.objects.filter(department__code="safety").first().task
    data = hand_made(
        [
            [
                1,
                task.title,
                "政策法规处",
                "2016年9月底前",
                "召开会议",
                "",
                "继续",
                "",
                "2016-06-01",
            ],
            [None, None, None, None, "形成初稿", "经费不足", "", "", "2016/7/1"],
            [2, safety_task.title, "安全处", "", "安全处的工作", "", "", "", "2016年8月2日"],
        ],
        merge=("A4:A5", "B4:B5", "C4:C5"),
    )
    staff = people["policy-law"]
    preview = preview_of(data, staff, plan_2016)
    first, second, other = preview.rows
    assert (first.task, first.matched_by, first.kind) == (task, "title", Kind.NEW)
    # The merged title covers the second row too.
    assert (second.task, second.data["happened_on"]) == (task, datetime.date(2016, 7, 1))
    assert second.data["problems"] == "经费不足"
    # Another department's row: a department imports its own only; the office any.
    assert other.kind == Kind.ERROR and other.errors[0].column == "C"
    office = preview_of(data, people["reviewer"], plan_2016)
    assert [r.kind for r in office.rows] == [Kind.NEW, Kind.NEW, Kind.NEW]
    assert office.rows[2].department.code == "safety"
    assert office.rows[2].data["happened_on"] == datetime.date(2016, 8, 2)

    ledger_import_apply(preview=office, by=people["reviewer"])
    again = preview_of(data, people["reviewer"], plan_2016)
    assert [r.kind for r in again.rows] == [Kind.UNCHANGED] * 3  # importing twice adds nothing


def test_a_row_without_a_date_takes_the_forms_date_or_is_an_error(task, people, plan_2016):
    data = hand_made([[1, task.title, "政策法规处", "", "无日期", "", "", "", None]])
    assert preview_of(data, people["policy-law"], plan_2016).rows[0].kind == Kind.ERROR
    preview = preview_of(data, people["policy-law"], plan_2016, default_date=DAY)
    assert (preview.rows[0].kind, preview.rows[0].data["happened_on"]) == (Kind.NEW, DAY)


def test_a_file_that_is_not_a_workbook_is_refused(people, plan_2016):
    from tasks_ledger.excel.ledger_sheet import SheetError

    with pytest.raises(SheetError):
        preview_of(b"PK\x03\x04 not really", people["policy-law"], plan_2016)
