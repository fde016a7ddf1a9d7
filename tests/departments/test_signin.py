"""Sign-in safety: ten failures in a row lock out (django-axes) with a page saying so, and a
deactivated account's open sessions stop working on their next request."""

import pytest
from django.urls import reverse

from departments.models import Membership
from tests.factories import DepartmentFactory, member


@pytest.fixture
def clerk(db):
    return member(DepartmentFactory(code="dept-a"), Membership.Role.STAFF, username="clerk")


def sign_in(client, password, username="clerk"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def test_ten_failures_lock_the_account_out_with_a_message(client, clerk, settings):
    assert settings.AXES_FAILURE_LIMIT == 10
    for _ in range(9):
        response = sign_in(client, "wrong")
        assert response.status_code == 200 and "账号已锁定" not in response.content.decode()
    response = sign_in(client, "wrong")  # the tenth
    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()
    # Now even the right password is refused, and the page says why.
    response = sign_in(client, "pw-for-tests")
    assert response.status_code == 429 and "账号已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_resets_the_count(client, clerk):
    for _ in range(9):
        sign_in(client, "wrong")
    assert sign_in(client, "pw-for-tests").status_code == 302
    client.logout()
    for _ in range(9):
        assert sign_in(client, "wrong").status_code == 200


def test_a_deactivated_users_session_stops_at_once(client, clerk):
    assert sign_in(client, "pw-for-tests").status_code == 302
    assert client.get(reverse("ledger:home")).status_code == 200
    clerk.is_active = False
    clerk.save(update_fields=["is_active"])
    response = client.get(reverse("ledger:home"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    # Nor can the old session write.
    response = client.post(reverse("ledger:entry-create", args=[1]), {"summary": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
