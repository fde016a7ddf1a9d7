"""A plan's plain text as the inner Document: paragraphs, and the tables flattened into it.

Tables copied out of a page or a PDF arrive as text in two shapes: cells separated by `|`
(a row ending in a line of pipes), or one cell a line after a header row of column names
(序号 / 工作任务 / 责任单位 / 完成时限). Both become Table blocks, so that they are read by the
same code as a .docx's or a web page's real table.
"""

import re

from tasks_ledger.plan.document import Document, Paragraph, Table
from tasks_ledger.plan.reading.normalise import normalise

# Column names of plan tables; a header is a run of them, one a line or one a cell.
_HEADER_TEXT = """
序号 编号 目标 任务 工作任务 重点任务 主要任务 任务内容 工作内容 主要内容 具体内容 具体要求
工作要求 工作措施 具体措施 任务分工 责任单位 牵头单位 责任科室 责任部门 牵头部门 牵头科室
配合单位 配合部门 配合科室 协办单位 责任处室 牵头处室 完成时限 时限要求 完成时间 时间节点
完成情况 进展情况 备注 类别 项目
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
            end = max(j for j in range(i, len(lines)) if "|" in lines[j])
            blocks.append(_pipe_table(lines[i : end + 1]))
            i = end + 1
        elif header_run := _header_run(lines, i):
            end = _one_cell_table_end(lines, i + header_run)
            header = tuple(lines[i : i + header_run])
            rows = [header] + [(cell,) for cell in lines[i + header_run : end] if cell]
            blocks.append(Table(rows=tuple(rows)))
            i = end
        else:
            if line:
                blocks.append(Paragraph(line))
            i += 1
    return Document(blocks=blocks, name=name)


def _pipe_table(lines: list[str]) -> Table:
    """Rows end at a line of pipes only; a cell ends at each `|` and may span lines."""
    rows, cells, cell = [], [], []
    for line in lines:
        if _ROW_END.match(line) and not cell:
            cells.extend([""] * (len(line) - 1))
            if cells:
                rows.append(tuple(c.strip() for c in cells))
            cells = []
            continue
        parts = line.split("|")
        for part in parts[:-1]:
            cell.append(part)
            cells.append(" ".join(p.strip() for p in cell if p.strip()))
            cell = []
        cell.append(parts[-1])
    if any(c.strip() for c in cell):
        cells.append(" ".join(p.strip() for p in cell if p.strip()))
    if cells:
        rows.append(tuple(c.strip() for c in cells))
    return Table(rows=tuple(rows))


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
