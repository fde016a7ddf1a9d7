"""The plan's tree from a document's blocks: sections, tasks at any depth, and which task
each unit cell, deadline cell or line of text belongs to.

Paragraph lines and table cells are read as one stream. A numbered item is a task; its place
follows its numbering style (a style already open continues there, a new style or a
numbering that restarts goes one level down), so (一) or 1. directly under a section, sub-tasks
under tasks and gaps in numbering all read the same way. Unnumbered table rows give their
units and deadlines to the numbered task they sit in; numbering inside one cell makes
sub-tasks of that row.
"""

import re
from dataclasses import dataclass

from tasks_ledger.plan.document import Paragraph
from tasks_ledger.plan.reading.deadlines import deadlines_in, is_ongoing
from tasks_ledger.plan.reading.names import CLOSERS, OPENERS
from tasks_ledger.plan.reading.normalise import normalise, strip_stray
from tasks_ledger.plan.reading.numbering import (
    Numbered,
    numbered,
    section_heading,
    split_inline,
    value,
)
from tasks_ledger.plan.reading.text_document import header_word, is_header_row
from tasks_ledger.plan.reading.units import read_units
from tasks_ledger.plan.reading.year import ISSUE_DATE_RE

BARE_CN_RE = re.compile(r"^[一二三四五六七八九十]{1,3}$")
PUBLICATION_NOTE_RE = re.compile(r"^\(此件[^()]*\)$")
STATUS_RE = re.compile(r"^(推进中|已完成|未完成|进行中|正在推进|已启动|完成|持续推进中|正在进行)$")
SKIP_COLUMNS = {"完成情况", "进展情况", "责任领导", "分管领导", "牵头领导", "责任人", "联系人"}
TITLE_MAX = 150
DEADLINE_COLUMNS = {"完成时限", "时限要求", "完成时间", "时间节点", "完成期限", "时限", "时间安排"}


@dataclass(frozen=True)
class Item:
    text: str
    label: str = ""  # the column's name in a table with a header row
    cell: bool = False
    last: bool = False  # the document's last words: an excerpt may stop mid-word
    role: str = ""  # what a unit column's names do ("lead", "partner")


def items_of(document) -> tuple[list[Item], str]:
    """The stream of lines and cells, and every word of the document (for notes and the
    year). A merged cell repeated across or down a real table is read once, as its
    flattened text shows it once."""
    items: list[Item] = []
    words: list[str] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            for line in normalise(block.text).split("\n"):
                items.append(Item(strip_stray(line)))
                words.append(line)
            continue
        rows = [tuple(normalise(c).strip() for c in row) for row in block.rows]
        labels: tuple[str, ...] = ()
        roles: dict[str, str] = {}
        previous: tuple[str, ...] = ()
        regular = _regular(rows)
        for row in rows:
            words.extend(row)
            if not labels and is_header_row(row):
                labels = tuple(header_word(c) for c in row)
                roles = _column_roles(labels)
                continue
            use = regular and len(row) == len(labels)
            for j, cell in enumerate(row):
                merged = (j and cell == row[j - 1]) or (
                    use and j < len(previous) and previous[j] == cell
                )
                if cell and not merged:
                    label = labels[j] if use else ""
                    items.append(Item(strip_stray(cell), label, True, role=roles.get(label, "")))
            previous = row if use else ()
    if items:
        items[-1] = Item(items[-1].text, items[-1].label, items[-1].cell, True, items[-1].role)
    return items, "\n".join(words)


def _regular(rows) -> bool:
    """Whether cells can be read by column: rows of one length, as a real table's are. A
    flattened table whose merged cells appear once has rows of every length; a row that
    happens to match the header's length is no guide there."""
    lengths = [len(row) for row in rows if any(row)]
    return bool(lengths) and lengths.count(lengths[0]) >= 0.8 * len(lengths)


def _column_roles(labels) -> dict[str, str]:
    has_lead = any(label.startswith("牵头") for label in labels)
    roles = {}
    for label in labels:
        if label.startswith("牵头"):
            roles[label] = "lead"
        elif label.startswith(("配合", "协办", "参与")):
            roles[label] = "partner"
        elif label.startswith(("责任", "实施")):
            roles[label] = "partner" if has_lead else "lead"
    return roles


def new_task(number: str) -> dict:
    return {
        "number": number,
        "title": "",
        "body": "",
        "departments": [],
        "other_units": "",
        "deadlines": [],
        "tasks": [],
        "_units": [],
        "_deadline_words": [],
        "_ongoing": False,
        "_segments": [],
        "_wrapped": "",
    }


def split_title(text: str) -> tuple[str, str]:
    """A task's heading sentence and its body, written in one paragraph: up to the first 。
    outside brackets, or a short heading closed by a colon. Brackets closing the heading that
    name units or a deadline ((市发改委负责), (3月底前)) open the body instead."""
    depth, cut, skip = 0, len(text), 0
    for i, ch in enumerate(text):
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0 and (ch == "。" or (ch == ":" and i <= 25 and "," not in text[:i])):
            cut, skip = i, 1
            break
    title, body = text[:cut].strip(), text[cut + skip :].strip()
    if len(title) > TITLE_MAX:
        # No heading sentence (a long table cell): the first clause names the task.
        cut = max(title.rfind(",", 0, TITLE_MAX), title.rfind("、", 0, TITLE_MAX))
        rest = title[cut + 1 :] if cut > 0 else title[TITLE_MAX:]
        title = title[:cut] if cut > 0 else title[:TITLE_MAX]
        body = f"{rest}。{body}" if skip else rest
    while title.endswith(")") and (start := _last_bracket_start(title)) > 0:
        inner = title[start + 1 : -1]
        reading = read_units(inner, source="")
        names_units = reading.found and (reading.stated or not reading.invalid)
        if not names_units and not deadlines_in(inner, 2000) and not is_ongoing(f"({inner})"):
            break
        moved = title[start:]
        title = title[:start].strip()
        body = f"{moved}。{body}" if body and cut < len(text) else moved + body
    return title, body


def _last_bracket_start(text: str) -> int:
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] in CLOSERS:
            depth += 1
        elif text[i] in OPENERS:
            depth -= 1
            if depth == 0:
                return i
    return -1


def _looks_wrapped(line: str) -> str:
    """ "hard" when the line stops mid-list or inside a bracket (the next line must be its
    rest), "soft" when it is merely long and unpunctuated (the next line may still be a
    unit line of its own), "" when it ends a sentence."""
    if line.endswith((",", "、", "(")) or line.count("(") > line.count(")"):
        return "hard"
    if len(line) >= 28 and not re.search(r"[。;:!?)”\"」】]$", line):
        return "soft"
    return ""


@dataclass
class _Level:
    style: str
    value: int
    task: dict


class Builder:
    def __init__(self, *, known, mode):
        self.known, self.mode = known, mode
        self.sections: list[dict] = []
        self.preamble: list[str] = []
        self.section: dict | None = None
        self.stack: list[_Level] = []
        self.row_task: dict | None = None
        self.last_task: dict | None = None
        self.awaiting: dict | None = None  # numbered by a bare cell; its words come next
        self.awaiting_section: dict | None = None
        self.dates: list[str] = []
        # A line of names alone, just read as the last task's units: (task, reading).
        self.names_line: tuple[dict, object] | None = None

    def feed(self, item: Item) -> None:
        names_line, self.names_line = self.names_line, None
        text = item.text.strip()
        if not text or PUBLICATION_NOTE_RE.match(text) or item.label in SKIP_COLUMNS:
            return
        if item.cell and STATUS_RE.match(text):
            return
        if self.section is not None and ISSUE_DATE_RE.match(text):
            self.dates.append(text)  # a closing date line is the issue date, no deadline
            if names_line is not None:
                # The name just above the issue date signs the plan: the issuer, not a unit.
                task, reading = names_line
                task["_units"].remove(reading)
            return
        if item.role:
            return self._attach_units(item, text)
        if item.label in DEADLINE_COLUMNS:
            return self._attach_deadline(text)
        if match := section_heading(text):
            return self._section(match[1], match[2])
        if item.cell and BARE_CN_RE.match(text):
            # A 序号 cell 一 with the section's title in the next cell.
            self._section(text, "")
            self.awaiting_section = self.section
            return
        if self.awaiting_section is not None:
            section, self.awaiting_section = self.awaiting_section, None
            if not numbered(text):
                section["title"], section["body"] = split_title(text)
                return
        if num := numbered(text):
            return self._numbered_cell(num, wrap=not item.cell)
        if self.awaiting is not None:
            task, self.awaiting = self.awaiting, None
            return self._text_of(task, text, wrap=not item.cell)
        if self.stack and self.stack[-1].task["_wrapped"] == "hard":
            return self._body(text, wrap=not item.cell)  # the rest of a broken line
        target = self.row_task or self.last_task
        if target is not None:
            if len(text) <= 150 and (units := self._units_alone(item, text)):
                target["_units"].append(units)
                if not item.cell:
                    self.names_line = (target, units)
                return
            if is_ongoing(text, alone=True):
                target["_ongoing"] = True
                return
            if item.cell and len(text) <= 30 and deadlines_in(text, 2000, place=True):
                target["_deadline_words"].append(text)
                return
        self._body(text, wrap=not item.cell)

    def _section(self, number: str, rest: str) -> None:
        title, body = split_title(rest)
        self.section = {"number": number, "title": title, "body": body, "tasks": []}
        self.sections.append(self.section)
        self.stack, self.row_task, self.awaiting = [], None, None

    def _place(self, num: Numbered) -> dict:
        """Create the task `num` names where its numbering puts it."""
        if self.section is None:
            self._section("", "")
        v = value(num.style, num.number)
        same = [i for i, lv in enumerate(self.stack) if lv.style == num.style and v > lv.value]
        if same:
            del self.stack[same[-1] :]
        siblings = self.stack[-1].task["tasks"] if self.stack else self.section["tasks"]
        task = new_task(num.number)
        siblings.append(task)
        self.stack.append(_Level(num.style, v, task))
        self.last_task = task
        return task

    def _numbered_cell(self, num: Numbered, *, wrap: bool) -> None:
        before = list(self.stack)
        task = self._place(num)
        head, inline = split_inline(num.rest, after=num)
        self._text_of(task, head, inline, wrap=wrap and not inline)
        if any(n.style == num.style for n in inline):
            # Items numbered inside one cell or line (1.…。2.…。) are sub-tasks of the row,
            # which stays the row: its unit and deadline cells still come to it.
            self.stack = before
            self.row_task = self.row_task or task
            return
        self.row_task = task
        self.awaiting = task if not num.rest else None

    def _text_of(self, task: dict, text: str, inline=None, *, wrap: bool = False) -> None:
        """Add words to a task. A paragraph line broken where a page ended (a PDF's text:
        long, or stopping at a comma or inside a bracket) is joined to the next line."""
        if inline is None:
            text, inline = split_inline(text)
        if text:
            segments = task["_segments"]
            if segments and task["_wrapped"]:
                segments[-1] += text
            else:
                segments.append(text)
            task["_wrapped"] = _looks_wrapped(segments[-1]) if wrap else ""
            title, body = split_title(segments[0])
            task["title"] = title
            task["body"] = "\n".join(part for part in (body, *segments[1:]) if part)
        depth = len(self.stack)
        for num in inline:
            self._text_of(self._place(num), num.rest, [])
        del self.stack[depth:]

    def _body(self, text: str, *, wrap: bool = False) -> None:
        if self.stack:
            self._text_of(self.stack[-1].task, text, wrap=wrap)
        elif self.section is not None:
            body = self.section["body"]
            self.section["body"] = f"{body}\n{text}" if body else text
        else:
            self.preamble.append(text)

    def _units_alone(self, item: Item, text: str):
        if "。" in text.rstrip("。"):
            return None
        reading = read_units(text, source=text, known=self.known, mode=self.mode, cut=item.last)
        if not reading.found or reading.invalid:
            return None
        if not reading.stated:
            for dept in reading.departments:
                dept["guess"] = True
        return reading

    def _attach_units(self, item: Item, text: str) -> None:
        target = self.row_task or self.last_task
        if target is None:
            return self._body(text)
        source = f"{item.label} column: {text}"
        target["_units"].append(
            read_units(
                text, source=source, known=self.known, mode=self.mode, role=item.role, cut=item.last
            )
        )

    def _attach_deadline(self, text: str) -> None:
        target = self.row_task or self.last_task
        if target is None:
            return
        if is_ongoing(text, alone=True):
            target["_ongoing"] = True
        target["_deadline_words"].append(text)
