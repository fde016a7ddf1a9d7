"""Web pages (.html/.htm) as saved from a government portal: the article, not the site.

The page is decoded by its meta charset (GB2312/GBK pages are common), else detected like a
text file. Site chrome is dropped before reading: scripts, forms, <nav>/<header>/<footer>/
<aside>, elements whose class or id names a menu, header, footer and the like, and blocks
that are mostly links (a menu without a telling name). The article is <article>/<main> when
the page has one, else what remains of <body>. Block elements and <br> end paragraphs; a
table of data becomes a Table (colspan/rowspan repeated), while a table used for page
layout (one holding another table, or one cell a row) is read as flowing text.
"""

import re

import lxml.html
from django.utils.translation import gettext as _
from lxml import etree

from tasks_ledger.plan.document import Document, Paragraph, Table
from tasks_ledger.plan.plan_json import PlanFormatError
from tasks_ledger.plan.readers.text import GB_FAMILY, decode_text

META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_-]+)""", re.I)
XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
DROPPED_TAGS = {
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "select", "button", "input", "textarea", "object", "embed", "svg", "canvas",
}  # fmt: skip
# A class or id starting with one of these names site chrome (`nav-main`, `footer_wrap`);
# `article-header` does not start with one and is kept, since it often holds the title.
CHROME_RE = re.compile(
    r"^(nav|menu|header|footer|breadcrumb|crumb|sidebar|share|toolbar|copyright|banner"
    r"|friendlink|pagination|pager|search|login|topbar|top-bar|skip)",
    re.I,
)
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
    "ol", "dl", "dt", "dd", "blockquote", "pre", "center", "address", "figure", "figcaption",
    "hr", "tr", "td", "th", "table", "caption", "body",
}  # fmt: skip
SPACE_RE = re.compile(r"\s+")
MAX_SPAN = 100


def read_html(data: bytes, *, name: str) -> Document:
    text = XML_DECLARATION_RE.sub("", _decode(data, name=name))
    try:
        parser = lxml.html.HTMLParser(remove_comments=True, no_network=True)
        page = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        raise PlanFormatError(name, _("the page holds no readable HTML")) from None
    body = page.find("body")
    if body is None:
        raise PlanFormatError(name, _("the page has no body"))
    _drop_chrome(body)
    articles = body.xpath("//article|//main|//*[@role='main']")
    root = max(articles, key=lambda el: len(el.text_content())) if articles else body
    flow = _Flow()
    flow.walk(root)
    flow.flush()
    if not flow.blocks:
        raise PlanFormatError(name, _("the page holds no text"))
    return Document(blocks=flow.blocks, name=name)


def _decode(data: bytes, *, name: str) -> str:
    if match := META_CHARSET_RE.search(data[:4096]):
        declared = match[1].decode("ascii").lower()
        encoding = "gb18030" if declared.replace("-", "") in GB_FAMILY else declared
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except (LookupError, UnicodeDecodeError):
            pass  # the page lies about its charset: detect it like a text file
    return decode_text(data, name=name)


def _drop_chrome(body) -> None:
    for element in list(body.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        marks = f"{element.get('class', '')} {element.get('id', '')}".split()
        if element.tag in DROPPED_TAGS or any(CHROME_RE.match(m) for m in marks):
            element.drop_tree()
    for element in list(body.iter("ul", "ol", "div", "p", "table", "dl", "section")):
        if element.getparent() is None:
            continue
        links = element.findall(".//a")
        if len(links) < 3:
            continue
        text = _squash(element.text_content())
        linked = sum(len(_squash(a.text_content())) for a in links)
        if text and linked / len(text) > 0.5:
            element.drop_tree()


def _squash(text: str) -> str:
    return SPACE_RE.sub(" ", text).strip()


def _is_layout_table(table) -> bool:
    rows = _rows(table)
    return bool(table.findall(".//table")) or all(len(_cells(row)) <= 1 for row in rows)


def _rows(table):
    return table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


def _cells(row):
    return row.xpath("./td|./th")


def _span(cell, attribute: str) -> int:
    try:
        return min(max(int(cell.get(attribute, "1")), 1), MAX_SPAN)
    except ValueError:
        return 1


class _Flow:
    """Walks an element in document order, gathering paragraphs and tables."""

    def __init__(self):
        self.blocks: list = []
        self.parts: list[str] = []

    def flush(self) -> None:
        text = _squash("".join(self.parts))
        if text:
            self.blocks.append(Paragraph(text))
        self.parts = []

    def walk(self, element, depth: int = 0) -> None:
        if not isinstance(element.tag, str) or depth > 200:
            return
        tag = element.tag.lower()
        if tag == "br":
            self.flush()
            return
        if tag == "table" and not _is_layout_table(element):
            self.flush()
            table = _table(element)
            if table.rows:
                self.blocks.append(table)
            return
        block = tag in BLOCK_TAGS
        if block:
            self.flush()
        if element.text:
            self.parts.append(element.text)
        for child in element:
            self.walk(child, depth + 1)
            if child.tail:
                self.parts.append(child.tail)
        if block:
            self.flush()


def _cell_text(cell) -> str:
    flow = _Flow()
    flow.walk(cell)
    flow.flush()
    return "\n".join(b.text for b in flow.blocks if isinstance(b, Paragraph))


def _table(table) -> Table:
    grid: dict[tuple[int, int], str] = {}
    rows = _rows(table)
    for r, row in enumerate(rows):
        c = 0
        for cell in _cells(row):
            while (r, c) in grid:
                c += 1
            text = _cell_text(cell)
            down = min(_span(cell, "rowspan"), len(rows) - r)
            across = _span(cell, "colspan")
            for dr in range(down):
                for dc in range(across):
                    grid[(r + dr, c + dc)] = text
            c += across
    if not grid:
        return Table(rows=())
    width = max(c for _, c in grid) + 1
    return Table(
        rows=tuple(tuple(grid.get((r, c), "") for c in range(width)) for r in range(len(rows)))
    )
