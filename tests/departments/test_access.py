"""Who someone is in the bureau: the helpers every view and the API ask."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from departments.access import (
    access,
    department_of,
    is_head,
    is_office,
    membership_of,
    role_of,
)
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
def test_staff_and_heads_write_their_department_the_office_reads_all(
    dept, role, writes_for_department, office, head
):
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


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("head", {"role": "head", "department": "a", "unit": "a", "head": True, "reader": True}),
        ("staff", {"role": "staff", "department": "a", "unit": "a", "reader": True}),
        ("reviewer", {"role": "reviewer", "unit": "office", "office": True, "reader": True}),
        ("admin", {"role": "admin", "office": True, "admin": True, "reader": True}),
        ("secrecy", {"role": "confidentiality", "confidentiality": True}),
        ("nobody", {"role": None}),
    ],
)
def test_templates_are_told_the_role_once(world, rf, persona, expected):
    """The context processor's `access`: what every template reads instead of the
    membership (the admin also opens Django's admin)."""
    request = rf.get("/")
    request.user = getattr(world, persona)
    seen = access(request)["access"]
    departments = {None: None, "a": world.a, "office": world.office}
    assert seen.role == expected["role"]
    assert seen.department == departments[expected.get("department")]
    assert seen.unit == departments[expected.get("unit")]
    for flag in ("office", "head", "admin", "confidentiality", "reader"):
        assert getattr(seen, flag) is expected.get(flag, False), flag
    assert seen.admin_site is (persona == "admin")


def test_the_no_role_page_offers_no_way_into_the_tracker(client, world):
    client.force_login(world.nobody)
    response = client.get("/")
    assert response.status_code == 403
    page = response.content.decode()
    assert 'id="no-role"' in page
    for name in ("ledger:home", "reviews:rounds", "reminders:inbox", "dashboard:dashboard"):
        assert f'href="{reverse(name)}"' not in page
