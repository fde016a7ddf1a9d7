"""Production switches: DEBUG off unless asked, HTTPS one explicit switch, the proxy's word
on HTTPS trusted only when a proxy is configured, SITE_URL following the port, no folders
made by importing the settings; CSP and Cache-Control on responses."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from departments.models import Membership
from tests.factories import DepartmentFactory, member

PRODUCTION = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "gk.example.gov.cn"}
SHOWN = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "SITE_URL",
    "SECURE_REDIRECT_EXEMPT",
]


def settings_in(env: dict, tmp_path) -> dict:
    """The settings a fresh process reads from `env` (nothing else of ours set)."""
    ours = ("DEBUG", "SECRET_KEY", "HTTPS", "TRUSTED_PROXIES", "PORT", "SITE_URL", "VAR_DIR")
    base = {k: v for k, v in os.environ.items() if k not in ours}
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {SHOWN!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=base
        | {"DJANGO_SETTINGS_MODULE": "disclosure.settings", "VAR_DIR": str(tmp_path / "var")}
        | env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_debug_is_off_unless_asked_and_plain_http_signs_in(tmp_path):
    shown = settings_in(PRODUCTION, tmp_path)
    assert shown["DEBUG"] is False
    # An intranet served over plain HTTP: cookies must travel over it.
    assert shown["SESSION_COOKIE_SECURE"] is False
    assert shown["CSRF_COOKIE_SECURE"] is False
    assert shown["SECURE_SSL_REDIRECT"] is False
    assert shown["SECURE_HSTS_SECONDS"] == 0


def test_https_is_one_switch(tmp_path):
    shown = settings_in(PRODUCTION | {"HTTPS": "1"}, tmp_path)
    assert shown["SESSION_COOKIE_SECURE"] is True
    assert shown["CSRF_COOKIE_SECURE"] is True
    assert shown["SECURE_SSL_REDIRECT"] is True
    assert shown["SECURE_HSTS_SECONDS"] == 31536000
    # The health check still answers over plain HTTP (compose's check calls it so).
    assert shown["SECURE_REDIRECT_EXEMPT"] == ["^healthz$"]


def test_x_forwarded_proto_is_trusted_only_behind_a_configured_proxy(tmp_path):
    assert settings_in(PRODUCTION | {"HTTPS": "1"}, tmp_path)["SECURE_PROXY_SSL_HEADER"] is None
    shown = settings_in(PRODUCTION | {"HTTPS": "1", "TRUSTED_PROXIES": "1"}, tmp_path)
    assert shown["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_site_url_follows_the_port_served(tmp_path):
    assert settings_in({"DEBUG": "1"}, tmp_path)["SITE_URL"] == "http://127.0.0.1:8000"
    assert settings_in({"DEBUG": "1", "PORT": "8123"}, tmp_path)["SITE_URL"] == (
        "http://127.0.0.1:8123"
    )
    shown = settings_in({"DEBUG": "1", "SITE_URL": "https://gk.example.gov.cn"}, tmp_path)
    assert shown["SITE_URL"] == "https://gk.example.gov.cn"


def test_importing_the_settings_creates_no_folders(tmp_path):
    settings_in(PRODUCTION, tmp_path)
    settings_in({"DEBUG": "1"}, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def clerk(db):
    return member(DepartmentFactory(code="dept-a"), Membership.Role.STAFF, username="clerk")


def test_every_page_carries_a_content_security_policy(client, clerk):
    for response in (client.get("/accounts/login/"), client.get("/healthz")):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "object-src 'none'" in policy


def test_signed_in_pages_are_private_to_the_browser(client, clerk):
    client.force_login(clerk)
    response = client.get("/ledger/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def test_no_template_needs_inline_script():
    # The policy allows scripts from our own static files only: an inline <script> or an
    # onclick= would be blocked in the browser.
    offenders = []
    for path in Path(django_settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        if INLINE_SCRIPT.search(text) or EVENT_ATTRIBUTE.search(text):
            offenders.append(str(path))
    assert offenders == []


def test_api_docs_load_their_script_from_a_file(client, clerk):
    client.force_login(clerk)
    html = client.get("/api/docs/").content.decode()
    assert "<script" in html
    assert not INLINE_SCRIPT.search(html)


def test_every_environment_variable_of_the_settings_is_in_the_readme():
    # The Django settings, the file store's and gunicorn's (gunicorn.conf.py at the root).
    source = "".join(
        Path(django_settings.BASE_DIR, *parts).read_text()
        for parts in (
            ("disclosure", "settings.py"),
            ("disclosure", "file_storage.py"),
            ("disclosure", "database.py"),
            ("gunicorn.conf.py",),
        )
    )
    names = set(
        re.findall(r"""(?:env(?:bool|int|list)|environ\.get)\(\s*["']([A-Z0-9_]+)["']""", source)
    )
    readme = Path(django_settings.BASE_DIR, "README.md").read_text()
    table = readme[readme.index("## Configuration (environment)") :]
    assert len(names) > 30
    assert sorted(n for n in names if f"`{n}`" not in table) == []
