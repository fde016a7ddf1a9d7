"""The matrix's cells as HTML built here rather than in the template.

The matrix is the page's one large repeated part (tasks × departments cells), and the
template engine spends about twenty function calls on each variable it prints: the cells
were a quarter of the dashboard's rendering. One `format_html` per cell, which escapes every
value (a department's name cannot inject markup), does the same work for a tenth of that.
The markup is the template's as it was; the rest of the page stays in
templates/dashboard/dashboard.html.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

CELL = (
    '<td class="cell light-{light}" data-light="{light}" title="{department} · {label}">'
    '<a class="cell-link" href="{url}"><span class="light-dot" aria-hidden="true"></span>'
    '<span class="cell-label">{label}</span> <span class="cell-date">{date}</span></a></td>'
)
EMPTY_CELL = '<td class="cell cell-none"></td>'


def matrix_cells(cells: list, *, url: str) -> SafeString:
    """The <td>s of one task's row: each assignment row's light, label and latest date
    linked to the task, or an empty cell where the department is not assigned."""
    return mark_safe(
        "".join(
            format_html(
                CELL,
                light=cell.light,
                department=cell.department.name,
                label=cell.label,
                url=url,
                date=cell.date_label,
            )
            if cell
            else EMPTY_CELL
            for cell in cells
        )
    )
