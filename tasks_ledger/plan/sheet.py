"""The plan sheet (.xlsx): a plan as the spreadsheet an office would type it in.

Sheet 方案 holds the plan's header (年度, 标题, 发文单位, 前言) as label/value rows. Sheet 任务
holds one row per section text or task:

    部分编号 | 部分标题 | 任务编号 | 上级任务编号 | 任务标题 | 任务内容 |
    牵头处室 | 配合处室 | 其他单位 | 完成时限

A row without 任务编号 carries a section's own text (一、总体要求). Departments are separated by
、 or commas; 完成时限 holds the plan's own words (2016年9月底前; 文件公开后3个工作日内; 每季度),
read the way the plan text is read. Sheet 检查考评 lists review rounds (类型, 原文, 日期).
Reading returns plan JSON; errors name the sheet, row and column.
"""

import datetime
import re
from pathlib import Path

from django.utils.translation import gettext_noop
from openpyxl import Workbook, load_workbook

from tasks_ledger.cells import keep_as_text
from tasks_ledger.plan.plan_json import PlanFormatError, Wording
from tasks_ledger.plan.reading import deadlines_in

HEADER_SHEET = "方案"
TASK_SHEET = "任务"
ROUND_SHEET = "检查考评"
HEADER_FIELDS = {"年度": "year", "标题": "title", "发文单位": "issuer", "前言": "preamble"}
COLUMNS = [
    "部分编号",
    "部分标题",
    "任务编号",
    "上级任务编号",
    "任务标题",
    "任务内容",
    "牵头处室",
    "配合处室",
    "其他单位",
    "完成时限",
]
ROUND_COLUMNS = ["类型", "原文", "日期"]
ROUND_KINDS = {"检查": "check", "考评验收": "assessment"}
NAMES_SPLIT = re.compile(r"[、,,;;\n]+")


MUST_NOT_BE_EMPTY = Wording(gettext_noop("must not be empty"))


def row_place(sheet: str, row: int) -> Wording:
    return Wording(gettext_noop("%(sheet)s row %(row)s"), sheet=sheet, row=row)


def column_place(row: Wording, column: str) -> Wording:
    return Wording(gettext_noop("%(place)s, column %(column)s"), place=row, column=column)


def read_plan_sheet(path: Path) -> dict:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not xlsx
        # openpyxl's own words (File is not a zip file) would reach the page in English.
        raise PlanFormatError(
            "", Wording(gettext_noop("%(file)s is not a readable .xlsx file"), file=path.name)
        ) from None
    for name in (HEADER_SHEET, TASK_SHEET):
        if name not in book.sheetnames:
            raise PlanFormatError(
                "", Wording(gettext_noop("the workbook has no sheet named %(sheet)s"), sheet=name)
            )
    plan = {"title": "", "year": None, "issuer": "", "preamble": "", "sections": []}
    for row_number, row in enumerate(book[HEADER_SHEET].iter_rows(values_only=True), start=1):
        label, value = (list(row) + [None, None])[:2]
        key = HEADER_FIELDS.get(_text(label))
        if key == "year":
            try:
                plan["year"] = int(value)
            except (TypeError, ValueError):
                raise PlanFormatError(
                    row_place(HEADER_SHEET, row_number),
                    Wording(gettext_noop("年度 must be a year such as 2016")),
                ) from None
        elif key:
            plan[key] = _text(value)
    if plan["year"] is None:
        raise PlanFormatError(HEADER_SHEET, Wording(gettext_noop("no 年度 row")))
    _read_tasks(book[TASK_SHEET], plan)
    plan["review_rounds"] = (
        _read_rounds(book[ROUND_SHEET]) if ROUND_SHEET in book.sheetnames else []
    )
    return plan


def _read_tasks(sheet, plan: dict) -> None:
    rows = sheet.iter_rows(values_only=True)
    header = [_text(cell) for cell in next(rows, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise PlanFormatError(
            row_place(TASK_SHEET, 1),
            Wording(gettext_noop("missing columns: %(columns)s"), columns="、".join(missing)),
        )
    index = {name: header.index(name) for name in COLUMNS}
    sections: dict[str, dict] = {}
    tasks: dict[tuple[str, str], dict] = {}
    for row_number, row in enumerate(rows, start=2):
        cells = {name: _text(row[i] if i < len(row) else None) for name, i in index.items()}
        if not any(cells.values()):
            continue
        where = row_place(TASK_SHEET, row_number)
        if not cells["部分编号"]:
            raise PlanFormatError(column_place(where, "部分编号"), MUST_NOT_BE_EMPTY)
        section = sections.get(cells["部分编号"])
        if section is None:
            if not cells["部分标题"]:
                raise PlanFormatError(
                    column_place(where, "部分标题"),
                    Wording(gettext_noop("a new section needs a title")),
                )
            section = {
                "number": cells["部分编号"],
                "title": cells["部分标题"],
                "body": "",
                "tasks": [],
            }
            sections[section["number"]] = section
            plan["sections"].append(section)
        if not cells["任务编号"]:
            section["body"] = cells["任务内容"]
            continue
        if not cells["任务标题"]:
            raise PlanFormatError(column_place(where, "任务标题"), MUST_NOT_BE_EMPTY)
        task = {
            "number": cells["任务编号"],
            "title": cells["任务标题"],
            "body": cells["任务内容"],
            "departments": [{"name": n, "role": "lead"} for n in _names(cells["牵头处室"])]
            + [{"name": n, "role": "partner"} for n in _names(cells["配合处室"])],
            "other_units": cells["其他单位"],
            "deadlines": deadlines_in(cells["完成时限"], plan["year"]),
            "tasks": [],
        }
        if cells["完成时限"] and not task["deadlines"]:
            raise PlanFormatError(
                column_place(where, "完成时限"),
                Wording(
                    gettext_noop(
                        "no deadline recognised in '%(words)s' (write it as the plan does, "
                        "e.g. 2016年9月底前, 文件公开后3个工作日内, 每季度)"
                    ),
                    words=cells["完成时限"],
                ),
            )
        parent_number = cells["上级任务编号"]
        if parent_number:
            parent = tasks.get((section["number"], parent_number))
            if parent is None:
                raise PlanFormatError(
                    column_place(where, "上级任务编号"),
                    Wording(
                        gettext_noop("no task %(task)s above this row in section %(section)s"),
                        task=parent_number,
                        section=section["number"],
                    ),
                )
            parent["tasks"].append(task)
        else:
            section["tasks"].append(task)
            tasks[(section["number"], task["number"])] = task


def _read_rounds(sheet) -> list[dict]:
    rounds = []
    rows = sheet.iter_rows(values_only=True)
    next(rows, None)
    for row_number, row in enumerate(rows, start=2):
        kind, words, date = (list(row) + [None] * 3)[:3]
        if not any((kind, words, date)):
            continue
        where = row_place(ROUND_SHEET, row_number)
        if _text(kind) not in ROUND_KINDS:
            raise PlanFormatError(
                column_place(where, "类型"), Wording(gettext_noop("must be 检查 or 考评验收"))
            )
        if isinstance(date, datetime.datetime):
            date = date.date()
        if not isinstance(date, datetime.date):
            try:
                date = datetime.date.fromisoformat(_text(date))
            except ValueError:
                raise PlanFormatError(
                    column_place(where, "日期"), Wording(gettext_noop("must be a date"))
                ) from None
        rounds.append(
            {
                "kind": ROUND_KINDS[_text(kind)],
                "text": _text(words) or str(date),
                "date": date.isoformat(),
            }
        )
    return rounds


def write_plan_sheet(data: dict, path: Path) -> None:
    """Write plan JSON as a plan sheet that read_plan_sheet reads back to the same plan."""
    book = Workbook()
    header = book.active
    header.title = HEADER_SHEET
    for label, key in HEADER_FIELDS.items():
        _append(header, [label, data[key] if key == "year" else (data.get(key, ""))])
    header.column_dimensions["A"].width = 10
    header.column_dimensions["B"].width = 80

    sheet = book.create_sheet(TASK_SHEET)
    sheet.append(COLUMNS)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJ", [8, 30, 8, 10, 30, 60, 20, 20, 14, 30], strict=True):
        sheet.column_dimensions[letter].width = width
    for section in data["sections"]:
        if section.get("body") or not section.get("tasks"):
            _append(
                sheet,
                [
                    section["number"],
                    section["title"],
                    "",
                    "",
                    "",
                    (section["body"]),
                    "",
                    "",
                    "",
                    "",
                ],
            )
        for task in section.get("tasks", []):
            _write_task(sheet, section, task, "")
            for sub in task.get("tasks", []):
                _write_task(sheet, section, sub, task["number"])

    rounds = book.create_sheet(ROUND_SHEET)
    rounds.append(ROUND_COLUMNS)
    names = {value: label for label, value in ROUND_KINDS.items()}
    for item in data.get("review_rounds", []):
        _append(
            rounds, [names[item["kind"]], item["text"], datetime.date.fromisoformat(item["date"])]
        )
    book.save(path)


def _write_task(sheet, section, task, parent_number):
    def names(role):
        return "、".join(d["name"] for d in task.get("departments", []) if d["role"] == role)

    words = "；".join(
        f"{d.get('after', '')}{d['text']}" if d["kind"] == "relative" else d["text"]
        for d in task.get("deadlines", [])
    )
    _append(
        sheet,
        [
            section["number"],
            section["title"],
            task["number"],
            parent_number,
            (task["title"]),
            (task.get("body", "")),
            names("lead"),
            names("partner"),
            (task.get("other_units", "")),
            (words),
        ],
    )


def _names(cell: str) -> list[str]:
    return [name.strip() for name in NAMES_SPLIT.split(cell) if name.strip()]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _append(sheet, values: list) -> None:
    """Append a row; text that looks like a formula is stored as text."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        keep_as_text(cell)
