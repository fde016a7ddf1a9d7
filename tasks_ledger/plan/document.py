"""A plan document as the importer reads it, whatever file it came from.

Every reader (.txt, .docx, .html, .pdf) turns its file into the same inner form: a sequence
of blocks, each a paragraph of text or a table of cell texts, in document order. The plan
parser reads only this form, so a table in a .docx, in a portal's HTML page or in a PDF, and
the same table flattened to text lines, are read by one piece of code.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    """Rows of cell texts as the reader found them (merged cells repeated in each row)."""

    rows: tuple[tuple[str, ...], ...]


Block = Paragraph | Table


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    # The file's name, for error messages ("plan.docx: no text layer in this PDF").
    name: str = ""
