"""The round sheet as an .xlsx workbook: every task × department with its finding, and the
departments' totals. Text is written as text: a cell that starts with = + - @ is never a
formula when opened."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from tasks_ledger.cells import keep_as_text
from tasks_ledger.ledger.status import Light
from tasks_ledger.plan.models import Assignment, ReviewRound
from tasks_ledger.reviews.consolidation import consolidations_of_round
from tasks_ledger.reviews.models import Consolidation, Finding
from tasks_ledger.reviews.selectors import round_rows, round_totals, score_difference


def put(ws, row: int, column: int, value):
    """Write a value; text starting like a formula is stored as a string cell."""
    return keep_as_text(ws.cell(row=row, column=column, value=value))


def round_workbook(*, review_round: ReviewRound, user) -> bytes:
    rows = round_rows(review_round=review_round, user=user)
    totals = round_totals(review_round=review_round)
    ratings = dict(Finding.Rating.choices)
    roles = dict(Assignment.Role.choices)

    book = Workbook()
    sheet = book.active
    sheet.title = _("Findings")[:31]
    headers = [
        _("Task"),
        _("Title"),
        _("Department"),
        _("Role"),
        _("Status on %(date)s") % {"date": review_round.date.isoformat()},
        _("rating"),
        _("score"),
        _("comment"),
        # The department's self-assessment beside the office's finding (assessments).
        _("self-grade"),
        _("self-assessed score"),
        _("Difference"),
    ]
    for column, header in enumerate(headers, start=1):
        put(sheet, 1, column, header).font = Font(bold=True)
    consolidations = consolidations_of_round(review_round=review_round, user=user)
    states = dict(Consolidation.State.choices)
    r, task_id = 1, None
    for row in rows:
        r += 1
        if row.task_id != task_id and row.task_id in consolidations:
            # The lead's consolidated progress first, the task's departments under it.
            c = consolidations[row.task_id]
            cites = "、".join(
                f"{e.department.name} {e.happened_on.isoformat()}" for e in c.cited.all()
            )
            values = [
                row.task.code,
                row.task.title,
                c.department.name,
                _("Consolidated progress"),
                str(states[c.state]),
                "",
                None,
                c.text + (f"\n{_('Cites:')} {cites}" if cites else ""),
            ]
            for column, value in enumerate(values, start=1):
                put(sheet, r, column, value).alignment = Alignment(wrap_text=column in (2, 8))
            r += 1
        task_id = row.task_id
        values = [
            row.task.code,
            row.task.title,
            row.department.name,
            str(roles.get(row.role, row.role)),
            str(Light.LABELS.get(row.light, row.light)),
            str(ratings.get(row.finding_rating, "")) if row.finding_rating else "",
            float(row.finding_score) if row.finding_score is not None else None,
            row.finding_comment or "",
            str(ratings.get(row.self_rating, "")) if row.self_rating else "",
            float(row.self_score) if row.self_score is not None else None,
            float(difference) if (difference := score_difference(row)) is not None else None,
        ]
        for column, value in enumerate(values, start=1):
            put(sheet, r, column, value).alignment = Alignment(wrap_text=column in (2, 8))
    widths = [10, 40, 14, 8, 14, 14, 8, 50, 14, 10, 8]
    for column, width in zip("ABCDEFGHIJK", widths, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"

    summary = book.create_sheet(_("Totals")[:31])
    for column, header in enumerate(
        [_("Department"), _("Findings recorded"), _("Scored"), _("Total")], start=1
    ):
        put(summary, 1, column, header).font = Font(bold=True)
    for r, row in enumerate(totals, start=2):
        put(summary, r, 1, row["name"])
        put(summary, r, 2, row["findings"])
        put(summary, r, 3, row["scored"])
        put(summary, r, 4, float(row["total"]) if row["total"] is not None else None)
    summary.column_dimensions["A"].width = 16

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
