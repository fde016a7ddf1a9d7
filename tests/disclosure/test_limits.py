"""Lock-outs and limits that one person cannot turn against everyone: the sign-in lock-out
is per username AND address, addresses come through our own proxies only, the password
reset is limited per account and per address, and API throttle counters are shared by
every process through the cache."""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from rest_framework.throttling import ScopedRateThrottle

from departments.models import Membership
from tests.factories import DepartmentFactory, member
from tests.redis_service import redis_caches, redis_url

NAT = "10.1.2.3"  # the bureau's one public address, shared by everyone inside


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(db):
    department = DepartmentFactory(code="dept-a")
    return (
        member(department, Membership.Role.STAFF, username="clerk"),
        member(department, Membership.Role.STAFF, username="colleague"),
    )


def sign_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_one_persons_failures_behind_a_nat_lock_out_only_that_person(client, people):
    for _ in range(10):
        sign_in(client, "clerk", "wrong", REMOTE_ADDR=NAT)
    assert sign_in(client, "clerk", "pw-for-tests", REMOTE_ADDR=NAT).status_code == 429
    # Everyone else behind the same address still signs in.
    assert sign_in(client, "colleague", "pw-for-tests", REMOTE_ADDR=NAT).status_code == 302


def test_failures_from_elsewhere_do_not_lock_the_owner_out(client, people):
    # Someone guessing the clerk's password from outside cannot lock the clerk out.
    for _ in range(10):
        sign_in(client, "clerk", "wrong", REMOTE_ADDR="198.51.100.9")
    assert sign_in(client, "clerk", "pw-for-tests", REMOTE_ADDR=NAT).status_code == 302


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, people, settings):
    settings.TRUSTED_PROXIES = 0
    # A new made-up X-Forwarded-For on every try does not escape the lock-out.
    for n in range(10):
        sign_in(client, "clerk", "wrong", REMOTE_ADDR=NAT, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = sign_in(
        client, "clerk", "pw-for-tests", REMOTE_ADDR=NAT, HTTP_X_FORWARDED_FOR="192.0.2.99"
    )
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_address_it_saw_counts(client, people, settings):
    settings.TRUSTED_PROXIES = 1
    proxy = "10.0.0.254"
    for _ in range(10):
        # The client wrote the left part; the proxy appended the address it saw.
        sign_in(
            client,
            "clerk",
            "wrong",
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7",
        )
    locked = sign_in(
        client, "clerk", "pw-for-tests", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert locked.status_code == 429
    # The same person from another address, through the same proxy: not locked.
    other = sign_in(
        client, "clerk", "pw-for-tests", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert other.status_code == 302


PASSWORD_RESET = "/accounts/password_reset/"


def test_password_reset_is_limited_per_account(client, people, settings):
    settings.PASSWORD_RESET_RATE_PER_ACCOUNT = "3/hour"
    for n in range(3):
        response = client.post(
            PASSWORD_RESET, {"email": "clerk@example.gov.cn"}, REMOTE_ADDR=f"192.0.2.{n}"
        )
        assert response.status_code == 302
    # From yet another address, the same account: refused, and no fourth email.
    response = client.post(
        PASSWORD_RESET, {"email": "CLERK@example.gov.cn "}, REMOTE_ADDR="192.0.2.50"
    )
    assert response.status_code == 429
    assert "重置密码请求过多" in response.content.decode()
    assert len(mail.outbox) == 3
    # Another account is not affected.
    response = client.post(
        PASSWORD_RESET, {"email": "colleague@example.gov.cn"}, REMOTE_ADDR="192.0.2.50"
    )
    assert response.status_code == 302


def test_password_reset_is_limited_per_address(client, people, settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "3/hour"
    for n in range(3):
        response = client.post(PASSWORD_RESET, {"email": f"nobody{n}@example.gov.cn"})
        assert response.status_code == 302
    assert client.post(PASSWORD_RESET, {"email": "clerk@example.gov.cn"}).status_code == 429
    assert mail.outbox == []
    # Asking for the form is not counted.
    assert client.get(PASSWORD_RESET).status_code == 200


def test_the_cache_is_redis_when_cache_url_is_set():
    result = subprocess.run(
        [sys.executable, "-c", SHOW_CACHE],
        cwd=django_settings.BASE_DIR,
        env=os.environ | {"CACHE_URL": "redis://127.0.0.1:6379/4"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "disclosure.cache.RedisCache",
        "redis://127.0.0.1:6379/4",
    ]


SHOW_CACHE = """
import django
django.setup()
from django.conf import settings
print(settings.CACHES["default"]["BACKEND"], settings.CACHES["default"]["LOCATION"])
"""


# Another process (a second gunicorn worker) asks DRF's throttle about the same client.
OTHER_WORKER = """
import json
import django
django.setup()
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle

class TokenView:
    throttle_scope = "token"

answers = []
for _ in range(2):
    request = Request(RequestFactory().post("/api/auth/token/", REMOTE_ADDR="127.0.0.1"))
    answers.append(ScopedRateThrottle().allow_request(request, TokenView()))
print(json.dumps(answers))
"""


@pytest.mark.services
def test_token_throttle_counts_across_processes(client, db, settings, monkeypatch):
    url = redis_url()
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = redis_caches(prefix)
    # DRF reads the rates into the class when it is imported, so the test sets them there.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"token": "4/minute"})
    try:
        for _ in range(3):  # this worker lets three through
            response = client.post("/api/auth/token/", {"username": "x", "password": "y"})
            assert response.status_code == 400
        other = subprocess.run(
            [sys.executable, "-c", OTHER_WORKER],
            cwd=django_settings.BASE_DIR,
            env=os.environ
            | {"CACHE_URL": url, "CACHE_KEY_PREFIX": prefix, "API_TOKEN_RATE": "4/minute"},
            capture_output=True,
            text=True,
        )
        assert other.returncode == 0, other.stderr
        # The other worker sees the three: one more is allowed in all, then none.
        assert json.loads(other.stdout.strip().splitlines()[-1]) == [True, False]
        assert client.post("/api/auth/token/", {"username": "x"}).status_code == 429
    finally:
        cache.clear()
