"""Readers of plan documents as published: each turns a file's bytes into a Document.

`read_document` picks the reader by the file's suffix; every reader returns the same inner
form (paragraphs and tables in document order, see plan/document.py) or raises
PlanFormatError naming the file and the reason. The caller has already passed the file
through disclosure.uploads (size, zip bombs, XML entities) before a reader opens it.
"""

from django.utils.translation import gettext as _

from tasks_ledger.plan.document import Document, Paragraph
from tasks_ledger.plan.plan_json import PlanFormatError
from tasks_ledger.plan.readers.docx import read_docx
from tasks_ledger.plan.readers.html import read_html
from tasks_ledger.plan.readers.pdf import read_pdf
from tasks_ledger.plan.readers.text import read_text

READERS = {
    ".txt": read_text,
    ".docx": read_docx,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
}


def read_document(data: bytes, *, name: str) -> Document:
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    reader = READERS.get(suffix)
    if reader is None:
        raise PlanFormatError(name, _("no reader for files of this type"))
    return reader(data, name=name)


def document_text(document: Document) -> str:
    """The document as plain text lines: a table's row is one line, cells joined by ` | `.

    A cell's own line breaks become spaces so that one row stays one line.
    """
    lines = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines.extend(" | ".join(" ".join(c.split("\n")) for c in row) for row in block.rows)
    return "\n".join(lines)
