"""The confidentiality reviewer (保密审查): a role of its own, given in the admin, decided
in departments/access.py like every other."""

import pytest
from django.urls import reverse

from departments import access
from departments.models import Membership
from tests.factories import DepartmentFactory, UserFactory, member


@pytest.mark.django_db
def test_who_proposes_reviews_and_withdraws():
    department = DepartmentFactory()
    secrecy = member(None, Membership.Role.CONFIDENTIALITY)
    office = member(None, Membership.Role.REVIEWER)
    staff = member(department, Membership.Role.STAFF)
    head = member(department, Membership.Role.HEAD)
    nobody = UserFactory()
    assert [access.may_propose_publication(u) for u in (secrecy, office, staff, head, nobody)] == [
        False,
        True,
        False,
        False,
        False,
    ]
    assert [access.is_confidentiality_reviewer(u) for u in (secrecy, office, staff, nobody)] == [
        True,
        False,
        False,
        False,
    ]
    assert access.may_withdraw_publication(secrecy) and access.may_withdraw_publication(office)
    assert not access.may_withdraw_publication(staff)
    # Not the office: the reviewer reads no dashboard, no ledger of others.
    assert not access.is_office(secrecy) and access.department_of(secrecy) is None


@pytest.mark.django_db
def test_the_role_is_given_in_the_admin(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    user = UserFactory(username="baomi")
    client.force_login(admin)
    form = client.get(reverse("admin:departments_membership_add")).content.decode()
    assert 'value="confidentiality"' in form
    response = client.post(
        reverse("admin:departments_membership_add"),
        {"user": user.pk, "department": "", "role": "confidentiality"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert access.is_confidentiality_reviewer(user)
