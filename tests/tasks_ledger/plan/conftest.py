"""The departments and people of the plan import tests, and an import draft of theirs."""

import pytest

from departments.models import Membership
from tasks_ledger.plan.models import ImportDraft
from tests.factories import DepartmentFactory, member
from tests.tasks_ledger.plan.intake import plan_json


@pytest.fixture
def units(db):
    return {
        "policy": DepartmentFactory(name="政策法规处", code="policy-law"),
        "planning": DepartmentFactory(name="计划处", code="planning"),
    }


@pytest.fixture
def people(units):
    return {
        "reviewer": member(None, Membership.Role.REVIEWER, username="reviewer"),
        "admin": member(None, Membership.Role.ADMIN, username="admin"),
        "staff": member(units["policy"], Membership.Role.STAFF, username="staff"),
        "head": member(units["policy"], Membership.Role.HEAD, username="head"),
    }


@pytest.fixture
def draft(people):
    return ImportDraft.objects.create(
        owner=people["reviewer"], file_name="plan.json", data=plan_json()
    )
