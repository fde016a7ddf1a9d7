import time
import uuid

import pytest
from django.urls import resolve

from tests.object_store import s3_environment, storages_from

pytestmark = pytest.mark.django_db

ALL_UP = {"ok": True, "database": True, "broker": True, "files": True}


def test_healthz_reports_database_broker_and_files(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == ALL_UP


def test_healthz_says_which_part_is_down(client, settings):
    # Nothing listens on port 1: the broker check must fail, quickly, and say so.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == ALL_UP | {"ok": False, "broker": False}


def test_a_disk_store_that_cannot_be_written_is_down(client, settings, tmp_path):
    # Not made yet is fine (the first upload makes the folder)...
    settings.MEDIA_ROOT = tmp_path / "not-yet" / "media"
    assert client.get("/healthz").json() == ALL_UP
    # ...a place where no folder can be made is not (a file stands in the way; a folder
    # without write permission would pass here, as the tests run as root).
    (tmp_path / "a-file").write_text("")
    settings.MEDIA_ROOT = tmp_path / "a-file" / "media"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == ALL_UP | {"ok": False, "files": False}


def test_an_s3_store_with_its_bucket_is_up_and_without_it_down(
    client, settings, s3_store, monkeypatch
):
    assert client.get("/healthz").json() == ALL_UP
    missing = s3_environment(endpoint=s3_store.endpoint, bucket=f"gone-{uuid.uuid4().hex[:8]}")
    settings.STORAGES = storages_from(missing, monkeypatch)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == ALL_UP | {"ok": False, "files": False}


def test_a_silent_s3_store_is_reported_within_3_seconds(
    client, settings, monkeypatch, silent_server
):
    silent = s3_environment(endpoint=f"http://127.0.0.1:{silent_server}", bucket="evidence")
    settings.STORAGES = storages_from(silent, monkeypatch)
    resolve("/healthz")  # load the URLconf first: its import is not what is measured
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.json() == ALL_UP | {"ok": False, "files": False}
