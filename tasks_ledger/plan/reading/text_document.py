"""A plan's plain text as the inner Document: paragraphs, and the tables flattened into it.

Tables copied out of a page or a PDF arrive as text in two shapes: cells separated by `|`
(a row ending in a line of pipes), or one cell a line after a header row of column names
(序号 / 工作任务 / 责任单位 / 完成时限). Both become Table blocks, so that they are read by the
same code as a .docx's or a web page's real table.
"""

import re

from tasks_ledger.plan.document import Document, Paragraph, Table
from tasks_ledger.plan.reading.normalise import normalise
from tasks_ledger.plan.reading.numbering import numbered, section_heading

# Column names of plan tables; a header is a run of them, one a line or one a cell.
_HEADER_TEXT = """
序号 编号 目标 任务 工作任务 重点任务 主要任务 任务内容 工作内容 主要内容 具体内容 具体要求
工作要求 工作措施 具体措施 任务分工 责任单位 牵头单位 责任科室 责任部门 牵头部门 牵头科室
配合单位 配合部门 配合科室 协办单位 责任处室 牵头处室 完成时限 时限要求 完成时间 时间节点
完成情况 进展情况 备注 类别 项目 工作目标 任务名称 事项 重点工作 工作事项 具体任务 任务措施
工作举措 主要措施 责任领导 分管领导 牵头领导 责任人 联系人 参与单位 协办部门 完成期限 时限
时间安排 进度安排 责任主体 实施单位
"""
HEADER_WORDS = frozenset(_HEADER_TEXT.split())
_UNIT_COLUMN = re.compile(r"(单位|部门|科室|处室)")
_ROW_END = re.compile(r"^\|{2,}$|^\|$")


def header_word(cell: str) -> str:
    """The column name a header cell holds ("责任单位(逗号前的为牵头单位)" → 责任单位), or ""."""
    core = re.sub(r"\(.*\)$", "", re.sub(r"\s+", "", cell))
    return core if core in HEADER_WORDS else ""


def is_header_row(cells) -> bool:
    words = [c for c in cells if c.strip()]
    return len(words) >= 2 and all(header_word(c) for c in words)


def document_from_text(text: str, *, name: str = "") -> Document:
    lines = [line.strip() for line in normalise(text).split("\n")]
    blocks: list = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "|" in line:
            end = _pipe_run_end(lines, i)
            blocks.append(_pipe_table(lines[i : end + 1]))
            i = end + 1
        elif header_run := _header_run(lines, i):
            end = _one_cell_table_end(lines, i + header_run)
            header = tuple(lines[i : i + header_run])
            cells = [cell for cell in lines[i + header_run : end] if cell]
            blocks.append(Table(rows=_one_cell_rows(header, cells)))
            i = end
        else:
            if line:
                blocks.append(Paragraph(line))
            i += 1
    return Document(blocks=blocks, name=name)


def _pipe_run_end(lines: list[str], start: int) -> int:
    """The last line of a table flattened with pipes: lines with a `|`, and lines without one
    only when a pipe follows within two lines (the rest of a cell written on several lines).
    A site's menu line (首页 | 政务公开) far from the table does not swallow the text between."""
    end = start
    j = start + 1
    while j < len(lines):
        if "|" in lines[j]:
            end = j
        elif not any("|" in line for line in lines[j + 1 : j + 3]):
            break
        j += 1
    return end


def _pipe_table(lines: list[str]) -> Table:
    """A line holding several cells (a | b | c |) is a row; otherwise a row ends at a line
    of pipes only, and a cell ends at each `|` and may span lines."""
    rows, cells, cell = [], [], []

    def end_row():
        nonlocal cells
        if any(cells):
            rows.append(tuple(cells))
        cells = []

    for line in lines:
        parts = line.split("|")
        if not any(cell) and sum(1 for p in parts[:-1] if p.strip()) >= 2:
            end_row()
            cells = [p.strip() for p in (parts if parts[-1].strip() else parts[:-1])]
            end_row()
            continue
        if _ROW_END.match(line) and not any(cell):
            cells.extend([""] * (len(line) - 1))
            end_row()
            cell = []
            continue
        for part in parts[:-1]:
            cell.append(part)
            cells.append(" ".join(p.strip() for p in cell if p.strip()))
            cell = []
        cell.append(parts[-1])
    if any(c.strip() for c in cell):
        cells.append(" ".join(p.strip() for p in cell if p.strip()))
    end_row()
    return Table(rows=tuple(rows))


def _one_cell_rows(header: tuple[str, ...], cells: list[str]) -> tuple:
    """Rows of a table flattened one cell a line: a row starts at a numbered cell (1, 1.,
    (一), 一、). Rows whose length differs from the header's (merged cells) are still read,
    by what their cells hold rather than by column."""
    rows: list[tuple[str, ...]] = [header]
    current: list[str] = []
    for cell in cells:
        # A numbered cell starts a row once the row is full (numbering inside a cell of the
        # row, 1.…2.…, does not), or after a row holding only a section heading.
        full = len(current) >= len(header) or (current and section_heading(current[0]))
        if current and (section_heading(cell) or (numbered(cell) and full)):
            rows.append(tuple(current))
            current = []
        current.append(cell)
    if current:
        rows.append(tuple(current))
    return tuple(rows)


def _header_run(lines: list[str], start: int) -> int:
    """How many lines from `start` are a header of column names, one a line (0 if none).
    At least three, one of them a unit column, so that a heading 任务 is not a table."""
    count = 0
    while start + count < len(lines) and header_word(lines[start + count]):
        count += 1
    run = lines[start : start + count]
    return count if count >= 3 and any(_UNIT_COLUMN.search(w) for w in run) else 0


def _one_cell_table_end(lines: list[str], start: int) -> int:
    """A table flattened one cell a line runs to the end of the text, or to a blank line
    followed by a signature or a date closing the document."""
    closing = re.compile(r"^(附件|\d{4}年\d{1,2}月\d{1,2}日$)")
    for j in range(start, len(lines) - 1):
        if not lines[j] and closing.match(lines[j + 1]):
            return j
    return len(lines)
