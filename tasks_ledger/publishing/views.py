"""Publishing pages: the office proposes public texts and publishes the plan; the
confidentiality reviewer (保密审查) passes or refuses; either may withdraw.

Who may do what is asked of departments.access; the services check it again. Anyone else
with a role gets a 403, the anonymous a redirect to sign in.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.access import (
    is_confidentiality_reviewer,
    may_propose_publication,
    may_withdraw_publication,
    office_required,
    publishing_required,
)
from tasks_ledger.plan.models import Plan, Task
from tasks_ledger.publishing import selectors, services
from tasks_ledger.publishing.forms import ProposalForm, ReviewForm, WithdrawForm
from tasks_ledger.publishing.models import PublicationProposal


@publishing_required
def home(request):
    plans = list(selectors.plans_for_publishing())
    plan = Plan.objects.current() or (plans[0] if plans else None)
    proposals = list(selectors.proposals_of_plan(plan)) if plan else []
    latest = {}
    for proposal in proposals:
        latest.setdefault(proposal.task_id, proposal)
    tasks = list(selectors.tasks_of_plan(plan)) if plan else []
    for task in tasks:
        task.latest_proposal = latest.get(task.pk)
    return render(
        request,
        "publishing/home.html",
        {
            "plans": plans,
            "plan": plan,
            "tasks": tasks,
            "pending": list(selectors.proposals_pending()),
            "may_propose": may_propose_publication(request.user),
            "may_review": is_confidentiality_reviewer(request.user),
        },
    )


@publishing_required
@require_POST
def plan_publish(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    try:
        services.plan_publish(plan=plan, by=request.user)
    except services.PublishingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The plan is public."))
    return redirect("publishing:home")


def _evidence_choices(entries):
    choices = []
    for entry in entries:
        for item in entry.evidence.all():
            label = item.url or item.doc_number or item.filename
            kind = item.get_kind_display()
            choices.append((str(item.pk), f"{entry.happened_on} · {kind} · {label}"))
    return choices


@office_required
def propose(request, task_pk):
    task = get_object_or_404(Task.objects.with_code(), pk=task_pk)
    revises = None
    if request.GET.get("revises") or request.POST.get("revises"):
        revises = get_object_or_404(
            PublicationProposal, pk=request.GET.get("revises") or request.POST.get("revises")
        )
    entries = list(selectors.accepted_entries(task))
    choices = _evidence_choices(entries)
    if request.method == "POST":
        form = ProposalForm(request.POST, evidence_choices=choices)
        if form.is_valid():
            try:
                proposal = services.proposal_create(
                    task=task,
                    text=form.cleaned_data["text"],
                    evidence_ids=form.cleaned_data["evidence"],
                    revises=revises,
                    by=request.user,
                )
            except services.PublishingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Proposed: it awaits the confidentiality review."))
                return redirect("publishing:proposal", pk=proposal.pk)
    else:
        initial_text = revises.text if revises else selectors.draft_text(entries)
        initial_evidence = [str(e.pk) for e in revises.evidence.all()] if revises else []
        form = ProposalForm(
            initial={"text": initial_text, "evidence": initial_evidence},
            evidence_choices=choices,
        )
    return render(
        request,
        "publishing/propose.html",
        {"task": task, "form": form, "entries": entries, "revises": revises},
        status=400 if form.errors else 200,
    )


def _proposal(pk):
    try:
        return selectors.proposal_detail(pk)
    except PublicationProposal.DoesNotExist:
        raise Http404 from None


@publishing_required
def proposal_detail(request, pk, review_form=None, withdraw_form=None, status=200):
    proposal = _proposal(pk)
    user = request.user
    return render(
        request,
        "publishing/proposal.html",
        {
            "proposal": proposal,
            "review_form": review_form or ReviewForm(),
            "withdraw_form": withdraw_form or WithdrawForm(),
            "may_review": is_confidentiality_reviewer(user) and proposal.proposed_by_id != user.pk,
            "own": proposal.proposed_by_id == user.pk,
            "may_withdraw": may_withdraw_publication(user),
            "may_propose": may_propose_publication(user),
        },
        status=status,
    )


@publishing_required
@require_POST
def review(request, pk):
    proposal = _proposal(pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_review(
                proposal=proposal,
                decision=form.cleaned_data["decision"],
                opinion=form.cleaned_data["opinion"],
                by=request.user,
            )
        except services.PublishingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Review recorded."))
            return redirect("publishing:home")
    return proposal_detail(request, pk, review_form=form, status=400)


@publishing_required
@require_POST
def withdraw(request, pk):
    proposal = _proposal(pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_withdraw(
                proposal=proposal, reason=form.cleaned_data["reason"], by=request.user
            )
        except services.PublishingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Withdrawn: it is no longer public."))
            return redirect("publishing:proposal", pk=pk)
    return proposal_detail(request, pk, withdraw_form=form, status=400)
