"""The one rule for showing a person (their name, else their username) and for a phone."""

import pytest
from django.core.exceptions import ValidationError

from departments.models import Membership
from departments.people import display_name, display_name_expression, validate_phone
from departments.services import person_details_set
from tests.factories import DepartmentFactory, UserFactory, member


@pytest.fixture
def dept(db):
    return DepartmentFactory(code="policy-law", name="政策法规处")


def test_the_name_when_set_else_the_username(dept):
    named = member(dept, username="zhang", name="张立新")
    unnamed = member(dept, username="li")
    no_place = UserFactory(username="newcomer")
    assert display_name(named) == "张立新"
    assert display_name(unnamed) == "li"
    assert display_name(no_place) == "newcomer"
    assert display_name(None) == ""


def test_membership_reads_as_the_name(dept):
    user = member(dept, Membership.Role.HEAD, username="zhang", name="张立新")
    assert str(user.membership) == "张立新 · 政策法规处 · 处室负责人"


def test_the_database_applies_the_same_rule(dept):
    member(dept, username="zhang", name="张立新")
    member(dept, username="li")
    shown = dict(
        Membership.objects.annotate(shown=display_name_expression("user")).values_list(
            "user__username", "shown"
        )
    )
    assert shown == {"zhang": "张立新", "li": "li"}


@pytest.mark.parametrize(
    "phone",
    [
        "13852701001",
        "138 5270 1001",
        "138-5270-1001",
        "19912345678",
        "0527-84367000",
        "052784367000",
        "010-62345678",
        "0527-8436700",  # 7-digit local numbers
        "0527-84367000-806",  # an extension
        "0527 8436 7000",
    ],
)
def test_mainland_mobiles_and_landlines_with_area_code_pass(phone):
    validate_phone(phone)


@pytest.mark.parametrize(
    "phone",
    [
        "84367000",  # a landline without its area code
        "1385270100",  # a digit short
        "138527010012",  # a digit too many
        "12852701001",  # no mobile block starts 12
        "527-84367000",  # an area code without its 0
        "0527-04367000",  # local numbers do not start with 0
        "１３８５２７０１００１",  # fullwidth digits: not how the number is stored
        "138５２７０１００１",
        "tel:13852701001",
        "+1 415 555 0100",
        "0527-84367000; DROP TABLE",
    ],
)
def test_anything_else_is_refused_with_the_rule(phone):
    with pytest.raises(ValidationError) as refused:
        validate_phone(phone)
    assert "0527-84367000" in str(refused.value.messages[0])


def test_setting_ones_details_checks_the_phone_and_names_the_field(dept):
    user = member(dept, username="zhang")
    with pytest.raises(ValidationError) as refused:
        person_details_set(membership=user.membership, name="张立新", phone="12345")
    assert list(refused.value.message_dict) == ["phone"]
    user.membership.refresh_from_db()
    assert (user.membership.name, user.membership.phone) == ("", "")
    person_details_set(membership=user.membership, name="  张立新 ", phone=" 13852701001 ")
    user.membership.refresh_from_db()
    assert (user.membership.name, user.membership.phone) == ("张立新", "13852701001")


def test_a_name_longer_than_its_column_is_refused_not_cut(dept):
    user = member(dept, username="zhang")
    with pytest.raises(ValidationError) as refused:
        person_details_set(membership=user.membership, name="张" * 51, phone="")
    assert list(refused.value.message_dict) == ["name"]
