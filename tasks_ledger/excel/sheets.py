"""The pieces every sheet of the 工作台账 workbook shares: the evidence column's text, legal
sheet names, the title and header rows with their print setup, and text made safe for a
cell (see tasks_ledger/cells.py: never a formula)."""

import datetime
import re

from django.db.models import CharField, F, Func
from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tasks_ledger.cells import keep_as_text, looks_like_formula
from tasks_ledger.ledger.models import Evidence

EVIDENCE_SEPARATOR = "；"
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
# Row 1 the title (plan, department, as-of day), row 2 the scope (filters), row 3 the
# column names; data from row 4.
HEADER_ROW = 3

TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP_ALIGN = Alignment(vertical="top", wrap_text=True)
THIN = Side(style="thin", color="9AA5B1")
HEADER_BORDER = Border(bottom=THIN)


class EvidenceText(Func):
    """An entry's evidence as one text — links, document numbers (文号) and file names, in
    the order they were added, joined with EVIDENCE_SEPARATOR — the same on PostgreSQL and
    SQLite.

    PostgreSQL orders STRING_AGG itself. SQLite's GROUP_CONCAT takes no ORDER BY before
    3.44, and its order is otherwise unspecified: there it aggregates a derived table
    ordered by id, which SQLite does not flatten into an aggregate query and so reads in
    that order. The outer entry's id is compiled by the ORM (whatever its alias)."""

    def __init__(self):
        # `id`, not `pk`: a history row (as of a past day) has the entry's id as `id`.
        super().__init__(F("id"), output_field=CharField())

    def as_sql(self, compiler, connection, **extra):
        outer, outer_params = compiler.compile(self.source_expressions[0])
        table = connection.ops.quote_name(Evidence._meta.db_table)
        inner = (
            "SELECT e.id, CASE e.kind WHEN %s THEN e.url WHEN %s THEN e.doc_number "
            f"ELSE e.filename END AS t FROM {table} e WHERE e.entry_id = {outer} ORDER BY e.id"
        )
        if connection.vendor == "postgresql":
            joined = "STRING_AGG(s.t, %s ORDER BY s.id)"
        elif connection.Database.sqlite_version_info >= (3, 44):
            joined = "GROUP_CONCAT(s.t, %s ORDER BY s.id)"
        else:
            joined = "GROUP_CONCAT(s.t, %s)"
        params = (EVIDENCE_SEPARATOR, Evidence.Kind.LINK, Evidence.Kind.DOC_NUMBER, *outer_params)
        return f"(SELECT {joined} FROM ({inner}) s)", params


def sheet_title(name: str, taken: set) -> str:
    """A legal, unique sheet name: at most 31 characters, none of []:*?/\\."""
    base = SHEET_NAME_BAD.sub("_", name)[:31] or "_"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f"({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def set_up_sheet(ws, columns, *, header_text: str, title: str, scope: str) -> None:
    """Widths, the title row (`title`), the scope row (as of, filters), the frozen column
    header, and A4 landscape printing with those three rows on every page."""
    for i, (_name, width) in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{HEADER_ROW}"
    ws.oddHeader.center.text = header_text
    ws.oddFooter.center.text = "&P / &N"
    # The plan's title and the section's words are the plan's text: kept as text too.
    title_cell = keep_as_text(WriteOnlyCell(ws, value=title))
    title_cell.font = TITLE_FONT
    ws.append([title_cell, *[None] * (len(columns) - 1)])
    ws.append([keep_as_text(WriteOnlyCell(ws, value=scope))])
    header = []
    for name, _width in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font, cell.fill, cell.alignment, cell.border = (
            HEADER_FONT,
            HEADER_FILL,
            HEADER_ALIGN,
            HEADER_BORDER,
        )
        header.append(cell)
    ws.append(header)


def total_row(ws, values: list) -> list:
    """A totals row, in bold."""
    row = []
    for value in values:
        cell = WriteOnlyCell(ws, value=value)
        cell.font = HEADER_FONT
        row.append(cell)
    return row


class Text:
    """Turns a text into what a cell may hold: control characters XML forbids removed,
    formula-like text made an explicit string, long text wrapped.

    A wrapped column reuses one styled cell for every row: write-only sheets write a row
    as soon as it is appended, so the cell is free again for the next row, and the style
    is looked up once per sheet instead of once per cell."""

    def __init__(self, ws):
        self.ws = ws
        self.wrapped = {}

    def __call__(self, value: str, *, column: int | None = None):
        if not value:
            return None
        if ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if column is None:
            if not looks_like_formula(value):
                return value
            cell = WriteOnlyCell(self.ws)
        else:
            cell = self.wrapped.get(column)
            if cell is None:
                cell = self.wrapped[column] = WriteOnlyCell(self.ws)
                cell.alignment = WRAP_ALIGN
        cell.value = value
        # Set after the value: assigning "=…" made it a formula ("f"); "s" writes it as a
        # plain string (inlineStr), so no spreadsheet ever evaluates it.
        cell.data_type = "s"
        return cell


def local(moment: datetime.datetime | None) -> datetime.datetime | None:
    # Excel has no time zones: write the bureau's wall-clock time.
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None
