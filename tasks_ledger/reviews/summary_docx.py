"""The year's summary as a .docx in the layout of a Chinese official document (GB/T 9704):
A4, margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; the title in 方正小标宋简体
二号 (22 pt) centred; first-level headings (一、) in 黑体 三号, second-level ((一)) in
楷体_GB2312 三号, the body in 仿宋_GB2312 三号 (16 pt) with a two-character first-line
indent. Fonts are set on the styles, not on each run: the person who edits the draft changes
a style once, and writing a year of entries stays fast.

Each sentence ends with its source's number in brackets; "附：资料来源" lists them."""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from tasks_ledger.reviews.summary import TaskPart, YearSummary

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
# 22 lines a page on the official type area: a fixed line pitch of about 28.95 pt.
LINE_PITCH = Pt(28.95)

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}


def _font(style, name: str, size, *, bold: bool = False) -> None:
    style.font.name = name
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    # Word picks Chinese characters' font from w:eastAsia, which font.name does not set;
    # the theme fonts of the built-in headings would otherwise win.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _paragraph_format(style, *, indent: bool, align=None) -> None:
    fmt = style.paragraph_format
    fmt.first_line_indent = BODY_SIZE * 2 if indent else Pt(0)
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.keep_with_next = not indent
    if align is not None:
        fmt.alignment = align


def _styles(document) -> None:
    styles = document.styles
    _font(styles["Normal"], BODY_FONT, BODY_SIZE)
    _paragraph_format(styles["Normal"], indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _font(styles["Title"], TITLE_FONT, TITLE_SIZE)
    _paragraph_format(styles["Title"], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    # The built-in Title has a bottom border; an official title has none.
    ppr = styles["Title"].element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    _font(styles["Heading 1"], HEADING1_FONT, BODY_SIZE)
    _paragraph_format(styles["Heading 1"], indent=True)
    _font(styles["Heading 2"], HEADING2_FONT, BODY_SIZE)
    _paragraph_format(styles["Heading 2"], indent=True)
    label = styles.add_style("Summary Label", WD_STYLE_TYPE.PARAGRAPH)
    label.base_style = styles["Normal"]
    _font(label, BODY_FONT, BODY_SIZE, bold=True)


def _page(document) -> None:
    section = document.sections[0]
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = MARGINS["top"]
    section.bottom_margin = MARGINS["bottom"]
    section.left_margin = MARGINS["left"]
    section.right_margin = MARGINS["right"]


class _Body:
    """Appends paragraphs to the document's body as bare XML. python-docx's add_paragraph
    builds a proxy object and searches the body for each one: with a year of a bureau's
    entries (tens of thousands of paragraphs) that alone took over ten seconds."""

    def __init__(self, document):
        self.body = document.element.body
        self.end = self.body.sectPr  # the page settings stay the body's last child
        self.style_ids = {
            name: document.styles[name].style_id
            for name in ("Title", "Heading 1", "Heading 2", "Summary Label")
        }

    def add(self, text: str, style: str | None = None) -> None:
        p = etree.Element(qn("w:p"))
        if style is not None:
            ppr = etree.SubElement(p, qn("w:pPr"))
            etree.SubElement(ppr, qn("w:pStyle")).set(qn("w:val"), self.style_ids[style])
        t = etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:t"))
        t.text = text
        t.set(XML_SPACE, "preserve")
        self.end.addprevious(p)


def _task(body: _Body, part: TaskPart) -> None:
    body.add(part.heading, "Heading 2")
    if part.empty:
        body.add(_("No accepted ledger entry in this period."))
        return
    blocks = (
        (_("Work done"), part.done),
        (_("Unfinished, and why"), part.unfinished),
        (_("Next steps"), part.next_steps),
        (_("Assessment result"), part.assessment),
    )
    for label, sentences in blocks:
        if not sentences:
            continue
        body.add(label, "Summary Label")
        for sentence in sentences:
            body.add(f"{sentence.text}[{sentence.source}]")


def summary_docx(summary: YearSummary) -> bytes:
    document = Document()
    _page(document)
    _styles(document)
    document.core_properties.title = summary.title
    document.add_paragraph(summary.title, style="Title")
    if summary.period:
        document.add_paragraph(summary.period, style="Title").runs[0].font.size = BODY_SIZE
    body = _Body(document)
    for section in summary.sections:
        body.add(section.heading, "Heading 1")
        for part in section.tasks:
            _task(body, part)
    body.add(_("Annex: sources"), "Heading 1")
    for source in summary.sources:
        body.add(f"[{source.number}] {source.label}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
