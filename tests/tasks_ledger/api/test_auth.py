"""POST /api/auth/token/: a token for a username and password, throttled; and anonymous
callers refused everywhere."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from tests.tasks_ledger.api.conftest import assert_error_shape

TOKEN_URL = "/api/auth/token/"


def test_token_for_good_password_is_the_accounts_token(world):
    client = APIClient()
    response = client.post(
        TOKEN_URL, {"username": world.users["staff"].username, "password": "pw-for-tests"}
    )
    assert response.status_code == 200
    token = Token.objects.get(user=world.users["staff"])
    assert response.json() == {"token": token.key}
    # Asking again gives the same token, not a new one.
    again = client.post(
        TOKEN_URL, {"username": world.users["staff"].username, "password": "pw-for-tests"}
    )
    assert again.json() == {"token": token.key}
    assert Token.objects.count() == 1


def test_token_works_as_authorization_header(world):
    key = (
        APIClient()
        .post(
            TOKEN_URL,
            {"username": world.users["b_staff"].username, "password": "pw-for-tests"},
            format="json",
        )
        .json()["token"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/departments/").status_code == 200


def test_wrong_password_is_refused_in_the_error_shape(world):
    response = APIClient().post(
        TOKEN_URL, {"username": world.users["staff"].username, "password": "nope"}
    )
    assert_error_shape(response, status=400, code="authorization", attr=None)
    assert not Token.objects.exists()


def test_missing_fields_are_named(world):
    response = APIClient().post(TOKEN_URL, {}, format="json")
    body = assert_error_shape(response, status=400, code="required")
    assert {e["attr"] for e in body["errors"]} == {"username", "password"}


def test_inactive_user_gets_no_token(world):
    user = world.users["staff"]
    user.is_active = False
    user.save()
    response = APIClient().post(
        TOKEN_URL, {"username": world.users["staff"].username, "password": "pw-for-tests"}
    )
    assert response.status_code == 400
    assert not Token.objects.exists()


def test_token_requests_are_throttled(world, monkeypatch):
    # DRF reads the rates into the class when it is imported, so the test sets them there.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"token": "3/minute"})
    client = APIClient()
    codes = [
        client.post(
            TOKEN_URL, {"username": world.users["staff"].username, "password": "pw-for-tests"}
        ).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    response = client.post(
        TOKEN_URL, {"username": world.users["staff"].username, "password": "pw-for-tests"}
    )
    assert_error_shape(response, status=429, code="throttled", attr=None)
    assert "Retry-After" in response.headers


@pytest.mark.parametrize(
    "url",
    [
        "/api/",
        "/api/departments/",
        "/api/departments/policy-law/",
        "/api/plans/",
        "/api/tasks/",
        "/api/ledger-entries/",
        "/api/findings/",
        "/api/schema/?format=json",
    ],
)
def test_anonymous_is_refused_everywhere(world, url):
    response = APIClient().get(url)
    assert response.status_code in (401, 403)
    assert_error_shape(response, status=response.status_code, code="not_authenticated")


def test_bad_token_is_refused(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert_error_shape(
        client.get("/api/tasks/"), status=403, code="authentication_failed", attr=None
    )


def test_account_without_membership_reads_nothing(world):
    from tests.tasks_ledger.api.conftest import client_for

    client = client_for(world.users["nobody"])
    for url in ("/api/departments/", "/api/plans/", "/api/tasks/", "/api/ledger-entries/"):
        assert_error_shape(client.get(url), status=403, code="permission_denied")


def test_docs_page_uses_local_assets_only(world):
    client = APIClient()
    client.force_login(world.users["reviewer"])
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "//unpkg" not in html
    assert "/static/drf_spectacular_sidecar/" in html


def test_guessing_passwords_locks_the_account_out_as_on_the_sign_in_page(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = APIClient()
    for _ in range(3):
        response = client.post(
            TOKEN_URL, {"username": world.users["staff"].username, "password": "guess"}
        )
        assert response.status_code in (400, 403)
    # Locked out now: even the right password gets no token.
    response = client.post(
        TOKEN_URL, {"username": world.users["staff"].username, "password": "pw-for-tests"}
    )
    assert_error_shape(response, status=403, code="locked_out", attr=None)
    assert not Token.objects.exists()


def test_every_registered_resource_refuses_anonymous_callers(world):
    from tasks_ledger.api.urls import router

    client = APIClient()
    for prefix, _viewset, _basename in router.registry:
        for method in ("get", "post"):
            response = getattr(client, method)(f"/api/{prefix}/", {}, format="json")
            assert response.status_code in (401, 403), (method, prefix, response.status_code)
    assert client.get("/api/docs/").status_code == 403
