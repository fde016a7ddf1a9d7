"""Workbooks for the ledger import tests: the product's export layout and a hand-made one."""

import io

from openpyxl import Workbook

from tasks_ledger.excel.export import COLUMNS


def product_layout(sheet: str, rows: list[dict]) -> bytes:
    """A sheet in the layout tasks_ledger.excel.export writes, rows given by heading."""
    book = Workbook()
    book.active.title = "汇总"
    book.active.append(["处室", "任务数"])
    ws = book.create_sheet(sheet)
    headings = [name for name, _w in COLUMNS]
    ws.append(headings)
    for row in rows:
        ws.append([row.get(h) for h in headings])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def hand_made(rows: list[list], *, merge: tuple[str, ...] = ()) -> bytes:
    """One sheet for all departments: a title, a blank line, then the header on row 3."""
    book = Workbook()
    ws = book.active
    ws.title = "2016年台账"
    ws.append(["2016年政务公开工作台账"])
    ws.append([])
    ws.append(
        [
            "序号",
            "工作任务",
            "责任处室",
            "完成时限",
            "进展情况",
            "存在问题",
            "下步打算",
            "佐证材料",
            "日期",
        ]
    )
    for row in rows:
        ws.append(row)
    for cells in merge:
        ws.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
