"""The one set of test people (issue 13, item 10): every set-up of the suite makes its
personas here, on the departments it gives (`tests/conftest.py`'s `world` is the usual one)."""

from functools import cached_property

from departments.models import Membership
from tests.factories import UserFactory, member


class People:
    """The one set of test people, on the departments a set-up gives: A's staff (two) and
    head, B's staff and head, C's staff, the bureau office's reviewer, the administrator,
    the confidentiality reviewers (保密审查, two) and an account with no role. Each is made the
    first time a test asks for it, so a set-up pays only for the people it uses (and a
    department's inbox holds only the people its test has)."""

    def __init__(self, *, a, b=None, c=None, office=None):
        self.a, self.b, self.c, self.office = a, b, c, office

    def __getitem__(self, persona: str):
        # The older set-ups' dictionaries (people["staff"]) read the same people.
        return getattr(self, persona)

    @cached_property
    def staff(self):
        return member(self.a, Membership.Role.STAFF, username="a-staff")

    @cached_property
    def staff2(self):
        return member(self.a, Membership.Role.STAFF, username="a-staff2")

    @cached_property
    def head(self):
        return member(self.a, Membership.Role.HEAD, username="a-head")

    @cached_property
    def b_staff(self):
        return member(self.b, Membership.Role.STAFF, username="b-staff")

    @cached_property
    def b_head(self):
        return member(self.b, Membership.Role.HEAD, username="b-head")

    @cached_property
    def other(self):
        return member(self.c, Membership.Role.STAFF, username="c-staff")

    @cached_property
    def reviewer(self):
        return member(self.office, Membership.Role.REVIEWER, username="reviewer")

    @cached_property
    def admin(self):
        admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
        Membership.objects.create(user=admin, role=Membership.Role.ADMIN)
        return admin

    @cached_property
    def secrecy(self):
        return member(None, Membership.Role.CONFIDENTIALITY, username="secrecy")

    @cached_property
    def secrecy2(self):
        # A second confidentiality reviewer: the publishing tests' "another reviewer".
        return member(None, Membership.Role.CONFIDENTIALITY, username="secrecy2")

    @cached_property
    def nobody(self):
        return UserFactory(username="no-membership")
