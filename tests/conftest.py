"""Shared fixtures: fast password hashing, the seed plan, personas, service requirements."""

import os

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from tasks_ledger import demo

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

pytest_plugins = ["tests.browser_fixtures"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres"):
            item.fixturenames.append("_needs_postgres")


@pytest.fixture
def _needs_postgres(db):
    if connection.vendor != "postgresql":
        message = "needs PostgreSQL (set DATABASE_URL=postgres://…)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(autouse=True)
def _default_language():
    # A request may switch the thread's language (LocaleMiddleware); start every test in the
    # site's default so that no test inherits another's.
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plan_2016(db):
    """The Suqian 2016 plan and its 8 departments, loaded as `seed_demo` loads them."""
    demo.seed_departments()
    ((plan, _summary),) = demo.seed_plans()
    return plan


@pytest.fixture
def demo_accounts(plan_2016, settings):
    demo.seed_accounts(settings.DEMO_PASSWORD)
    return settings.DEMO_PASSWORD
