"""The ledger as the 工作台账 workbook Chinese offices know: a summary sheet, then one sheet
per department, one row per counted entry (tasks with no entry yet get an empty row, so the
sheet lists everything the department owes).

Streaming: openpyxl's write-only mode writes each sheet to a temporary file as rows come,
and the entries are read with a database cursor (`iterator`), so memory does not grow with
the ledger. The summary sheet is created first (it is the first tab) but filled last, from
counts made while the department sheets stream — write-only sheets each have their own
stream, so they can be filled in any order.

Queries: the plan's assignments with their status light, its deadlines, and the entries
(evidence folded into each entry by a subquery): three, whatever the size.

Safety: text is never a formula. openpyxl turns a string that starts with "=" into a
formula, and spreadsheet programs treat "+", "-", "@" (and a leading tab or CR) alike on
re-entry; such text is written as an explicit string cell.
"""

import datetime
import itertools
import re
from collections import defaultdict

from django.db.models import CharField, F, Func
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from departments.models import Department
from tasks_ledger.cells import looks_like_formula
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.ledger.status import COUNTED_STATES, Light, with_status
from tasks_ledger.plan.models import Assignment, Deadline, Plan

# The layout is a fixed document format (the 工作台账 the office hands the leadership), so
# its headings are written in Chinese whatever the interface language.
COLUMNS = [
    ("序号", 6),
    ("工作任务", 36),
    ("牵头处室", 14),
    ("配合处室", 14),
    ("完成时限", 13),
    ("进展情况", 48),
    ("存在问题", 24),
    ("下步措施", 24),
    ("佐证材料", 24),
    ("状态", 14),
    ("填报人", 10),
    ("更新时间", 17),
    # The entry's own date, and which entry at which version the row is: a sheet edited
    # offline comes back through the ledger import, which updates that entry only if it
    # has not changed online since (tasks_ledger.excel.ledger_import).
    ("工作日期", 12),
    ("台账编号", 9),
    ("版本", 6),
]
SUMMARY_COLUMNS = [
    ("处室", 16),
    ("任务数", 9),
    ("已完成", 9),
    ("待确认", 9),
    ("正常推进", 9),
    ("即将到期", 9),
    ("已逾期", 9),
    ("受阻", 9),
    ("未填报", 9),
    ("台账条数", 10),
    ("最近更新", 17),
]
SUMMARY_TITLE = "汇总"
EVIDENCE_SEPARATOR = "；"
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")

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
        super().__init__(F("pk"), output_field=CharField())

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


def set_up_sheet(ws, columns, *, header_text: str) -> None:
    """Widths, frozen header, and A4 landscape printing with the header on every page."""
    for i, (_name, width) in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.oddHeader.center.text = header_text
    ws.oddFooter.center.text = "&P / &N"
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


class _Text:
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


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    # Excel has no time zones: write the bureau's wall-clock time.
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None


def write_ledger(out, *, plan: Plan, today: datetime.date, department: Department | None = None):
    """Write the ledger workbook of `plan` to the binary file `out` (a path or a file
    opened for writing). With `department`, only that department's sheet follows the
    summary. Returns the number of entry rows written."""
    rows = list(
        with_status(
            Assignment.objects.filter(task__plan=plan).select_related(
                "task__section", "task__parent__section", "department"
            ),
            today=today,
        ).order_by(
            "department__order",
            "department__code",
            "task__section__order",
            "task__order",
            "task_id",
        )
    )
    # Date deadlines are written as the date itself (final_due); the others as their words.
    deadlines = defaultdict(list)
    for task_id, words in (
        Deadline.objects.filter(task__plan=plan)
        .exclude(kind=Deadline.Kind.DATE)
        .order_by("task_id", "order", "id")
        .values_list("task_id", "text")
    ):
        deadlines[task_id].append(words)
    leads, partners = defaultdict(list), defaultdict(list)
    for row in sorted(rows, key=lambda r: (r.task_id, r.order, r.id)):
        (leads if row.role == Assignment.Role.LEAD else partners)[row.task_id].append(
            row.department.name
        )
    if department is not None:
        rows = [row for row in rows if row.department_id == department.id]
    by_department = [
        (dept, list(assignments))
        for dept, assignments in itertools.groupby(rows, key=lambda r: r.department)
    ]

    entries = (
        LedgerEntry.objects.filter(
            task__plan=plan,
            state__in=COUNTED_STATES,
            department__in=[dept.id for dept, _a in by_department],
        )
        .annotate(evidence_text=EvidenceText())
        .order_by(
            "department__order",
            "department__code",
            "task__section__order",
            "task__order",
            "task_id",
            "happened_on",
            "id",
        )
        .values_list(
            "department_id",
            "task__section__order",
            "task__order",
            "task_id",
            "summary",
            "problems",
            "next_steps",
            "evidence_text",
            "status",
            "state",
            "author__username",
            "author__first_name",
            "author__last_name",
            "updated_at",
            "happened_on",
            "id",
            "version",
        )
        .iterator(chunk_size=2000)
    )

    status_labels = {value: str(label) for value, label in LedgerEntry.Status.choices}
    state_labels = {value: str(label) for value, label in LedgerEntry.State.choices}
    light_labels = {light: str(label) for light, label in Light.LABELS.items()}
    header_text = f"{plan.title or plan.year} 工作台账"

    wb = Workbook(write_only=True)
    summary = wb.create_sheet(sheet_title(SUMMARY_TITLE, taken := set()))
    set_up_sheet(summary, SUMMARY_COLUMNS, header_text=header_text)

    pending = next(entries, None)
    written = 0
    summary_rows = []
    summary_text = _Text(summary)
    for dept, assignments in by_department:
        ws = wb.create_sheet(sheet_title(dept.name, taken))
        set_up_sheet(ws, COLUMNS, header_text=f"{header_text} · {dept.name}")
        text = _Text(ws)
        lights = dict.fromkeys(Light.ORDER, 0)
        count, last_update = 0, None
        for number, assignment in enumerate(assignments, 1):
            task = assignment.task
            lights[assignment.light] += 1
            fixed = [
                number,
                text(f"{task.code} {task.title}", column=2),
                text("、".join(leads[task.id])),
                text("、".join(partners[task.id])),
                assignment.final_due or text("、".join(deadlines[task.id])),
            ]
            key = (task.section.order, task.order, task.id)
            # Entries come in the same order as the assignments (department, then task):
            # skip any of a task the department is not assigned, then take this task's.
            while pending is not None and pending[0] == dept.id and pending[1:4] < key:
                pending = next(entries, None)
            had_entry = False
            while pending is not None and pending[0] == dept.id and pending[1:4] == key:
                (*_k, progress, problems, next_steps, evidence, status, state) = pending[:10]
                username, first, last, updated_at, happened_on, pk, version = pending[10:]
                ws.append(
                    fixed
                    + [
                        text(progress, column=6),
                        text(problems, column=7),
                        text(next_steps, column=8),
                        text(evidence or "", column=9),
                        f"{status_labels[status]}（{state_labels[state]}）",
                        text(f"{first} {last}".strip() or username),
                        _local(updated_at),
                        happened_on,
                        pk,
                        version,
                    ]
                )
                if last_update is None or updated_at > last_update:
                    last_update = updated_at
                had_entry = True
                count += 1
                pending = next(entries, None)
            if not had_entry:
                ws.append(fixed + [None, None, None, None, light_labels[assignment.light]])
        while pending is not None and pending[0] == dept.id:
            pending = next(entries, None)
        written += count
        summary_rows.append(
            [
                summary_text(dept.name),
                len(assignments),
                lights[Light.DONE],
                lights[Light.AWAITING],
                lights[Light.ON_TRACK],
                lights[Light.DUE_SOON],
                lights[Light.OVERDUE],
                lights[Light.BLOCKED],
                lights[Light.NOT_FILED],
                count,
                _local(last_update),
            ]
        )
    for row in summary_rows:
        summary.append(row)
    wb.save(out)
    return written
