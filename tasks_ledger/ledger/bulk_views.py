"""The two lists that wait on someone, and acting on them in bulk: the office's 待审核
(review queue), accepted many at a time, and the head's 待报送 list (the department's
drafts, and its returned entries, filterable by task and author), submitted many at a time.

Each entry still goes through its one service (ledger_entry_submit, ledger_entry_accept),
with the version the page showed, in its own transaction: one refusal (a stale version,
an entry not the user's) stops nothing else, and the page then says which were refused and
why. Both steps are irreversible, so they ask first (disclosure/confirm.py)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from departments.access import (
    department_of,
    department_required,
    head_required,
    is_head,
    office_required,
)
from departments.models import Department
from disclosure.confirm import ask, confirmed
from disclosure.redirects import redirect_to_next
from tasks_ledger.errors import DomainError
from tasks_ledger.ledger import kept_pages, markup, selectors, services
from tasks_ledger.ledger.bulk_selectors import (
    unsent_entries,
    unsent_filter_choices,
)
from tasks_ledger.ledger.models import EDITABLE_STATES, LedgerEntry
from tasks_ledger.plan.models import Plan, code_related

UNSENT_PAGE = 100
QUEUE_PAGE = 50


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@office_required
@require_GET
def review_queue(request):
    """The office's queue (待审核): the current plan's submitted entries waiting to be
    accepted or returned, the longest waiting first, optionally one department's."""
    plan = Plan.objects.current()
    department = None
    if request.GET.get("department"):
        department = get_object_or_404(Department, code=request.GET["department"])
    body = None
    if plan is not None:

        def build(*, csrf_token, today):
            page = Paginator(
                selectors.awaiting_review(plan=plan, department=department), QUEUE_PAGE
            ).get_page(request.GET.get("page"))
            by_department = selectors.awaiting_review_by_department(plan=plan)
            page.object_list = list(page.object_list)
            rows = markup.review_rows(
                page.object_list,
                csrf_token=csrf_token,
                next_path=request.get_full_path(),
                now=timezone.now(),
            )
            context = {
                "plan": plan,
                "page": page,
                "department": department,
                "by_department": by_department,
                "total": sum(n for _code, _name, n in by_department),
                "rows": rows,
                "request": request,
                "csrf_token": csrf_token,
            }
            return get_template("ledger/_review_body.html").render(context), None

        # Kept from the last request that asked the same while nothing it shows changed.
        body, _none = kept_pages.kept_body(request, page="review", plan=plan, build=build)
        body = mark_safe(body)  # our own template's output
    return render(request, "ledger/review_queue.html", {"plan": plan, "body": body})


@department_required
@require_GET
def unsent_list(request):
    """待报送 (drafts) or 被退回 (returned): the department's entries not with the office.
    Its people read it; its head submits from it."""
    department = department_of(request.user)
    plan = Plan.objects.current()
    state = request.GET.get("state", LedgerEntry.State.DRAFT)
    if state not in EDITABLE_STATES:
        state = LedgerEntry.State.DRAFT
    task_id, author_id = _int(request.GET.get("task")), _int(request.GET.get("author"))
    tasks, authors = unsent_filter_choices(department=department, plan=plan, state=state)
    task = next((t for t in tasks if t.pk == task_id), None)
    author = next((a for a in authors if a.pk == author_id), None)
    entries = unsent_entries(
        department=department, plan=plan, state=state, task=task, author=author
    )
    page = Paginator(entries, UNSENT_PAGE).get_page(request.GET.get("page"))
    context = {
        "plan": plan,
        "department": department,
        "state": state,
        "returned": state == LedgerEntry.State.RETURNED,
        "states": [(s, LedgerEntry.State(s).label) for s in EDITABLE_STATES],
        "tasks": tasks,
        "authors": authors,
        "task": task,
        "author": author,
        "page": page,
        "may_submit": is_head(request.user),
    }
    return render(request, "ledger/unsent.html", context)


def _chosen(request) -> list[int]:
    """The entry ids ticked, in the order posted, each once; junk ignored."""
    ids = []
    for value in request.POST.getlist("entry"):
        pk = _int(value)
        if pk is not None and pk not in ids:
            ids.append(pk)
    return ids


def _label(entry: LedgerEntry) -> str:
    return f"{entry.task.code} · {entry.happened_on:%Y-%m-%d} · {entry.summary[:30]}"


def _entries(request, ids):
    """The chosen entries the user may see, by id (what they may not see is left out and
    reported as not found, as a single lookup would answer 404)."""
    rows = selectors.entries_visible_to(user=request.user).filter(pk__in=ids)
    rows = rows.select_related(*code_related("task"), "department")
    return {entry.pk: entry for entry in rows}


def _each(request, ids, act) -> tuple[list, list]:
    """Run `act` (a ledger service) on every chosen entry with its posted version; the
    entries it did and (label, reason) for those it refused."""
    found = _entries(request, ids)
    done, refused = [], []
    for pk in ids:
        entry = found.get(pk)
        if entry is None:
            refused.append((f"#{pk}", _("No such entry, or not one you may see.")))
            continue
        try:
            act(entry=entry, by=request.user, version=_int(request.POST.get(f"version-{pk}")))
        except DomainError as exc:
            refused.append((_label(entry), exc.message))
        else:
            done.append(entry)
    return done, refused


def _report(request, *, done: list, refused: list, done_message) -> None:
    if done:
        messages.success(request, done_message(len(done)))
    for label, reason in refused:
        messages.error(
            request, _("Refused: %(entry)s: %(reason)s") % {"entry": label, "reason": reason}
        )


def _bulk(request, *, question, act, done_message, cancel_url):
    ids = _chosen(request)
    if not ids:
        messages.error(request, _("Tick at least one entry first."))
        return redirect_to_next(request, cancel_url)
    if not confirmed(request):
        found = _entries(request, ids)
        details = [_label(found[pk]) for pk in ids if pk in found]
        return ask(request, question=question(len(ids)), details=details, cancel_url=cancel_url)
    done, refused = _each(request, ids, act)
    _report(request, done=done, refused=refused, done_message=done_message)
    return redirect_to_next(request, cancel_url)


@head_required
@require_POST
def bulk_submit(request):
    """The head submits the ticked entries of the department to the bureau office."""
    return _bulk(
        request,
        question=lambda n: (
            ngettext(
                "Submit %(n)d entry to the bureau office? It can no longer be edited afterwards.",
                "Submit %(n)d entries to the bureau office? "
                "They can no longer be edited afterwards.",
                n,
            )
            % {"n": n}
        ),
        act=services.ledger_entry_submit,
        done_message=lambda n: (
            ngettext(
                "%(n)d entry submitted to the bureau office.",
                "%(n)d entries submitted to the bureau office.",
                n,
            )
            % {"n": n}
        ),
        cancel_url=reverse("ledger:unsent"),
    )


@office_required
@require_POST
def bulk_accept(request):
    """The office accepts the ticked entries of its queue (待审核)."""
    return _bulk(
        request,
        question=lambda n: (
            ngettext(
                "Accept %(n)d entry? An accepted entry is locked.",
                "Accept %(n)d entries? Accepted entries are locked.",
                n,
            )
            % {"n": n}
        ),
        act=services.ledger_entry_accept,
        done_message=lambda n: (
            ngettext("%(n)d entry accepted.", "%(n)d entries accepted.", n) % {"n": n}
        ),
        cancel_url=reverse("ledger:review-queue"),
    )
