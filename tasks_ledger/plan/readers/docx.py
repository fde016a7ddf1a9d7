"""Word documents (.docx): paragraphs and tables in the order they stand in the body.

python-docx parses with lxml and `resolve_entities=False`; disclosure.uploads has already
refused any part that declares a DTD, so no entity is ever expanded. Merged cells come back
repeated in every row and column they span, as the Document form wants.
"""

import io

import docx
from django.utils.translation import gettext as _
from docx.table import Table as DocxTable

from tasks_ledger.plan.document import Document, Paragraph, Table
from tasks_ledger.plan.plan_json import PlanFormatError


def read_docx(data: bytes, *, name: str) -> Document:
    try:
        source = docx.Document(io.BytesIO(data))
        blocks = []
        for item in source.iter_inner_content():
            if isinstance(item, DocxTable):
                rows = tuple(tuple(cell.text.strip() for cell in row.cells) for row in item.rows)
                if rows:
                    blocks.append(Table(rows=rows))
            else:
                # A manual line break (Shift+Enter) starts a new line as a paragraph mark does.
                blocks.extend(Paragraph(line.strip()) for line in item.text.split("\n"))
    except Exception:  # python-docx and lxml raise many kinds for a damaged package
        raise PlanFormatError(name, _("the file is not a readable .docx document")) from None
    blocks = [b for b in blocks if not isinstance(b, Paragraph) or b.text]
    if not blocks:
        raise PlanFormatError(name, _("the document holds no text"))
    return Document(blocks=blocks, name=name)
