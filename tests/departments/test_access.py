"""Who someone is in the bureau: the helpers every view and the API ask."""

import pytest
from django.contrib.auth.models import AnonymousUser

from departments.access import department_of, is_head, is_office, membership_of, role_of
from departments.models import Membership
from tests.factories import DepartmentFactory, UserFactory, member


@pytest.fixture
def dept(db):
    return DepartmentFactory(code="dept-a")


@pytest.mark.parametrize(
    ("role", "writes_for_department", "office", "head"),
    [
        (Membership.Role.STAFF, True, False, False),
        (Membership.Role.HEAD, True, False, True),
        (Membership.Role.REVIEWER, False, True, False),
        (Membership.Role.ADMIN, False, True, False),
    ],
)
def test_roles(dept, role, writes_for_department, office, head):
    user = member(dept, role)
    assert role_of(user) == role
    assert (department_of(user) == dept) is writes_for_department
    assert (is_office(user), is_head(user)) == (office, head)


def test_a_superuser_without_membership_is_an_administrator(db):
    user = UserFactory(is_superuser=True)
    assert (role_of(user), is_office(user), department_of(user)) == ("admin", True, None)


def test_nobody_and_anonymous_have_no_role(db):
    assert role_of(UserFactory()) is None
    assert role_of(AnonymousUser()) is None and department_of(AnonymousUser()) is None


def test_an_inactive_user_has_no_role(dept):
    user = member(dept, Membership.Role.HEAD, is_active=False)
    assert membership_of(user) is None and department_of(user) is None and not is_head(user)
