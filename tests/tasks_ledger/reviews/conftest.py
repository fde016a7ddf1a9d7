"""Personas of the review tests, on the seed plan and demo accounts."""

import pytest
from django.contrib.auth import get_user_model

from tasks_ledger.plan.models import Assignment, ReviewRound
from tests.factories import UserFactory


@pytest.fixture
def users(demo_accounts):
    User = get_user_model()
    found = {
        u.username: u
        for u in User.objects.filter(
            username__in=["admin", "reviewer", "policy-law", "policy-law-head", "safety"]
        )
    }
    found["nobody"] = UserFactory(username="nobody")  # signed in, no role
    return found


@pytest.fixture
def check_round(plan_2016):
    return ReviewRound.objects.get(plan=plan_2016, kind=ReviewRound.Kind.CHECK)


@pytest.fixture
def assessment(plan_2016):
    return ReviewRound.objects.get(plan=plan_2016, kind=ReviewRound.Kind.ASSESSMENT)


@pytest.fixture
def policy_law_lead(plan_2016):
    """二(一), led by 政策法规处."""
    return Assignment.objects.get(
        task__plan=plan_2016,
        task__section__number="二",
        task__number="一",
        department__code="policy-law",
    )


@pytest.fixture
def safety_partner(plan_2016):
    """二(二), where 安全处 is a partner."""
    return Assignment.objects.get(
        task__plan=plan_2016,
        task__section__number="二",
        task__number="二",
        department__code="safety",
    )
