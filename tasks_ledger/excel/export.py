"""The ledger as the 工作台账 workbook Chinese offices know: a summary sheet, then one sheet
per department, one row per counted entry (tasks with no entry yet get an empty row, so the
sheet lists everything the department owes).

What a clerk reads first: a title row (plan, department, the day the ledger stands at), a
row saying which filters chose the tasks, 序号 counting tasks (on a task's first row; its
further entries leave it blank), the task's state in the words the pages use (the status
light's labels; an entry's review state in the state badge's), the day of the work
(工作日期) beside the time of the record (更新时间), and totals written as values (a
formula's result would be empty until a spreadsheet recalculates it).

As of a past day, the entries are those the change history says stood at the end of that
day (tasks_ledger/ledger/history.py) and the lights are worked out for that day; evidence
is today's.

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
from collections import defaultdict

from django.utils import translation
from openpyxl import Workbook

from departments.models import Department
from departments.people import display_name_expression
from tasks_ledger.excel.sheets import (
    EvidenceText,
    Text,
    local,
    set_up_sheet,
    sheet_title,
    total_row,
)
from tasks_ledger.ledger.history import entries_as_of
from tasks_ledger.ledger.models import COUNTED_STATES, LedgerEntry
from tasks_ledger.ledger.status import Light, with_status
from tasks_ledger.plan.models import (
    BY_DEPARTMENT_THEN_TASK,
    Assignment,
    Deadline,
    Plan,
    Section,
    code_related,
)

# The layout is a fixed document format (the 工作台账 the office hands the leadership), so
# its headings are written in Chinese whatever the interface language.
COLUMNS = [
    ("序号", 6),
    ("工作任务", 36),
    ("牵头处室", 14),
    ("配合处室", 14),
    ("完成时限", 13),
    ("状态", 12),
    ("进展情况", 48),
    ("存在问题", 24),
    ("下步措施", 24),
    ("佐证材料", 24),
    ("审核", 9),
    ("填报人", 10),
    ("工作日期", 12),
    ("更新时间", 17),
    # Which entry at which version the row is: a sheet edited offline comes back through
    # the ledger import, which updates that entry only if it has not changed online since
    # (tasks_ledger.excel.ledger_import).
    ("台账编号", 9),
    ("版本", 6),
]


def summary_columns() -> list[tuple[str, int]]:
    """The summary's columns: a count per light, headed by the light's label as the pages
    show it (read when writing, so the label is in the language then active)."""
    lights = [(str(Light.LABELS[light]), 9) for light in Light.ORDER]
    return [("处室", 16), ("任务数", 9), *lights, ("台账条数", 10), ("最近更新", 17)]


SUMMARY_TITLE = "汇总"
ALL_DEPARTMENTS = "全部处室"
TOTAL = "合计"


def day_words(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def ledger_title(*, plan: Plan, department: Department | None, day: datetime.date) -> str:
    """E.g. 政策法规处工作台账 · <the plan's title> · 截至2016年10月8日."""
    name = department.name if department else ALL_DEPARTMENTS
    return f"{name}工作台账 · {plan.title or f'{plan.year}年'} · 截至{day_words(day)}"


def scope_text(*, as_of: datetime.date | None, section: Section | None, light: str | None) -> str:
    """The filters of the page the file was exported from, in words."""
    chosen = []
    if section is not None:
        chosen.append(f"章节：{section}")
    if light:
        chosen.append(f"状态：{Light.LABELS[light]}")
    words = "筛选：" + ("；".join(chosen) if chosen else "无（全部任务）")
    if as_of is not None:
        words += f"。按变更历史还原至{day_words(as_of)}终了时的台账"
    return words


def write_ledger(
    out,
    *,
    plan: Plan,
    today: datetime.date,
    department: Department | None = None,
    as_of: datetime.date | None = None,
    section: Section | None = None,
    light: str | None = None,
):
    """Write the ledger workbook of `plan` to the binary file `out` (a path or a file
    opened for writing). With `department`, only that department's sheet follows the
    summary; `section` and `light` keep only those tasks; `as_of` (a past day) writes the
    ledger as it stood then. Returns the number of entry rows written."""
    # The headings and labels are Chinese whatever the reader's language (see COLUMNS).
    with translation.override("zh-hans"):
        return _write(
            out,
            plan=plan,
            day=as_of or today,
            department=department,
            as_of=as_of,
            section=section,
            light=light,
        )


def _write(out, *, plan, day, department, as_of, section, light):
    source = entries_as_of(day=as_of) if as_of else LedgerEntry.objects.all()
    rows = list(
        with_status(
            Assignment.objects.filter(task__plan=plan).select_related(
                *code_related("task"), "department"
            ),
            today=day,
            entries=source if as_of else None,
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
    rows = [
        row
        for row in rows
        if (department is None or row.department_id == department.id)
        and (section is None or row.task.section_id == section.id)
        and (not light or row.light == light)
    ]
    by_department = [
        (dept, list(assignments))
        for dept, assignments in itertools.groupby(rows, key=lambda r: r.department)
    ]

    entries = (
        source.filter(
            task__plan=plan,
            state__in=COUNTED_STATES,
            department__in=[dept.id for dept, _a in by_department],
        )
        .annotate(evidence_text=EvidenceText(), author_name=display_name_expression("author"))
        .order_by(*BY_DEPARTMENT_THEN_TASK, "happened_on", "id")
        .values_list(
            "department_id",
            "task__section__order",
            "task__order",
            "task_id",
            "summary",
            "problems",
            "next_steps",
            "evidence_text",
            "state",
            "author_name",
            "happened_on",
            "updated_at",
            "id",
            "version",
        )
        .iterator(chunk_size=2000)
    )

    state_labels = {value: str(label) for value, label in LedgerEntry.State.choices}
    light_labels = {key: str(label) for key, label in Light.LABELS.items()}
    header_text = f"{plan.title or plan.year} 工作台账"
    scope = scope_text(as_of=as_of, section=section, light=light)

    wb = Workbook(write_only=True)
    summary = wb.create_sheet(sheet_title(SUMMARY_TITLE, taken := set()))
    set_up_sheet(
        summary,
        columns := summary_columns(),
        header_text=header_text,
        title=ledger_title(plan=plan, department=department, day=day),
        scope=scope,
    )

    pending = next(entries, None)
    written = 0
    summary_rows = []
    summary_text = Text(summary)
    for dept, assignments in by_department:
        ws = wb.create_sheet(sheet_title(dept.name, taken))
        set_up_sheet(
            ws,
            COLUMNS,
            header_text=f"{header_text} · {dept.name}",
            title=ledger_title(plan=plan, department=dept, day=day),
            scope=scope,
        )
        text = Text(ws)
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
                light_labels[assignment.light],
            ]
            key = (task.section.order, task.order, task.id)
            # Entries come in the same order as the assignments (department, then task):
            # skip any of a task the department is not assigned, then take this task's.
            while pending is not None and pending[0] == dept.id and pending[1:4] < key:
                pending = next(entries, None)
            had_entry = False
            while pending is not None and pending[0] == dept.id and pending[1:4] == key:
                (*_k, progress, problems, next_steps, evidence, state) = pending[:9]
                author, happened_on, updated_at, pk, version = pending[9:]
                ws.append(
                    # 序号 counts tasks: a task's further entries leave it blank.
                    ([None, *fixed[1:]] if had_entry else fixed)
                    + [
                        text(progress, column=7),
                        text(problems, column=8),
                        text(next_steps, column=9),
                        text(evidence or "", column=10),
                        state_labels[state],
                        text(author),
                        happened_on,
                        local(updated_at),
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
                ws.append(fixed)
        while pending is not None and pending[0] == dept.id:
            pending = next(entries, None)
        ws.append(total_row(ws, [TOTAL, f"共{len(assignments)}项任务，{count}条台账"]))
        written += count
        summary_rows.append(
            [
                summary_text(dept.name),
                len(assignments),
                *(lights[key] for key in Light.ORDER),
                count,
                local(last_update),
            ]
        )
    for row in summary_rows:
        summary.append(row)
    # The totals as values: every column summed, the latest update the latest of all.
    sums = [sum(row[i] for row in summary_rows) for i in range(1, len(columns) - 1)]
    latest = max((row[-1] for row in summary_rows if row[-1]), default=None)
    summary.append(total_row(summary, [TOTAL, *sums, latest]))
    wb.save(out)
    return written
