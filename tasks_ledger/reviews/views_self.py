"""Self-assessment pages: the office hands the forms out (with a due date); a department
fills in its own and the head submits it; the office reads any department's
(?department=<code>). A department never sees another's: it always gets its own."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.access import is_office, office_required, reader_required
from departments.models import Department
from tasks_ledger.plan.models import ReviewRound
from tasks_ledger.reviews.models import Finding, SelfAssessment
from tasks_ledger.reviews.self_assessment import (
    SelfAssessmentError,
    self_assessment_for,
    self_assessment_save,
    self_assessment_submit,
    self_assessments_open,
)


@office_required
@require_POST
def self_assessments_hand_out(request, pk):
    review_round = get_object_or_404(ReviewRound, pk=pk)
    try:
        due_on = datetime.date.fromisoformat(request.POST.get("due_on", ""))
    except ValueError:
        messages.error(request, _("Give the date the self-assessments are due."))
        return redirect("reviews:round", pk=pk)
    try:
        n = self_assessments_open(review_round=review_round, due_on=due_on, by=request.user)
    except SelfAssessmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Self-assessments handed out to %(n)s departments, due on %(due)s.")
            % {"n": n, "due": due_on.isoformat()},
        )
    return redirect("reviews:round", pk=pk)


def _items_from_post(post, form: SelfAssessment) -> dict[int, dict]:
    return {
        item.pk: {
            "rating": post.get(f"rating-{item.pk}", ""),
            "score": post.get(f"score-{item.pk}", ""),
            "explanation": post.get(f"explanation-{item.pk}", ""),
            "evidence": post.get(f"evidence-{item.pk}", ""),
        }
        for item in form.items.all()
    }


@reader_required
def self_assessment_page(request, pk):
    office = is_office(request.user)
    review_round = get_object_or_404(
        ReviewRound.objects.select_related("plan"), pk=pk, kind=ReviewRound.Kind.ASSESSMENT
    )
    department = None
    if office and request.GET.get("department"):
        department = get_object_or_404(Department, code=request.GET["department"])
    form = self_assessment_for(user=request.user, review_round=review_round, department=department)
    error = None
    if request.method == "POST":
        if form is None or office:
            raise PermissionDenied
        try:
            self_assessment_save(
                self_assessment=form, by=request.user, items=_items_from_post(request.POST, form)
            )
            if request.POST.get("action") == "submit":
                self_assessment_submit(self_assessment=form, by=request.user)
                messages.success(request, _("The self-assessment is submitted."))
            else:
                messages.success(request, _("Saved."))
        except SelfAssessmentError as exc:
            error = str(exc)
        else:
            return redirect("reviews:self-assessment", pk=pk)
        form = self_assessment_for(user=request.user, review_round=review_round)
    submitted = SelfAssessment.objects.none()
    if office:
        submitted = review_round.self_assessments.select_related("department")
    return render(
        request,
        "reviews/self_assessment.html",
        {
            "round": review_round,
            "form": form,
            "editable": form is not None
            and not office
            and form.status == SelfAssessment.Status.DRAFT,
            "ratings": Finding.Rating.choices,
            "all_forms": submitted,
            "error": error,
            "posted": request.POST if error else None,
        },
    )
