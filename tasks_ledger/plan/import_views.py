"""The plan import page (/plans/import/): read a plan document into a draft, preview and
correct it, commit it. Only the bureau office and administrators may; everyone else
signed in gets 403, and a draft is seen only by whoever read it in (404 for others)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.access import office_required
from departments.models import Department
from departments.services import DepartmentAliasError
from disclosure.uploads import UnsafeFile, check_size
from tasks_ledger.plan import drafts
from tasks_ledger.plan.forms import (
    ROLE_CHOICES,
    ImportSourceForm,
    UnitMappingForm,
    YearForm,
    task_correction,
)
from tasks_ledger.plan.models import ImportDraft
from tasks_ledger.plan.plan_json import PlanFormatError
from tasks_ledger.plan.preview import import_preview
from tasks_ledger.plan.sources import read_plan_bytes


def _draft(request, pk) -> ImportDraft:
    # Drafts are their owner's: another's answers like one that does not exist.
    return get_object_or_404(ImportDraft, pk=pk, owner=request.user)


def _reason(exc: PlanFormatError, name: str = "") -> str:
    """A reading error in the clerk's language: the place, then the reason. The page names
    the file already, so a place that starts with its name loses it."""
    return exc.translated(without=name)


@office_required
def import_start(request):
    drafts.import_drafts_discard_stale()
    form = ImportSourceForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload:
                # Refused by its size before a byte of it is read (the readers' limit).
                check_size(name=upload.name, size=upload.size)
                name, data = upload.name, upload.read()
            else:
                name = _("pasted text") + ".txt"
                data = form.cleaned_data["text"].encode("utf-8")
            draft = drafts.import_draft_create(
                owner=request.user, file_name=name, data=read_plan_bytes(name=name, data=data)
            )
        except UnsafeFile as exc:
            error = _("%(file)s could not be read: %(reason)s") % {
                "file": exc.name,
                "reason": exc.reason,
            }
        except PlanFormatError as exc:
            error = _("%(file)s could not be read: %(reason)s") % {
                "file": name,
                "reason": _reason(exc, name),
            }
        else:
            return redirect("plans:draft", pk=draft.pk)
    own = ImportDraft.objects.filter(owner=request.user).only("pk", "file_name", "updated_at")
    return render(
        request,
        "plan/import_start.html",
        {"form": form, "error": error, "drafts": own},
        status=400 if error or form.errors else 200,
    )


@office_required
def import_draft(request, pk):
    draft = _draft(request, pk)
    preview = import_preview(data=draft.data)
    return render(
        request,
        "plan/import_draft.html",
        {
            "draft": draft,
            "preview": preview,
            "year_form": YearForm(initial={"year": draft.data.get("year")}),
            # Listed once for every unknown unit's choice (one query, not one per unit).
            "departments": list(Department.objects.filter(active=True)) if preview.unknown else [],
        },
    )


def _indexes(path: str) -> tuple[int, ...]:
    return tuple(int(part) for part in path.split("."))


def _back(draft, anchor=""):
    return redirect(reverse("plans:draft", args=[draft.pk]) + (f"#{anchor}" if anchor else ""))


@office_required
@require_POST
def import_draft_year(request, pk):
    draft = _draft(request, pk)
    form = YearForm(request.POST)
    if form.is_valid():
        drafts.import_draft_set_year(draft=draft, year=form.cleaned_data["year"])
        messages.success(request, _("Year set to %(year)s.") % form.cleaned_data)
    else:
        messages.error(request, _("The year must be a year such as 2016."))
    return _back(draft)


@office_required
def import_draft_task(request, pk, path):
    """GET: the task's correction form (fetched by htmx when opened); POST: save it."""
    draft = _draft(request, pk)
    anchor = f"task-{path}"
    if request.method != "POST":
        try:
            task = drafts.task_at(draft.data, _indexes(path))
        except (PlanFormatError, ValueError):
            raise Http404 from None
        return render(
            request,
            "plan/_import_task_form.html",
            {"draft": draft, "path": path, "task": task, "role_choices": ROLE_CHOICES},
        )
    try:
        indexes = _indexes(path)
        task = drafts.task_at(draft.data, indexes)
        drafts.import_draft_correct_task(
            draft=draft, path=indexes, **task_correction(request.POST, task)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PlanFormatError as exc:
        messages.error(request, _("Not saved: %(reason)s") % {"reason": _reason(exc)})
    except ValueError:  # a path that is not a task's (a hand-made form)
        messages.error(
            request,
            _("Not saved: %(reason)s") % {"reason": _("That task is no longer in the draft.")},
        )
    else:
        messages.success(request, _("Task corrected."))
    return _back(draft, anchor)


@office_required
@require_POST
def import_draft_map(request, pk):
    draft = _draft(request, pk)
    form = UnitMappingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the department this unit is."))
        return _back(draft, "unknown-units")
    name, department = form.cleaned_data["name"], form.cleaned_data["department"]
    try:
        drafts.import_draft_map_unit(draft=draft, name=name, department=department, by=request.user)
    except DepartmentAliasError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(name)s is read as %(department)s, now and in later imports.")
            % {"name": name, "department": department.name},
        )
    return _back(draft, "unknown-units")


@office_required
@require_POST
def import_draft_commit(request, pk):
    draft = _draft(request, pk)
    preview = import_preview(data=draft.data)
    diff = preview.diff
    if draft.data.get("year") is None:
        messages.error(request, _("Set the plan's year before importing it."))
        return _back(draft)
    if diff.blocked:
        messages.error(
            request,
            _(
                "These tasks have ledger entries or review findings and cannot be removed: "
                "%(tasks)s."
            )
            % {"tasks": "、".join(ref.code for ref in diff.blocked)},
        )
        return _back(draft, "removed")
    if diff.blocked_rounds:
        messages.error(
            request,
            _(
                "These review rounds hold findings but are not in this plan, so it cannot be "
                "imported: %(rounds)s."
            )
            % {"rounds": "、".join(diff.blocked_rounds)},
        )
        return _back(draft)
    allow = bool(request.POST.get("allow_removals"))
    if diff.removed and not allow:
        messages.error(
            request,
            _("Importing removes %(count)s task(s): tick the confirmation to remove them.")
            % {"count": len(diff.removed)},
        )
        return _back(draft, "removed")
    try:
        plan, summary = drafts.import_draft_commit(
            draft=draft, by=request.user, allow_removals=allow
        )
    except PlanFormatError as exc:
        messages.error(request, _("Not imported: %(reason)s") % {"reason": _reason(exc)})
        return _back(draft)
    messages.success(
        request,
        _("Plan %(year)s imported: %(created)s created, %(updated)s updated, %(deleted)s removed.")
        % {
            "year": plan.year,
            "created": summary.created,
            "updated": summary.updated,
            "deleted": summary.deleted,
        },
    )
    return redirect("plan-overview")


@office_required
@require_POST
def import_draft_discard(request, pk):
    _draft(request, pk).delete()
    messages.success(request, _("Draft discarded."))
    return redirect("plans:import")
