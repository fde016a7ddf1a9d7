import pytest

from tests.tasks_ledger.publishing.data import make_people, make_plan


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def small(people):
    return make_plan(lead=people.staff.membership.department)
