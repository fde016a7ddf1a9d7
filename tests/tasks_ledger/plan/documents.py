"""One small plan built as every kind of file the importer reads, for the readers' tests.

The plan holds paragraphs (a title, section and task headings) and a real table, so that
each reader is shown to give the same Document blocks.
"""

import io
import zipfile

from tasks_ledger.plan.document import Paragraph, Table

TITLE = "某市交通运输局2017年政务公开工作要点"
BLOCKS = [
    Paragraph(TITLE),
    Paragraph("一、推进权力运行公开"),
    Paragraph("(一)推进权力清单公开,2017年9月底前完成。(政策法规处负责落实)"),
    Paragraph("(二)推进财政资金公开,年内完成。(财务处会办公室负责落实)"),
    Paragraph("二、重点任务分工"),
    Table(
        rows=(
            ("序号", "工作任务", "责任单位", "完成时限"),
            ("1", "公开部门预算", "财务处", "2017年6月底前"),
            ("2", "公开行政许可事项", "行政服务处", "每季度"),
        )
    ),
    Paragraph("三、保障措施"),
    Paragraph("(一)加强组织领导。(办公室负责落实)"),
]


def plan_text() -> str:
    """The plan as text lines, a table's row as cells separated by `|`."""
    lines = []
    for block in BLOCKS:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines.extend(" | ".join(row) for row in block.rows)
    return "\n".join(lines) + "\n"


def plan_docx(blocks=BLOCKS) -> bytes:
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, Paragraph):
            document.add_paragraph(block.text)
        else:
            table = document.add_table(rows=len(block.rows), cols=len(block.rows[0]))
            for r, row in enumerate(block.rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def plan_html(encoding: str = "utf-8") -> bytes:
    """The plan as a portal saves it: header, menus, breadcrumbs, scripts and a footer."""
    body = []
    for block in BLOCKS:
        if isinstance(block, Paragraph):
            tag = "h1" if block.text == TITLE else "p"
            body.append(f"<{tag}>{block.text}</{tag}>")
        else:
            rows = "".join(
                "<tr>" + "".join(f"<td><p>{cell}</p></td>" for cell in row) + "</tr>"
                for row in block.rows
            )
            body.append(f'<table border="1"><tbody>{rows}</tbody></table>')
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={encoding}">
<title>{TITLE}</title><script>var site = "政务公开";</script>
<style>p {{ text-indent: 2em }}</style></head>
<body>
<div class="header"><img src="logo.png">某市交通运输局 网站首页</div>
<div class="nav-main"><ul><li><a href="/">首页</a></li><li><a href="/gk">政务公开</a></li>
<li><a href="/fw">政务服务</a></li></ul></div>
<ul><li><a href="/1">机构概况</a></li><li><a href="/2">政策文件</a></li>
<li><a href="/3">规划计划</a></li><li><a href="/4">人事信息</a></li></ul>
<div class="breadcrumb">当前位置:<a href="/">首页</a> &gt; <a href="/gk">政务公开</a></div>
<div id="zoom" class="TRS_Editor">
{"".join(body)}
</div>
<script>document.write("<p>不是正文</p>")</script>
<div class="footer">版权所有:某市交通运输局 备案号:苏ICP备00000000号</div>
</body></html>"""
    return page.encode(encoding)


def plan_pdf(blocks=BLOCKS) -> bytes:
    """The plan as a PDF with a text layer (reportlab's built-in Chinese font, no file)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph as PdfParagraph
    from reportlab.platypus import SimpleDocTemplate, TableStyle
    from reportlab.platypus import Table as PdfTable

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=12, leading=20)
    flowables = []
    for block in blocks:
        if isinstance(block, Paragraph):
            flowables.append(PdfParagraph(block.text, style))
        else:
            table = PdfTable([list(row) for row in block.rows])
            table.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ]
                )
            )
            flowables.append(table)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(flowables)
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A page that is only a picture, as a scanner makes it."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("RGB", (200, 280), "white")
    picture.paste((0, 0, 0), (20, 20, 180, 30))  # a dark bar where a line of text was
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.drawImage(ImageReader(picture), 50, 300, width=400, height=500)
    page.showPage()
    page.save()
    return buffer.getvalue()


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The zip `data` with some members' contents replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            content = replace.get(member.filename, source.read(member))
            target.writestr(member.filename, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def zip_bomb(template: bytes, part: str, megabytes: int) -> bytes:
    """`template` (an .xlsx or .docx) with `part` inflating to `megabytes` MB of XML.

    The part is streamed into the zip a megabyte at a time, so building it needs no memory;
    the result is a few hundred KB.
    """
    row = b'<row><c t="inlineStr"><is><t>0</t></is></c></row>'
    chunk = row * (1024 * 1024 // len(row))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            if member.filename != part:
                target.writestr(member.filename, source.read(member), zipfile.ZIP_DEFLATED)
                continue
            info = zipfile.ZipInfo(part)
            info.compress_type = zipfile.ZIP_DEFLATED
            with target.open(info, "w", force_zip64=True) as stream:
                stream.write(
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main"><sheetData>'
                )
                for _ in range(megabytes):
                    stream.write(chunk)
                stream.write(b"</sheetData></worksheet>")
    return out.getvalue()


def blank_xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()
