"""The department ledger in the browser. Thin: objects come through the selectors (404 for
what the user may not see), writes through the services (403/409 for what they refuse),
and a refused write re-renders the form with everything the user typed."""

import datetime

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from departments.access import department_of, is_office, role_required
from disclosure.confirm import ask, confirmed
from disclosure.errors import refused
from disclosure.redirects import redirect_to_next
from tasks_ledger.ledger import changes, markup, selectors, services
from tasks_ledger.ledger.forms import EntryForm, ReturnForm
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.ledger.status import Light
from tasks_ledger.plan.models import Deadline, Plan

TIMELINE_PAGE = 30
FORM_ERROR_FIELDS = {"url": "links", "doc_number": "doc_numbers", "file": "files"}


def _today():
    return timezone.localdate()


@role_required
@require_GET
def ledger_home(request):
    """The department's tasks in the current plan: lights, deadlines, latest entries."""
    plan = Plan.objects.current()
    rows = selectors.department_tasks(user=request.user, plan=plan, today=_today())
    wanted = request.GET.get("light", "")
    counts = {key: 0 for key in Light.ORDER}
    for row in rows:
        counts[row.light] += 1
    if wanted in Light.LABELS:
        rows = [row for row in rows if row.light == wanted]
    context = {
        "plan": plan,
        "rows": rows,
        "filters": [(key, Light.LABELS[key], counts[key]) for key in Light.ORDER],
        "wanted": wanted,
        "total": sum(counts.values()),
    }
    return render(request, "ledger/home.html", context)


@role_required
@require_GET
def task_detail(request, pk):
    """A task's full text, who is assigned, its deadlines and the ledger across departments."""
    task = selectors.task_for_user(user=request.user, pk=pk)
    today = _today()
    assignments = selectors.task_assignments(task=task, today=today)
    own = department_of(request.user)
    assigned = own is not None and any(a.department_id == own.pk for a in assignments)
    page = selectors.task_timeline(
        user=request.user, task=task, number=request.GET.get("page"), per_page=TIMELINE_PAGE
    )
    evidence_item = get_template("ledger/_evidence_item.html")
    context = {
        "timeline": markup.timeline_items(
            page.object_list,
            evidence=selectors.evidence_by_entry([row["id"] for row in page.object_list]),
            evidence_item=lambda ev: evidence_item.render({"ev": ev}),
        ),
        "task": task,
        "assignments": assignments,
        "deadlines": selectors.task_deadlines(task=task, today=today),
        "page": page,
        "may_create": selectors.can_create_entry(user=request.user, task=task, assigned=assigned),
    }
    # Only tasks whose deadlines start on an event carry statutory clocks; the template
    # asks the clocks for their panel ({% task_clocks %}).
    context["has_clocks"] = any(d.kind == Deadline.Kind.RELATIVE for d in context["deadlines"])
    return render(request, "ledger/task_detail.html", context)


def _form_errors(form, exc: services.EntryInvalid) -> None:
    for field, errors in exc.errors.items():
        # A piece of evidence's field ("evidence.0.url") is shown on the form's input.
        field = field.rsplit(".", 1)[-1]
        name = FORM_ERROR_FIELDS.get(field, field)
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


@role_required
@require_http_methods(["GET", "POST"])
def entry_create(request, task_pk):
    """Record a new entry for the user's department on a task (a draft, or submitted at once
    by whoever may submit)."""
    task = selectors.task_for_user(user=request.user, pk=task_pk)
    department = department_of(request.user)
    assigned = department is not None and task.assignments.filter(department=department).exists()
    if not selectors.can_create_entry(user=request.user, task=task, assigned=assigned):
        return refused(request, _("Only the departments assigned to this task record entries."))
    may_submit = selectors.may_submit_for(user=request.user, department=department)
    # Most entries are written the day the work is done: today saves the clerk a click.
    form = EntryForm(request.POST or None, request.FILES or None, initial={"happened_on": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.ledger_entry_record(
                task=task,
                department=department,
                by=request.user,
                data=form.entry_data(),
                evidence=form.evidence_items(),
                submit=_submitting(request, may_submit),
            )
        except services.EntryInvalid as exc:
            _form_errors(form, exc)
        else:
            _saved_message(request, entry, _("Draft saved."))
            return redirect("ledger:entry", pk=entry.pk)
    context = {"form": form, "task": task, "entry": None, "may_submit": may_submit}
    return render(request, "ledger/entry_form.html", context, status=_status_for(form))


def _submitting(request, may_submit: bool) -> bool:
    # Submitting is irreversible: only when asked for and confirmed (see _saved_message).
    return may_submit and "submit" in request.POST and confirmed(request)


def _saved_message(request, entry, saved: str) -> None:
    if entry.state == LedgerEntry.State.SUBMITTED:
        messages.success(request, _("Entry saved and submitted."))
    elif "submit" in request.POST:
        # Submitting is irreversible and was not confirmed (no JavaScript to ask): the text
        # is kept as a draft, and the entry's page asks before it goes.
        messages.warning(request, _("Draft saved, not yet submitted: submit it below."))
    else:
        messages.success(request, saved)


def _status_for(form) -> int:
    # A refused form is still a page with the user's text in it; 400 tells tools it failed.
    return 400 if form.is_bound and form.errors else 200


@role_required
@require_GET
def entry_detail(request, pk):
    entry = selectors.entry_for_user(user=request.user, pk=pk)
    return render(request, "ledger/entry_detail.html", _entry_context(request, entry))


def _entry_context(request, entry, **extra):
    user = request.user
    return {
        "entry": entry,
        "task": entry.task,
        "evidence": selectors.entry_evidence(entry=entry),
        "may_edit": selectors.can_edit_entry(user=user, entry=entry),
        "may_submit": selectors.can_submit_entry(user=user, entry=entry),
        "may_review": selectors.can_review_entry(user=user, entry=entry),
        "return_form": extra.pop("return_form", None) or ReturnForm(),
        **extra,
    }


@role_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk):
    """Correct a draft or a returned entry. The form carries the version it was read at; if
    someone saved in between, the save is refused and both versions are shown."""
    entry = selectors.entry_for_user(user=request.user, pk=pk)
    if not selectors.can_edit_entry(user=request.user, entry=entry):
        return refused(
            request, _("This entry cannot be changed by you in its current state."), entry=entry
        )
    may_submit = selectors.can_submit_entry(user=request.user, entry=entry)
    conflict = None
    if request.method == "POST":
        form = EntryForm(request.POST, request.FILES, instance=LedgerEntry())
        if form.is_valid():
            try:
                services.ledger_entry_revise(
                    entry=entry,
                    by=request.user,
                    version=form.cleaned_data["version"] or 0,
                    data=form.entry_data(),
                    evidence=form.evidence_items(),
                    submit=_submitting(request, may_submit),
                )
            except services.EntryConflict as exc:
                conflict = _conflict(form, exc.current)
            except services.EntryInvalid as exc:
                _form_errors(form, exc)
            except services.EntryLocked as exc:
                form.add_error(None, exc.message)
            else:
                _saved_message(request, entry, _("Changes saved."))
                return redirect("ledger:entry", pk=entry.pk)
    else:
        form = EntryForm(instance=entry, initial={"version": entry.version})
    context = {
        "form": form,
        "task": entry.task,
        "entry": entry,
        "evidence": selectors.entry_evidence(entry=entry),
        "may_submit": may_submit,
        "conflict": conflict,
    }
    status = 409 if conflict else _status_for(form)
    return render(request, "ledger/entry_form.html", context, status=status)


def _conflict(form, current: LedgerEntry) -> dict:
    """What the other person saved, beside what this user typed (which the form keeps), and
    the form moved on to the stored version so that saving again is a deliberate choice."""
    data = form.data.copy()
    data["version"] = current.version
    form.data = data
    rows = []
    for name in EntryForm.Meta.fields:
        field = LedgerEntry._meta.get_field(name)
        theirs = getattr(current, name)
        mine = form.cleaned_data.get(name)
        if field.choices:
            theirs_text = current._get_FIELD_display(field)
            mine_text = dict(field.choices).get(mine, mine)
        else:
            theirs_text, mine_text = theirs, mine
        rows.append(
            {
                "label": field.verbose_name,
                "theirs": theirs_text,
                "mine": mine_text,
                "differs": theirs != mine,
            }
        )
    return {"current": current, "rows": rows}


@role_required
@require_POST
def entry_submit(request, pk):
    entry = selectors.entry_for_user(user=request.user, pk=pk)
    if not selectors.may_write_for(user=request.user, department=entry.department):
        return refused(request, _("Only the department's own people submit its entries."))
    if not selectors.may_submit_for(user=request.user, department=entry.department):
        return refused(
            request, _("Only the department head submits this department's entries."), entry=entry
        )
    if not confirmed(request):
        return ask(
            request,
            question=_(
                "Submit this entry to the bureau office? It can no longer be edited afterwards."
            ),
            details=[entry],
            cancel_url=reverse("ledger:entry", args=[entry.pk]),
        )
    services.ledger_entry_submit(entry=entry, by=request.user, version=_posted_version(request))
    messages.success(request, _("Entry submitted to the bureau office."))
    return redirect("ledger:entry", pk=entry.pk)


def _posted_version(request) -> int | None:
    return services.version_from(request.POST.get("version"))


@role_required
@require_POST
def entry_accept(request, pk):
    entry = selectors.entry_for_user(user=request.user, pk=pk)
    if not is_office(request.user):
        return refused(
            request, _("Only the bureau office accepts or returns entries."), entry=entry
        )
    if not confirmed(request):
        return ask(
            request,
            question=_("Accept this entry? An accepted entry is locked."),
            details=[entry],
            cancel_url=reverse("ledger:entry", args=[entry.pk]),
        )
    services.ledger_entry_accept(entry=entry, by=request.user, version=_posted_version(request))
    messages.success(request, _("Entry accepted."))
    # From the review queue, back to the queue (where the next one waits).
    return redirect_to_next(request, "ledger:entry", pk=entry.pk)


@role_required
@require_POST
def entry_return(request, pk):
    entry = selectors.entry_for_user(user=request.user, pk=pk)
    if not is_office(request.user):
        return refused(request, _("Only the bureau office accepts or returns entries."))
    form = ReturnForm(request.POST)
    if not form.is_valid():
        context = _entry_context(request, entry, return_form=form)
        return render(request, "ledger/entry_detail.html", context, status=400)
    services.ledger_entry_return(
        entry=entry,
        by=request.user,
        reason=form.cleaned_data["reason"],
        version=_posted_version(request),
    )
    messages.success(request, _("Entry returned to the department."))
    return redirect("ledger:entry", pk=entry.pk)


@role_required
@require_POST
def evidence_remove(request, pk):
    evidence = selectors.evidence_for_user(user=request.user, pk=pk)
    entry = selectors.entry_for_user(user=request.user, pk=evidence.entry_id)
    services.evidence_remove(evidence=evidence, by=request.user)
    if request.headers.get("HX-Request"):
        # htmx swaps the evidence list in place: no page load, the form keeps its text.
        context = {"entry": entry, "evidence": selectors.entry_evidence(entry=entry)}
        context["may_edit"] = True
        return render(request, "ledger/_evidence.html", context)
    messages.success(request, _("Evidence removed."))
    return redirect("ledger:entry-edit", pk=entry.pk)


@role_required
@require_GET
def evidence_download(request, pk):
    """An evidence file, only to those who may see its entry, as an attachment under the
    name it was uploaded with (never rendered in the browser)."""
    evidence, handle = selectors.evidence_file_open(user=request.user, pk=pk)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.filename or "evidence",
        content_type="application/octet-stream",
    )


@role_required
@require_GET
def entry_history(request, pk):
    entry = selectors.entry_for_user(user=request.user, pk=pk)
    events = changes.entry_history(entry=entry, user=request.user)
    for event in events:
        for change in event["changes"]:
            change["old"] = _history_value(change["old"])
            change["new"] = _history_value(change["new"])
    context = {"entry": entry, "task": entry.task, "events": events}
    return render(request, "ledger/entry_history.html", context)


def _history_value(value):
    """A changed time (submitted, reviewed) as the other pages show it: Beijing time,
    Y-m-d H:i. The change table prints values as text, which showed raw UTC ISO stamps."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    return value
