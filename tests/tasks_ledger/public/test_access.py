"""Every public URL answers the anonymous; every other URL of the site refuses them: a
redirect to sign in (pages, admin) or 401/403 (the API). Walks the whole URL tree, so a
page added later is checked without being named here."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Open on purpose, and not part of the ledger: sign-in and password reset, language
# switching, the health check, the API's token endpoint and its schema viewer's assets, and
# the site's icon.
OPEN_PREFIXES = (
    "accounts/",
    "admin/login/",
    "admin/logout/",
    "api/auth/token/",
    "i18n/",
    "healthz",
    "public/",
    "robots.txt",
    "sitemap.xml",
    "favicon.ico",
)


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _concrete(route: str) -> str:
    """A URL for a route: every converter filled with 1 (regex routes: their group too)."""
    route = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    route = route.replace("\\", "")
    return "/" + route


def internal_urls():
    urls = set()
    for route in _walk(get_resolver().url_patterns):
        url = _concrete(route)
        if url.lstrip("/").startswith(OPEN_PREFIXES):
            continue
        if any(ch in url for ch in "()[]?*+"):
            continue  # a regex route left unresolved (admin's app index): covered by /admin/
        urls.add(url)
    return sorted(urls)


INTERNAL = internal_urls()


def test_the_walk_finds_the_internal_pages():
    for url in ("/", "/ledger/", "/dashboard/", "/publishing/", "/admin/", "/api/tasks/"):
        assert url in INTERNAL


@pytest.mark.django_db
@pytest.mark.parametrize("url", INTERNAL)
def test_every_internal_url_refuses_the_anonymous(client, url):
    response = client.get(url)
    if url.startswith("/api/"):
        if response.status_code == 404:
            pytest.skip("not an endpoint for GET")
        assert response.status_code in (401, 403), url
        return
    if response.status_code == 405:
        # POST-only: the method is refused before anything else; posting is refused too.
        response = client.post(url)
    assert response.status_code == 302, (url, response.status_code)
    assert "/login/" in response["Location"], response["Location"]
