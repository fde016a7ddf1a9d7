"""PDF plan documents with a text layer: lines of text and ruled tables, in reading order.

pdfplumber finds ruled tables and reads their cells (a merged cell repeated over every row
and column it covers, located by geometry); the characters outside the tables are read as
lines. A line that runs to the right margin continues on the next line (a wrapped
paragraph), unless it closes a sentence or the next line opens a numbered heading. Page
numbers standing alone are dropped. A PDF with no characters at all is a scan: it is
refused with "no text layer in this PDF" and nothing else (no OCR).
"""

import io
import re

import pdfplumber
from django.utils.translation import gettext as _

from tasks_ledger.plan.document import Document, Paragraph, Table
from tasks_ledger.plan.plan_json import PlanFormatError

MAX_PAGES = 500
PAGE_NUMBER_RE = re.compile(r"^[-—–\s]*(第\s*)?\d+(\s*页)?[-—–\s]*$")
SENTENCE_END = ("。", "；", ";", "：", ":", "!", "！", "?", "？")
HEADING_RE = re.compile(
    r"^([一二三四五六七八九十百]+[、.．]|[(（][一二三四五六七八九十百\d]+[)）]|\d+[.、．])"
)


def read_pdf(data: bytes, *, name: str) -> Document:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise PlanFormatError(
                    name, _("the PDF has more than %(max)s pages") % {"max": MAX_PAGES}
                )
            items = []
            has_text = False
            for number, page in enumerate(pdf.pages):
                has_text = has_text or bool(page.chars)
                items.extend((number, top, item) for top, item in _page_items(page))
    except PlanFormatError:
        raise
    except Exception:  # pdfminer raises many kinds (syntax, missing objects, bad streams)
        raise PlanFormatError(name, _("the file is not a readable PDF")) from None
    if not has_text:
        raise PlanFormatError(name, _("no text layer in this PDF"))
    items.sort(key=lambda item: (item[0], item[1]))
    return Document(blocks=_join_lines([item for _, _, item in items]), name=name)


def _page_items(page):
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]

    def outside_tables(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    lines = page.filter(outside_tables).extract_text_lines(return_chars=False)
    if lines:
        left = min(line["x0"] for line in lines)
        right = page.width - left  # official documents keep even left and right margins
    for line in lines:
        text = line["text"].strip()
        if not text or PAGE_NUMBER_RE.match(text):
            continue
        size = line["bottom"] - line["top"]
        full = line["x1"] >= right - 2 * size
        yield line["top"], _Line(text, full)
    for table in tables:
        yield table.bbox[1], _table(table)


class _Line:
    def __init__(self, text: str, full: bool):
        self.text = text
        self.full = full


def _join_lines(items) -> list:
    blocks = []
    carry = None  # a wrapped line waiting for the rest of its paragraph
    for item in items:
        if isinstance(item, Table):
            if carry is not None:
                blocks.append(Paragraph(carry))
                carry = None
            blocks.append(item)
            continue
        if carry is not None and not HEADING_RE.match(item.text):
            text = carry + item.text
        else:
            if carry is not None:
                blocks.append(Paragraph(carry))
            text = item.text
        if item.full and not text.endswith(SENTENCE_END):
            carry = text
        else:
            blocks.append(Paragraph(text))
            carry = None
    if carry is not None:
        blocks.append(Paragraph(carry))
    return blocks


def _table(table) -> Table:
    texts = table.extract()
    by_box = {}
    for r, row in enumerate(table.rows):
        for c, box in enumerate(row.cells):
            if box is not None:
                by_box[box] = (texts[r][c] or "").strip()
    columns = table.columns
    rows = []
    for row in table.rows:
        cells = []
        for c, box in enumerate(row.cells):
            if box is None:
                # A merged cell: the text of the real cell that covers this grid position.
                x = (columns[c].bbox[0] + columns[c].bbox[2]) / 2
                y = (row.bbox[1] + row.bbox[3]) / 2
                box = next((b for b in by_box if b[0] <= x <= b[2] and b[1] <= y <= b[3]), None)
            cells.append(by_box.get(box, ""))
        rows.append(tuple(cells))
    return Table(rows=tuple(rows))
