"""The office's review queue and a task's timeline: their repeated rows as HTML built here.

Both pages are mostly one list (50 entries waiting, 30 entries of a task), and the template
engine spends about twenty function calls on each variable it prints: the rows were most of
either page's cost, the review queue the costliest page the office opens. One `format_html`
per row, which escapes every value (no name or summary can inject markup), does the same
work for a fraction of it. The markup is the templates' as it was; the rest of each page
stays in its template (templates/ledger/review_queue.html, task_detail.html), and the
dashboard's matrix is built the same way (dashboard/markup.py).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from departments.people import display_name
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.ledger.templatetags.ledger_tags import state_badge

QUEUE_ROW = (
    '<tr data-entry="{id}">'
    '<td class="pick"><input type="checkbox" name="entry" value="{id}" form="bulk-accept" '
    'aria-label="{code} {department}"><input type="hidden" name="version-{id}" '
    'value="{version}" form="bulk-accept"></td>'
    '<td>{submitted}<div class="muted">{waiting}</div></td>'
    '<td data-label="{t_department}"><span class="tag">{department}</span></td>'
    '<td><a href="{url}"><span class="code">{code}</span> {summary}</a>'
    '<div class="muted">{title}</div></td>'
    '<td data-label="{t_date}">{happened_on}</td>'
    '<td data-label="{t_progress}">{status}</td>'
    '<td data-label="{t_evidence}">{evidence}</td>'
    '<td data-label="{t_author}">{author}</td>'
    '<td class="queue-actions">'
    '<form method="post" action="{accept_url}" class="inline" data-confirm="{t_accept_one}">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">'
    '<input type="hidden" name="version" value="{version}">'
    '<input type="hidden" name="next" value="{next}">'
    '<button class="primary" type="submit">{t_accept}</button></form> '
    '<a class="button secondary" href="{url}#return-entry">{t_return}</a></td></tr>'
)
NO_EVIDENCE = '<span class="muted" title="{}">0</span>'

TIMELINE_ITEM = (
    '<li class="timeline-item tl-{state}" id="entry-{id}">'
    '<div class="timeline-head"><time datetime="{happened_on}">{happened_on}</time> '
    "<b>{department}</b> {badge} "
    '<span class="tag">{status}</span></div>'
    '<p class="body">{summary}</p>{evidence}'
    '<p class="muted small">{author} · <a href="{url}">{t_open}</a></p></li>'
)


def url_by_id(name: str):
    """`reverse(name, args=[pk])` as a function of the pk, reversed once per page: a
    reverse() costs more than the rest of a row."""
    marker = 987654321
    pattern = reverse(name, args=[marker])
    return lambda pk: pattern.replace(str(marker), str(pk))


def shortened(text: str, length: int) -> str:
    """`text` cut to `length` characters, the last an ellipsis (the template filter
    truncatechars, without its cost per call)."""
    return text if len(text) <= length else text[: length - 1] + "…"


def review_rows(entries, *, csrf_token: str, next_path: str, now) -> SafeString:
    """The review queue's rows for `entries` (with task, department, author and
    `evidence_count` loaded)."""
    entry_url, accept_url = url_by_id("ledger:entry"), url_by_id("ledger:entry-accept")
    words = {
        "t_department": _("Department"),
        "t_date": _("Date of the work"),
        "t_progress": _("Progress"),
        "t_evidence": _("Evidence"),
        "t_author": _("Author"),
        "t_accept_one": _("Accept this entry? An accepted entry is locked."),
        "t_accept": _("Accept"),
        "t_return": _("Return…"),
    }
    no_evidence = format_html(NO_EVIDENCE, _("No evidence attached"))
    rows = []
    for entry in entries:
        submitted = timezone.localtime(entry.submitted_at)
        rows.append(
            format_html(
                QUEUE_ROW,
                id=entry.id,
                version=entry.version,
                code=entry.task.code,
                department=entry.department.name,
                submitted=f"{submitted:%Y-%m-%d %H:%M}",
                waiting=_("waiting %(wait)s") % {"wait": timesince(entry.submitted_at, now)},
                url=entry_url(entry.id),
                summary=shortened(entry.summary, 60),
                title=shortened(entry.task.title, 40),
                happened_on=f"{entry.happened_on:%Y-%m-%d}",
                status=entry.get_status_display(),
                evidence=entry.evidence_count or no_evidence,
                author=display_name(entry.author),
                accept_url=accept_url(entry.id),
                csrf_token=csrf_token,
                next=next_path,
                **words,
            )
        )
    return mark_safe("".join(rows))


def timeline_items(rows, *, evidence, evidence_item) -> SafeString:
    """A task's timeline for `rows` (selectors.task_timeline's), `evidence` each row's
    evidence by its id; `evidence_item(evidence)` renders one piece of evidence as the entry
    page does."""
    entry_url = url_by_id("ledger:entry")
    t_open = _("Open entry")
    statuses = dict(LedgerEntry.Status.choices)
    items = []
    for row in rows:
        listed = ""
        if attached := evidence[row["id"]]:
            listed = format_html(
                '<ul class="evidence-inline">{}</ul>',
                mark_safe(
                    "".join(format_html("<li>{}</li>", evidence_item(ev)) for ev in attached)
                ),
            )
        items.append(
            format_html(
                TIMELINE_ITEM,
                state=row["state"],
                id=row["id"],
                happened_on=f"{row['happened_on']:%Y-%m-%d}",
                department=row["department_name"],
                badge=state_badge(row["state"]),
                status=statuses.get(row["status"], row["status"]),
                summary=row["summary"],
                evidence=listed,
                author=row["author_name"],
                url=entry_url(row["id"]),
                t_open=t_open,
            )
        )
    return mark_safe("".join(items))
