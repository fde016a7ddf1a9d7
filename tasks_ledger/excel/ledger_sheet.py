"""Reading a 工作台账 workbook into plain rows: the layout the product exports
(tasks_ledger.excel.export) and the usual hand-made ones (序号 / 工作任务 / 责任处室 /
完成时限 / 进展情况 / 存在问题 / 下步打算 / 佐证材料), with the header row anywhere in the
first rows, merged cells (a task's title merged down over its entries' rows), one sheet per
department or one sheet for all.

Only reading happens here: which task and entry a row is, and whether it may be written,
is decided by tasks_ledger.excel.ledger_import. The file has passed
disclosure.uploads.check_import before openpyxl sees it.
"""

import datetime
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

# How far down a sheet the header row may be (a title, a date line, a blank row above it).
HEADER_SEARCH_ROWS = 10

# Column headings as offices write them, by the field they carry. The first of each is the
# product's own heading (tasks_ledger.excel.export.COLUMNS).
HEADINGS = {
    "number": ("序号", "编号"),
    "task": ("工作任务", "任务", "重点任务", "工作内容", "任务内容"),
    "department": ("责任处室", "牵头处室", "责任单位", "责任部门", "处室"),
    "progress": ("进展情况", "工作进展", "完成情况", "落实情况", "推进情况"),
    "problems": ("存在问题", "问题"),
    "next_steps": ("下步措施", "下步打算", "下一步计划", "下步工作"),
    "evidence": ("佐证材料", "佐证", "证明材料"),
    "status": ("状态", "完成状态"),
    "date": ("工作日期", "日期", "填报日期", "时间"),
    "entry": ("台账编号",),
    "version": ("版本",),
}
REQUIRED = ("task", "progress")

DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


class SheetError(ValueError):
    """A workbook that cannot be read at all (not a ledger), with the reason for people."""


@dataclass
class SheetRow:
    sheet: str
    row: int  # as the spreadsheet numbers it
    values: dict[str, object]
    # Column letters of the fields, so that errors name the cell.
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.sheet}!{self.row}"

    def text(self, name: str) -> str:
        value = self.values.get(name)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


def _normal(heading) -> str:
    return re.sub(r"\s+", "", str(heading or ""))


def _header(cells) -> dict[str, int] | None:
    """The fields of a header row by column index, when the row is a ledger's header."""
    found: dict[str, int] = {}
    for index, value in enumerate(cells):
        text = _normal(value)
        for name, headings in HEADINGS.items():
            if name not in found and text in headings:
                found[name] = index
                break
    return found if all(name in found for name in REQUIRED) else None


def _unmerged(ws) -> list[list]:
    """The sheet's values with every merged range filled with its top-left value, as the
    person reading it sees them."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        top = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
            for c in range(merged.min_col - 1, merged.max_col):
                if c < len(rows[r]):
                    rows[r][c] = top
    return rows


def read_ledger_sheets(data: bytes) -> tuple[list[SheetRow], list[str]]:
    """Every data row of every sheet that has a ledger header, and the names of the sheets
    that have none (a summary sheet, notes): those are skipped, and said so."""
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise SheetError(_("The file is not an Excel workbook (.xlsx).")) from exc
    rows: list[SheetRow] = []
    skipped: list[str] = []
    for ws in book.worksheets:
        values = _unmerged(ws)
        header_at, header = None, None
        for i, cells in enumerate(values[:HEADER_SEARCH_ROWS]):
            header = _header(cells)
            if header:
                header_at = i
                break
        if header_at is None:
            skipped.append(ws.title)
            continue
        letters = {name: get_column_letter(index + 1) for name, index in header.items()}
        for i, cells in enumerate(values[header_at + 1 :], start=header_at + 2):
            fields = {
                name: cells[index] if index < len(cells) else None for name, index in header.items()
            }
            if all(v is None or str(v).strip() == "" for v in fields.values()):
                continue
            rows.append(SheetRow(sheet=ws.title, row=i, values=fields, columns=letters))
    if not rows and not skipped:
        raise SheetError(_("The workbook has no sheets."))
    return rows, skipped


def parse_date(value) -> datetime.date | None:
    """A cell's date: a date cell, or text such as 2016-06-01, 2016/6/1, 2016年6月1日.
    Raises ValueError for anything else; None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = DATE_TEXT.match(str(value))
    if not match:
        raise ValueError(value)
    return datetime.date(*(int(g) for g in match.groups()))
