"""The review rules of publishing: who proposes, who reviews (never their own), a change is
a new proposal, a refusal needs a reason, the record is kept, a withdrawal is recorded."""

import pytest
from django.core.exceptions import PermissionDenied

from departments.models import Membership
from tasks_ledger.ledger.models import Evidence
from tasks_ledger.publishing import services
from tasks_ledger.publishing.models import (
    ConfidentialityReview,
    PublicationProposal,
    PublicEdition,
    Withdrawal,
)
from tests.tasks_ledger.publishing.data import publish_text

State = PublicationProposal.State


def propose(small, people, text="已公开重大决策目录。", **kw):
    return services.proposal_create(task=small.done_task, text=text, by=people.reviewer, **kw)


def test_only_the_office_proposes(small, people):
    for user in (people.secrecy, people.staff, people.head, people.nobody):
        with pytest.raises(PermissionDenied):
            services.proposal_create(task=small.done_task, text="文本", by=user)
    assert not PublicationProposal.objects.exists()


def test_only_the_confidentiality_reviewer_reviews(small, people):
    proposal = propose(small, people)
    for user in (people.reviewer, people.staff, people.head, people.nobody):
        with pytest.raises(PermissionDenied):
            services.proposal_review(proposal=proposal, decision="passed", by=user)
    proposal.refresh_from_db()
    assert proposal.state == State.PENDING
    assert not ConfidentialityReview.objects.exists()


def test_self_review_is_refused(small, people):
    """Someone who proposed as the office and was later given the reviewing role may not
    pass their own proposal."""
    proposal = propose(small, people)
    Membership.objects.filter(user=people.reviewer).update(role=Membership.Role.CONFIDENTIALITY)
    people.reviewer.refresh_from_db()
    with pytest.raises(services.PublishingError, match="其他审查人"):
        services.proposal_review(proposal=proposal, decision="passed", by=people.reviewer)
    proposal.refresh_from_db()
    assert proposal.state == State.PENDING
    assert not ConfidentialityReview.objects.exists()


def test_passing_keeps_the_exact_text_and_evidence(small, people):
    proposal = propose(small, people, evidence_ids=[small.evidence.pk])
    review = services.proposal_review(
        proposal=proposal, decision="passed", opinion="无涉密内容", by=people.secrecy
    )
    proposal.refresh_from_db()
    assert proposal.state == State.PASSED
    assert review.reviewer == people.secrecy
    assert review.decided_at is not None
    assert review.opinion == "无涉密内容"
    assert review.text_passed == "已公开重大决策目录。"
    assert review.evidence_passed == [
        {
            "id": small.evidence.pk,
            "kind": "link",
            "url": small.evidence.url,
            "doc_number": "",
            "filename": "",
        }
    ]
    assert PublicEdition.objects.get(pk=1).number == 1


def test_a_proposal_is_reviewed_once(small, people):
    proposal = propose(small, people)
    services.proposal_review(proposal=proposal, decision="passed", by=people.secrecy)
    with pytest.raises(services.PublishingError, match="已审查"):
        services.proposal_review(
            proposal=proposal, decision="refused", opinion="涉密", by=people.secrecy2
        )
    assert ConfidentialityReview.objects.get().decision == "passed"


def test_a_refusal_needs_a_reason_and_publishes_nothing(small, people):
    proposal = propose(small, people)
    with pytest.raises(services.PublishingError, match="理由"):
        services.proposal_review(proposal=proposal, decision="refused", by=people.secrecy)
    review = services.proposal_review(
        proposal=proposal, decision="refused", opinion="含内部工作安排", by=people.secrecy
    )
    proposal.refresh_from_db()
    assert proposal.state == State.REFUSED
    assert review.text_passed == "" and review.evidence_passed == []
    assert PublicEdition.objects.get(pk=1).number == 0


def test_a_change_makes_a_new_proposal_that_needs_its_own_review(small, people):
    first = publish_text(task=small.done_task, text="第一版。", people=people)
    second = services.proposal_create(
        task=small.done_task, text="第二版。", revises=first, by=people.reviewer
    )
    assert second.pk != first.pk and second.state == State.PENDING
    first.refresh_from_db()
    # The passed version stays public, unchanged, until the change passes.
    assert first.state == State.PASSED and first.review.text_passed == "第一版。"
    services.proposal_review(proposal=second, decision="passed", by=people.secrecy2)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (State.SUPERSEDED, State.PASSED)
    assert second.review.text_passed == "第二版。"


def test_withdrawal_needs_a_reason_and_is_recorded(small, people):
    proposal = publish_text(task=small.done_task, text="已公开。", people=people)
    edition = PublicEdition.objects.get(pk=1).number
    with pytest.raises(services.PublishingError, match="理由"):
        services.proposal_withdraw(proposal=proposal, reason=" ", by=people.reviewer)
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(proposal=proposal, reason="错误", by=people.staff)
    withdrawal = services.proposal_withdraw(proposal=proposal, reason="数据有误", by=people.secrecy)
    proposal.refresh_from_db()
    assert proposal.state == State.WITHDRAWN
    assert (withdrawal.withdrawn_by, withdrawal.reason) == (people.secrecy, "数据有误")
    assert PublicEdition.objects.get(pk=1).number == edition + 1
    with pytest.raises(services.PublishingError):
        services.proposal_withdraw(proposal=proposal, reason="再次", by=people.reviewer)
    assert Withdrawal.objects.count() == 1


def test_only_evidence_of_accepted_entries_may_go_public(small, people):
    submitted = small.idle_task.entries.get()
    other = Evidence.objects.create(entry=submitted, kind="link", url="https://x.example/1")
    with pytest.raises(services.PublishingError, match="佐证材料"):
        services.proposal_create(
            task=small.idle_task, text="文本", evidence_ids=[other.pk], by=people.reviewer
        )
    # Evidence of another task is refused the same way.
    with pytest.raises(services.PublishingError, match="佐证材料"):
        services.proposal_create(
            task=small.busy_task, text="文本", evidence_ids=[small.evidence.pk], by=people.reviewer
        )
    assert not PublicationProposal.objects.exists()


@pytest.mark.parametrize("text", ["", "   ", "字" * 2001])
def test_bad_text_is_refused_naming_the_field(small, people, text):
    with pytest.raises(services.PublishingError, match="公开文本"):
        propose(small, people, text=text)
    assert not PublicationProposal.objects.exists()


def test_the_plan_is_published_once_by_the_office(small, people):
    with pytest.raises(PermissionDenied):
        services.plan_publish(plan=small.plan, by=people.secrecy)
    services.plan_publish(plan=small.plan, by=people.reviewer)
    with pytest.raises(services.PublishingError):
        services.plan_publish(plan=small.plan, by=people.reviewer)
    assert small.plan.publication.published_by == people.reviewer
