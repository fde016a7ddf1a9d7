"""Review pages: the rounds, a round's sheet (the office: every task × department; a
department: its own rows and findings), the office's finding form, and the .xlsx export.

Only the office writes; a department reading is fine, a department writing is a 403.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from departments.access import department_of, is_office, office_required, reader_required
from disclosure.confirm import ask, confirmed
from disclosure.downloads import content_disposition
from tasks_ledger.errors import DomainError
from tasks_ledger.ledger import services as ledger_services
from tasks_ledger.ledger.forms import ReturnForm
from tasks_ledger.ledger.selectors import entries_visible_to
from tasks_ledger.ledger.status import Light
from tasks_ledger.plan.models import Assignment, ReviewRound
from tasks_ledger.reviews import services
from tasks_ledger.reviews.consolidation import consolidations_of_round
from tasks_ledger.reviews.export import round_workbook
from tasks_ledger.reviews.forms import FindingForm
from tasks_ledger.reviews.models import Finding
from tasks_ledger.reviews.selectors import (
    assignment_in_round,
    entries_for_review,
    round_rows,
    round_totals,
    round_unrated_count,
    rounds_for,
    score_difference,
)
from tasks_ledger.reviews.self_assessment import self_assessment_item_for

ROUND_FILE_WORDS = {ReviewRound.Kind.CHECK: "检查", ReviewRound.Kind.ASSESSMENT: "考评验收"}


@reader_required
def round_list(request):
    rounds = rounds_for(user=request.user).order_by("-plan__year", "date", "id")
    return render(request, "reviews/round_list.html", {"rounds": rounds})


@reader_required
def round_detail(request, pk):
    review_round = get_object_or_404(rounds_for(user=request.user), pk=pk)
    office = is_office(request.user)
    totals = []
    if review_round.kind == ReviewRound.Kind.ASSESSMENT:
        totals = round_totals(
            review_round=review_round,
            department=None if office else department_of(request.user),
        )
    rows = round_rows(review_round=review_round, user=request.user)
    # The lead's consolidated progress of each task, shown first, its departments under it.
    consolidations = consolidations_of_round(review_round=review_round, user=request.user)
    ratings = dict(Finding.Rating.choices)
    for row in rows:
        row.light_label = Light.LABELS.get(row.light, row.light)
        row.rating_label = ratings.get(row.finding_rating, "")
        row.self_label = ratings.get(row.self_rating, "")
        row.difference = score_difference(row)
        row.consolidation = consolidations.get(row.task_id)
    return render(
        request,
        "reviews/round_detail.html",
        {
            "round": review_round,
            "rows": rows,
            "totals": totals,
        },
    )


@office_required
@require_POST
def round_open(request, pk):
    review_round = get_object_or_404(ReviewRound, pk=pk)
    if not confirmed(request):
        return ask(
            request,
            question=_(
                "Open the round? Its ledger is the one at the end of %(date)s, and findings "
                "are recorded from now on."
            )
            % {"date": review_round.date.isoformat()},
            details=[review_round],
            cancel_url=reverse("reviews:round", args=[pk]),
        )
    try:
        services.review_round_open(review_round=review_round, by=request.user)
        messages.success(request, _("The round is open."))
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    return redirect("reviews:round", pk=pk)


@office_required
@require_POST
def round_close(request, pk):
    review_round = get_object_or_404(ReviewRound, pk=pk)
    back = reverse("reviews:round", args=[pk])
    if not confirmed(request):
        question = _("Close the round? No finding can be recorded or changed afterwards.")
        return ask(request, question=question, details=[review_round], cancel_url=back)
    unrated = round_unrated_count(review_round=review_round)
    # Rows without a finding: say how many and ask again. The count posted back must be
    # the count now, so a row left unrated since the question was asked asks once more.
    if unrated and request.POST.get("unrated") != str(unrated):
        question = ngettext(
            "%(n)d row of this round has no finding yet. Close the round anyway?",
            "%(n)d rows of this round have no finding yet. Close the round anyway?",
            unrated,
        ) % {"n": unrated}
        return ask(
            request,
            question=question,
            details=[review_round],
            cancel_url=back,
            extra_fields=[("unrated", unrated)],
        )
    try:
        services.review_round_close(review_round=review_round, by=request.user)
        messages.success(request, _("The round is closed."))
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    return redirect("reviews:round", pk=pk)


@office_required
def finding_edit(request, pk, assignment_pk):
    """The office's page for one task × department: the entries as of the round's date and
    now, and the finding."""
    review_round = get_object_or_404(ReviewRound.objects.select_related("plan"), pk=pk)
    try:
        assignment = assignment_in_round(review_round=review_round, pk=assignment_pk)
    except Assignment.DoesNotExist as exc:
        raise Http404 from exc
    finding = review_round.findings.filter(
        task=assignment.task_id, department=assignment.department_id
    ).first()
    if request.method == "POST":
        form = FindingForm(request.POST)
        if form.is_valid():
            try:
                services.finding_record(
                    review_round=review_round,
                    assignment=assignment,
                    rating=form.cleaned_data["rating"],
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                )
            except services.ReviewError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Finding recorded: %(task)s, %(department)s.")
                    % {"task": assignment.task.code, "department": assignment.department.name},
                )
                return redirect("reviews:round", pk=pk)
    else:
        initial = {}
        if finding:
            initial = {"rating": finding.rating, "score": finding.score, "comment": finding.comment}
        form = FindingForm(initial=initial)
    return render(
        request,
        "reviews/finding_form.html",
        {
            "round": review_round,
            "assignment": assignment,
            "form": form,
            "entries": _with_return_forms(
                entries_for_review(review_round=review_round, assignment=assignment)
            ),
            "self_item": self_assessment_item_for(review_round=review_round, assignment=assignment),
        },
    )


def _with_return_forms(entries: dict) -> dict:
    # Each entry awaiting review gets the ledger's return form, with ids of its own: the
    # page lists several, and the one form says the field's rules (required, 2000 characters).
    for entry in entries["now"]:
        if entry.is_awaiting_review:
            entry.return_form = ReturnForm(auto_id=f"id_%s_{entry.pk}")
    return entries


def _entry_action(request, pk, entry_pk, act):
    """Accept or return an entry of the round's plan from the finding page, through the
    ledger's services (optimistic locking on the version the page showed)."""
    review_round = get_object_or_404(ReviewRound, pk=pk)
    # Through the reader's scope: a draft answers as an entry that does not exist.
    entry = get_object_or_404(
        entries_visible_to(user=request.user), pk=entry_pk, task__plan=review_round.plan_id
    )
    assignment = get_object_or_404(Assignment, task=entry.task_id, department=entry.department_id)
    version = request.POST.get("version")
    if act is ledger_services.ledger_entry_accept and not confirmed(request):
        return ask(
            request,
            question=_("Accept this entry? An accepted entry is locked."),
            details=[entry],
            cancel_url=reverse("reviews:finding", args=[pk, assignment.pk]),
        )
    try:
        act(entry=entry, by=request.user, version=int(version) if version else None)
    except ValueError as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Entry of %(day)s: %(state)s.")
            % {
                "day": entry.happened_on.isoformat(),
                "state": entry.get_state_display(),
            },
        )
    return redirect("reviews:finding", pk=pk, assignment_pk=assignment.pk)


@office_required
@require_POST
def entry_accept(request, pk, entry_pk):
    return _entry_action(request, pk, entry_pk, ledger_services.ledger_entry_accept)


@office_required
@require_POST
def entry_return(request, pk, entry_pk):
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the entry is returned."))
        entry = get_object_or_404(entries_visible_to(user=request.user), pk=entry_pk)
        assignment = get_object_or_404(
            Assignment, task=entry.task_id, department=entry.department_id
        )
        return redirect("reviews:finding", pk=pk, assignment_pk=assignment.pk)

    def act(**kwargs):
        return ledger_services.ledger_entry_return(reason=form.cleaned_data["reason"], **kwargs)

    return _entry_action(request, pk, entry_pk, act)


@office_required
def round_export(request, pk):
    review_round = get_object_or_404(ReviewRound.objects.select_related("plan"), pk=pk)
    response = HttpResponse(
        round_workbook(review_round=review_round, user=request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    plan_year, day = review_round.plan.year, review_round.date
    # The name a clerk files it under (检查 in October, 考评验收 in January), in Chinese
    # whatever the interface language, like the 工作台账.
    words = ROUND_FILE_WORDS[review_round.kind]
    response["Content-Disposition"] = content_disposition(
        f"{plan_year}年{words}表-{day:%Y%m%d}.xlsx",
        fallback=f"review-{plan_year}-{review_round.kind}-{day}.xlsx",
    )
    return response
