"""The departments and people of the plan import tests, and an import draft of theirs."""

import pytest

from tasks_ledger.plan.models import ImportDraft
from tests.factories import DepartmentFactory
from tests.people import People
from tests.tasks_ledger.plan.intake import plan_json


@pytest.fixture
def units(db):
    return {
        "policy": DepartmentFactory(name="政策法规处", code="policy-law"),
        "planning": DepartmentFactory(name="计划处", code="planning"),
    }


@pytest.fixture
def people(units):
    """The shared people (tests/conftest.py): A is 政策法规处, the reviewer in no
    department."""
    people = People(a=units["policy"], b=units["planning"])
    for persona in ("reviewer", "admin", "staff", "head"):
        getattr(people, persona)
    return people


@pytest.fixture
def draft(people):
    return ImportDraft.objects.create(
        owner=people["reviewer"], file_name="plan.json", data=plan_json()
    )
