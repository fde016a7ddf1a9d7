"""The publishing pages: who may open and post what (only the office proposes, only the
confidentiality reviewer reviews, never their own), and the flows through the forms."""

import pytest
from django.urls import reverse

from tasks_ledger.publishing import services
from tasks_ledger.publishing.models import ConfidentialityReview, PublicationProposal

State = PublicationProposal.State


@pytest.fixture
def pending(small, people):
    return services.proposal_create(task=small.done_task, text="拟公开文本", by=people.reviewer)


def _as(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "persona, status",
    [("reviewer", 200), ("secrecy", 200), ("staff", 403), ("head", 403), ("nobody", 403)],
)
def test_who_opens_the_publishing_pages(client, small, people, pending, persona, status):
    _as(client, getattr(people, persona))
    assert client.get(reverse("publishing:home")).status_code == status
    assert client.get(reverse("publishing:proposal", args=[pending.pk])).status_code == status


@pytest.mark.parametrize("persona", ["secrecy", "staff", "head", "nobody"])
def test_only_the_office_proposes(client, small, people, persona):
    _as(client, getattr(people, persona))
    url = reverse("publishing:propose", args=[small.done_task.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": "文本"}).status_code == 403
    assert not PublicationProposal.objects.exists()


def test_the_office_proposes_from_a_prefilled_form(client, small, people):
    _as(client, people.reviewer)
    url = reverse("publishing:propose", args=[small.done_task.pk])
    form = client.get(url)
    assert "在门户网站公开权力清单" in form.content.decode()  # an accepted entry's summary
    assert small.evidence.url in form.content.decode()
    response = client.post(url, {"text": "面向公众的文本", "evidence": [str(small.evidence.pk)]})
    proposal = PublicationProposal.objects.get()
    assert response.status_code == 302
    assert proposal.text == "面向公众的文本" and proposal.state == State.PENDING
    assert list(proposal.evidence.all()) == [small.evidence]


def test_a_bad_proposal_keeps_the_form_and_names_the_field(client, small, people):
    _as(client, people.reviewer)
    url = reverse("publishing:propose", args=[small.done_task.pk])
    response = client.post(url, {"text": "文本", "evidence": ["99999"]})
    assert response.status_code == 400
    assert not PublicationProposal.objects.exists()


@pytest.mark.parametrize("persona", ["reviewer", "staff", "head", "nobody"])
def test_only_the_confidentiality_reviewer_reviews(client, people, pending, persona):
    _as(client, getattr(people, persona))
    url = reverse("publishing:review", args=[pending.pk])
    assert client.post(url, {"decision": "passed"}).status_code == 403
    pending.refresh_from_db()
    assert pending.state == State.PENDING


def test_the_reviewer_passes_through_the_form(client, people, pending):
    _as(client, people.secrecy)
    page = client.get(reverse("publishing:proposal", args=[pending.pk])).content.decode()
    assert 'name="decision"' in page
    response = client.post(
        reverse("publishing:review", args=[pending.pk]), {"decision": "passed", "opinion": ""}
    )
    assert response.status_code == 302
    assert ConfidentialityReview.objects.get().reviewer == people.secrecy


def test_a_refusal_without_reason_is_shown_back(client, people, pending):
    _as(client, people.secrecy)
    response = client.post(reverse("publishing:review", args=[pending.pk]), {"decision": "refused"})
    assert response.status_code == 400
    assert "不予通过须写明理由" in response.content.decode()
    assert not ConfidentialityReview.objects.exists()


def test_a_reviewer_who_proposed_is_shown_no_review_form_and_refused(client, small, people):
    from departments.models import Membership

    proposal = services.proposal_create(task=small.done_task, text="自审", by=people.reviewer)
    Membership.objects.filter(user=people.reviewer).update(role=Membership.Role.CONFIDENTIALITY)
    _as(client, people.reviewer)
    page = client.get(reverse("publishing:proposal", args=[proposal.pk])).content.decode()
    assert 'name="decision"' not in page
    response = client.post(reverse("publishing:review", args=[proposal.pk]), {"decision": "passed"})
    assert response.status_code == 400
    assert not ConfidentialityReview.objects.exists()


def test_withdraw_through_the_form(client, small, people, pending):
    services.proposal_review(proposal=pending, decision="passed", by=people.secrecy)
    _as(client, people.reviewer)
    url = reverse("publishing:withdraw", args=[pending.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "数据有误"}).status_code == 302
    pending.refresh_from_db()
    assert pending.state == State.WITHDRAWN
    _as(client, people.staff)
    assert client.post(url, {"reason": "再撤"}).status_code == 403


def test_the_office_publishes_the_plan(client, small, people):
    _as(client, people.secrecy)
    url = reverse("publishing:plan-publish", args=[small.plan.pk])
    assert client.post(url).status_code == 403
    _as(client, people.reviewer)
    assert client.post(url).status_code == 302
    small.plan.refresh_from_db()
    assert small.plan.publication.published_by == people.reviewer


def test_the_home_page_runs_a_fixed_number_of_queries(
    client, small, people, pending, django_assert_num_queries
):
    _as(client, people.reviewer)
    client.get(reverse("publishing:home"))
    services.proposal_create(task=small.busy_task, text="另一条", by=people.reviewer)
    with django_assert_num_queries(7):
        # session, user with membership; current plan, plans, proposals of the plan,
        # tasks, pending proposals (the header's 待办 counts: kept since the first page)
        client.get(reverse("publishing:home"))
