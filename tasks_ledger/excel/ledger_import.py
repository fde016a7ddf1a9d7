"""Old Excel ledgers in: the preview of an uploaded 工作台账 and applying it.

The preview maps every row to a department and a task (the task by its number, 二(一),
else by its title; the guess is shown and the person may change it) and says of each row
whether it is a new entry, a change of an existing entry, unchanged, a conflict, or an
error (each error naming sheet, row and column). A row exported by the product carries its
entry's id and version (tasks_ledger.excel.export): if the entry changed online since the
export, the row is a conflict and the online entry is kept, never overwritten.

Applying writes the new and changed rows in one transaction (rows with errors, conflicts
and unchanged rows are left alone), each change in the entry's history as imported from
that file by that person. If an entry changed between the preview and the apply, the whole
apply is refused and nothing is written.

Who: a department imports into its own ledger only; the office into any department's.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from departments.access import department_of, is_office
from departments.models import Department
from tasks_ledger.excel.ledger_sheet import SheetRow, parse_date, read_ledger_sheets
from tasks_ledger.ledger.models import EDITABLE_STATES, Evidence, LedgerEntry
from tasks_ledger.plan.models import Assignment, Plan, Task

WRITTEN_FIELDS = ("happened_on", "summary", "status", "problems", "next_steps")
CODE_AT_START = re.compile(
    r"^\s*([一二三四五六七八九十]+\s*[(（]\s*[一二三四五六七八九十]+\s*[)）][0-9]*)"
)
EVIDENCE_SPLIT = re.compile(r"[；;\n、]+")
# Words of the 状态 column: the product writes "推进中（草稿）", people write 已完成 and the like.
DONE_WORDS = ("已完成", "完成", "已办结")
BLOCKED_WORDS = ("受阻", "暂停")


class ImportRefused(Exception):
    """The import as a whole cannot go on; the message is for people."""


class Kind:
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    ERROR = "error"
    SKIPPED = "skipped"


@dataclass
class CellError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self):
        return f"{self.sheet} {_('row')} {self.row} {_('column')} {self.column}: {self.message}"


@dataclass
class ImportRow:
    source: SheetRow
    kind: str = Kind.NEW
    department: Department | None = None
    task: Task | None = None
    matched_by: str = ""  # "number", "title", "chosen" or "" (no task)
    data: dict = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)
    entry: LedgerEntry | None = None
    version: int | None = None
    changed_fields: list[str] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        letter = self.source.columns.get(column, column)
        self.errors.append(CellError(self.source.sheet, self.source.row, letter, message))
        self.kind = Kind.ERROR


@dataclass
class ImportPreview:
    filename: str
    plan: Plan
    rows: list[ImportRow]
    skipped_sheets: list[str]

    def of_kind(self, kind: str) -> list[ImportRow]:
        return [row for row in self.rows if row.kind == kind]

    @property
    def errors(self) -> list[CellError]:
        return [e for row in self.rows for e in row.errors]

    def counts(self) -> dict[str, int]:
        kinds = (Kind.NEW, Kind.CHANGED, Kind.UNCHANGED, Kind.CONFLICT, Kind.ERROR, Kind.SKIPPED)
        return {kind: len(self.of_kind(kind)) for kind in kinds}


def _code(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


def _title_key(text: str) -> str:
    text = CODE_AT_START.sub("", text)
    return re.sub(r"[\s，。、；：,.;:（）()]+", "", text)


class _Tasks:
    """The plan's tasks found by code (二(一), 二(三)1) and by title."""

    def __init__(self, plan: Plan):
        self.tasks = list(Task.objects.filter(plan=plan).with_code())
        self.by_pk = {t.pk: t for t in self.tasks}
        self.by_code = {_code(t.code): t for t in self.tasks}
        self.by_title = [(_title_key(t.title), t) for t in self.tasks]

    def match(self, *, number: str, text: str) -> tuple[Task | None, str]:
        for candidate in (number, text):
            found = CODE_AT_START.match(candidate)
            if found and _code(found.group(1)) in self.by_code:
                return self.by_code[_code(found.group(1))], "number"
        key = _title_key(text)
        if len(key) < 4:
            return None, ""
        exact = [t for k, t in self.by_title if k == key]
        if exact:
            return exact[0], "title"
        # A title written longer (with the task's body) or shorter (abridged) than the plan's:
        # the task whose title shares the most characters with it is the guess.
        near = [(len(k), t) for k, t in self.by_title if k and (k in key or key in k)]
        if near:
            return max(near, key=lambda pair: pair[0])[1], "title"
        return None, ""


def _status(text: str, current: str | None) -> str:
    words = text.split("（")[0].strip()
    for value, label in LedgerEntry.Status.choices:
        if words in (value, str(label)):
            return value
    if any(w in words for w in BLOCKED_WORDS):
        return LedgerEntry.Status.BLOCKED
    if words in DONE_WORDS:
        return LedgerEntry.Status.DONE
    return current or LedgerEntry.Status.IN_PROGRESS


def _department(row: ImportRow, *, by, fallback, departments) -> None:
    """The row's department: the sheet's when it is named for one (the product's layout),
    else the 责任处室 cell's first name, else the one chosen on the upload form."""
    sheet = row.source.sheet
    found = departments.get(sheet)
    if found is None:
        named = re.split(r"[、，,；;\s]+", row.source.text("department"))
        found = departments.get(named[0]) if named and named[0] else None
        if found is None and named and named[0]:
            row.error("department", _("No department is named %(name)s.") % {"name": named[0]})
            return
    found = found or fallback
    if found is None:
        row.error("department", _("The row does not say which department it is."))
        return
    own = department_of(by)
    if not is_office(by) and (own is None or own.pk != found.pk):
        row.error("department", _("Your department may import only its own ledger."))
        return
    row.department = found


def build_preview(
    *, data: bytes, filename: str, by, plan: Plan, department=None, default_date=None, choices=None
) -> ImportPreview:
    """The preview of an uploaded ledger. `choices` maps a row's key ("sheet!row") to the
    task id the person chose for it, or "" to leave the row out."""
    if not (is_office(by) or department_of(by) is not None):
        raise ImportRefused(_("Only the office and the departments import ledgers."))
    choices = choices or {}
    department = department or department_of(by)
    sheet_rows, skipped = read_ledger_sheets(data)
    tasks = _Tasks(plan)
    departments = {}
    for d in Department.objects.all():
        departments[d.name] = departments[d.code] = d
    assigned = set(
        Assignment.objects.filter(task__plan=plan).values_list("task_id", "department_id")
    )
    ids = {int(r.text("entry")) for r in sheet_rows if r.text("entry").isdigit()}
    entries = LedgerEntry.objects.filter(pk__in=ids).prefetch_related("evidence").in_bulk()
    # Entries already in the ledger, to tell a row imported before (same task, department,
    # date and words) from a new one: one query, not one per row.
    existing = {
        (t, d, day, text): pk
        for pk, t, d, day, text in LedgerEntry.objects.filter(task__plan=plan).values_list(
            "pk", "task_id", "department_id", "happened_on", "summary"
        )
    }
    rows = []
    for source in sheet_rows:
        row = ImportRow(source=source)
        rows.append(row)
        choice = choices.get(source.key)
        if choice == "":
            row.kind = Kind.SKIPPED
            continue
        if not source.text("progress") and not source.text("entry"):
            # The product's empty row of a task with no entry yet: nothing to import.
            row.kind = Kind.SKIPPED
            continue
        _department(row, by=by, fallback=department, departments=departments)
        if choice and choice.isdigit() and int(choice) in tasks.by_pk:
            row.task, row.matched_by = tasks.by_pk[int(choice)], "chosen"
        else:
            row.task, row.matched_by = tasks.match(
                number=source.text("number"), text=source.text("task")
            )
        if row.task is None:
            row.error(
                "task",
                _("No task of the %(year)s plan matches “%(text)s”.")
                % {"year": plan.year, "text": source.text("task")[:40]},
            )
        elif row.department and (row.task.pk, row.department.pk) not in assigned:
            row.error(
                "task",
                _("%(department)s is not assigned to task %(task)s.")
                % {"department": row.department.name, "task": row.task.code},
            )
        _fields(row, default_date=default_date, entries=entries, existing=existing)
    return ImportPreview(filename=filename, plan=plan, rows=rows, skipped_sheets=skipped)


def _fields(row: ImportRow, *, default_date, entries, existing) -> None:
    """The entry the row would write, compared with the stored one when it names one."""
    source = row.source
    try:
        happened_on = parse_date(source.values.get("date")) or default_date
    except ValueError:
        row.error("date", _("“%(value)s” is not a date.") % {"value": source.text("date")})
        happened_on = None
    if happened_on is None and row.kind != Kind.ERROR:
        row.error("date", _("No date of the work: fill it in or give one on the upload form."))
    summary = source.text("progress")
    if not summary:
        row.error("progress", _("The progress (进展情况) is empty."))
    entry = None
    if source.text("entry"):
        entry = entries.get(int(source.text("entry"))) if source.text("entry").isdigit() else None
        if entry is None:
            row.error("entry", _("No ledger entry No. %(id)s.") % {"id": source.text("entry")})
        elif row.department and (entry.department_id, entry.task_id) != (
            row.department.pk,
            row.task.pk if row.task else None,
        ):
            row.error("entry", _("Entry No. %(id)s is of another task or department.") % {
                "id": entry.pk
            })  # fmt: skip
    row.data = {
        "happened_on": happened_on,
        "summary": summary,
        "status": _status(source.text("status"), entry.status if entry else None),
        "problems": source.text("problems"),
        "next_steps": source.text("next_steps"),
    }
    row.evidence = [e.strip() for e in EVIDENCE_SPLIT.split(source.text("evidence")) if e.strip()]
    if row.kind == Kind.ERROR:
        return
    if entry is None:
        if (row.task.pk, row.department.pk, happened_on, summary) in existing:
            row.kind = Kind.UNCHANGED
        return
    row.entry = entry
    version = source.text("version")
    row.version = int(version) if version.isdigit() else None
    if row.version is None:
        row.error("version", _("The version of entry No. %(id)s is missing.") % {"id": entry.pk})
        return
    stored = {e.url or e.doc_number or e.filename for e in entry.evidence.all()}
    row.changed_fields = [f for f in WRITTEN_FIELDS if getattr(entry, f) != row.data[f]]
    if [e for e in row.evidence if e not in stored]:
        row.changed_fields.append("evidence")
    if entry.version != row.version:
        row.kind = Kind.CONFLICT
    elif not row.changed_fields:
        row.kind = Kind.UNCHANGED
    elif entry.state not in EDITABLE_STATES:
        row.error("progress", _("Entry No. %(id)s is %(state)s and cannot be changed.") % {
            "id": entry.pk, "state": entry.get_state_display()
        })  # fmt: skip
    else:
        row.kind = Kind.CHANGED


def _add_evidence(entry: LedgerEntry, items: list[str], *, by, reason: str) -> None:
    stored = set(entry.evidence.values_list("doc_number", flat=True))
    stored |= set(entry.evidence.values_list("url", flat=True))
    for item in items:
        if item in stored:
            continue
        link = item.startswith(("http://", "https://"))
        evidence = Evidence(
            entry=entry,
            kind=Evidence.Kind.LINK if link else Evidence.Kind.DOC_NUMBER,
            url=item[:1000] if link else "",
            doc_number="" if link else item[:200],
        )
        evidence._history_user = by
        evidence._change_reason = reason
        evidence.save()


def _write(entry: LedgerEntry, row, *, by, reason: str) -> None:
    """The row's text saved over `entry` (one history record, by `by`, saying why) and its
    new evidence added."""
    for name in WRITTEN_FIELDS:
        setattr(entry, name, row.data[name])
    entry._history_user = by
    entry._change_reason = reason
    entry.save()
    _add_evidence(entry, row.evidence, by=by, reason=reason)


@transaction.atomic
def ledger_import_apply(*, preview: ImportPreview, by) -> dict[str, int]:
    """Write the preview's new and changed rows, all or nothing. An entry changed since the
    preview (its version moved on) refuses the whole import."""
    reason = _("Imported from %(file)s") % {"file": preview.filename}
    created = updated = 0
    for row in preview.of_kind(Kind.NEW):
        entry = LedgerEntry(
            task=row.task, department=row.department, author=by, state=LedgerEntry.State.DRAFT
        )
        _write(entry, row, by=by, reason=reason)
        created += 1
    for row in preview.of_kind(Kind.CHANGED):
        # The ledger's claim (tasks_ledger.ledger.services): bump the version only if the
        # entry is still at the version the sheet carries and still editable.
        claimed = LedgerEntry.objects.filter(
            pk=row.entry.pk, version=row.version, state__in=EDITABLE_STATES
        ).update(version=F("version") + 1)
        if not claimed:
            raise ImportRefused(
                _("Entry No. %(id)s changed since the preview: nothing was imported.")
                % {"id": row.entry.pk}
            )
        entry = LedgerEntry.objects.get(pk=row.entry.pk)
        _write(entry, row, by=by, reason=reason)
        updated += 1
    return {"created": created, "updated": updated}
