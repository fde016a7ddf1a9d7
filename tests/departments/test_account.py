"""/account/: a person sets their own name and phone; the header shows them by name."""

from urllib.parse import urlencode

import pytest

from departments.models import Membership
from tests.factories import DepartmentFactory, UserFactory, member

URL = "/account/"


@pytest.fixture
def clerk(db):
    dept = DepartmentFactory(code="policy-law", name="政策法规处")
    return member(dept, Membership.Role.STAFF, username="clerk-login")


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_in_chinese_with_the_persons_place(client, clerk):
    client.force_login(clerk)
    page = client.get(URL).content.decode()
    assert "我的账号" in page and "政策法规处" in page and "clerk-login" in page
    assert 'name="name"' in page and 'name="phone"' in page
    assert "姓名" in page and "电话" in page


def test_saving_a_name_shows_it_in_the_header_instead_of_the_username(client, clerk):
    client.force_login(clerk)
    response = client.post(URL, {"name": "张立新", "phone": "0527-84367000"}, follow=True)
    page = response.content.decode()
    assert "姓名和电话已保存。" in page
    clerk.membership.refresh_from_db()
    assert (clerk.membership.name, clerk.membership.phone) == ("张立新", "0527-84367000")
    header = page.split("<main>")[0]
    assert "张立新" in header and "clerk-login" not in header


@pytest.mark.parametrize(
    ("data", "field", "label"),
    [
        ({"name": "张立新", "phone": "84367000"}, "phone", "电话"),
        ({"name": "张立新", "phone": "１３８５２７０１００１"}, "phone", "电话"),
        ({"name": "张" * 51, "phone": ""}, "name", "姓名"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(
    client, clerk, data, field, label
):
    client.force_login(clerk)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    page = response.content.decode()
    assert f'id="id_{field}-error"' in page and f"{label}：" in page
    clerk.membership.refresh_from_db()
    assert (clerk.membership.name, clerk.membership.phone) == ("", "")


def test_a_post_in_another_encoding_is_refused_and_nothing_is_saved(client, clerk):
    # Django takes forms in UTF-8 only (what every browser sends for a UTF-8 page): a
    # GB18030 body is a 400, never a name saved as mojibake.
    client.force_login(clerk)
    body = urlencode({"name": "张立新", "phone": "13852701001"}, encoding="gb18030")
    response = client.post(
        URL, body, content_type="application/x-www-form-urlencoded; charset=gb18030"
    )
    assert response.status_code == 400
    clerk.membership.refresh_from_db()
    assert (clerk.membership.name, clerk.membership.phone) == ("", "")


def test_an_account_without_a_role_gets_the_no_role_page(client, db):
    user = UserFactory(username="newcomer")
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 403
    assert "no_role.html" in [t.name for t in response.templates]
    assert client.post(URL, {"name": "张立新", "phone": ""}).status_code == 403
    assert not Membership.objects.filter(user=user).exists()


def test_a_superuser_without_a_membership_is_told_to_ask_the_administrator(client, db):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert 'id="account-no-membership"' in page and 'name="phone"' not in page
    assert client.post(URL, {"name": "张立新", "phone": ""}).status_code == 200
    assert not Membership.objects.filter(user=user).exists()


def test_nothing_internal_leaks(client, clerk):
    client.force_login(clerk)
    page = client.get(URL).content.decode()
    for internal in ("pw-for-tests", "md5$", 'csrfmiddlewaretoken" value=""', "Traceback"):
        assert internal not in page
    assert clerk.password not in page
