"""Tests in this folder drive a real browser (fixtures: tests/browser_fixtures.py)."""

import pytest

from tests.browser_fixtures import screenshot, sign_in

__all__ = ["screenshot", "sign_in"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
