"""The consolidated progress page of a task at a round: the lead department writes it citing
its partners' entries, asks a partner for an update, submits; the office reads, accepts or
returns. Anyone else gets a 403."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.access import is_office, reader_required
from departments.models import Department
from tasks_ledger.plan.models import Assignment, ReviewRound, Task
from tasks_ledger.reviews.consolidation import (
    ConsolidationError,
    consolidation_review,
    consolidation_save,
    consolidation_submit,
    lead_department,
    partner_entries,
    partner_update_request,
)
from tasks_ledger.reviews.models import Consolidation


def _context(request, pk, task_pk):
    review_round = get_object_or_404(ReviewRound.objects.select_related("plan"), pk=pk)
    task = get_object_or_404(
        Task.objects.with_code(),
        pk=task_pk,
        plan=review_round.plan_id,
    )
    office = is_office(request.user)
    lead = lead_department(task=task, user=request.user)
    if not office and lead is None:
        # The consolidation is the lead's and the office's: to anyone else it does not exist.
        raise Http404
    return review_round, task, office, lead


@reader_required
def consolidation_page(request, pk, task_pk):
    review_round, task, office, lead = _context(request, pk, task_pk)
    current = Consolidation.objects.filter(round=review_round, task=task).first()
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("accept", "return"):
                if current is None:
                    raise ConsolidationError(_("There is nothing to review yet."))
                consolidation_review(
                    consolidation=current,
                    by=request.user,
                    accept=action == "accept",
                    reason=request.POST.get("reason", ""),
                )
            else:
                version = request.POST.get("version")
                saved = consolidation_save(
                    review_round=review_round,
                    task=task,
                    by=request.user,
                    text=request.POST.get("text", ""),
                    cited_ids=request.POST.getlist("cited"),
                    version=int(version) if version and version.isdigit() else None,
                )
                if action == "submit":
                    consolidation_submit(consolidation=saved, by=request.user)
        except ConsolidationError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("reviews:consolidation", pk=pk, task_pk=task_pk)
    partners = Assignment.objects.filter(task=task, role=Assignment.Role.PARTNER).select_related(
        "department"
    )
    return render(
        request,
        "reviews/consolidation.html",
        {
            "round": review_round,
            "task": task,
            "lead": lead,
            "current": current,
            "cited": set(current.cited.values_list("pk", flat=True)) if current else set(),
            "entries": partner_entries(task=task),
            "partners": partners,
            "editable": lead is not None and (current is None or current.is_editable),
            "error": error,
            "text": request.POST.get("text") if error else (current.text if current else ""),
        },
    )


@reader_required
@require_POST
def consolidation_ask(request, pk, task_pk, department_pk):
    _round, task, _office, _lead = _context(request, pk, task_pk)
    partner = get_object_or_404(Department, pk=department_pk)
    try:
        sent = partner_update_request(
            task=task, partner=partner, by=request.user, message=request.POST.get("message", "")
        )
    except ConsolidationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(department)s was asked for an update (%(n)s people).")
            % {"department": partner.name, "n": sent},
        )
    return redirect("reviews:consolidation", pk=pk, task_pk=task_pk)
