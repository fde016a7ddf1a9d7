"""One family of domain errors, two mappers that agree: the browser's refused page and the
API's error shape answer each kind with the same status, and the same bad input (a
malformed `version`) gets the same answer in both."""

import re

import pytest
from django.http import Http404
from django.test import RequestFactory

from disclosure.errors import refusal_for
from tasks_ledger import errors
from tasks_ledger.api.exceptions import as_api_error
from tasks_ledger.ledger.models import LedgerEntry
from tests.tasks_ledger.api.conftest import assert_error_shape


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.Invalid.about("summary", "太短"), 400),
        (errors.Invalid.about(None, "整体有误"), 400),
        (errors.NotAllowed("不是你的"), 403),
        (errors.Locked("已采纳"), 404),  # no `current`: what was acted on is gone
        (errors.Conflict("有人已保存", current=object()), 409),
    ],
)
def test_browser_and_api_answer_each_kind_with_one_status(db, error, status):
    request = RequestFactory().post("/")
    if status == 404:
        with pytest.raises(Http404):
            refusal_for(request, error)
    else:
        assert refusal_for(request, error).status_code == status
    assert as_api_error(error).status_code == status


@pytest.mark.parametrize("version", ["abc", "0", "-3", "1.5"])
def test_a_malformed_version_gets_the_same_answer_in_browser_and_api(
    client, world, as_persona, version
):
    entry = world.entries.a_draft
    client.force_login(world.users["head"])
    page = client.post(
        f"/ledger/entries/{entry.pk}/submit/", {"version": version, "confirm": "yes"}
    )
    api = as_persona("head").post(
        f"/api/ledger-entries/{entry.pk}/submit/", {"version": version}, format="json"
    )
    assert page.status_code == 400
    assert_error_shape(api, status=400, attr="version")
    message = api.json()["errors"][0]["detail"]
    assert message in page.content.decode()
    # Refused, not taken as "no version given": the draft was not submitted.
    entry.refresh_from_db()
    assert entry.state == LedgerEntry.State.DRAFT


def test_a_too_long_document_number_is_refused_in_both_never_cut_short(client, world, as_persona):
    """The browser used to store the first 200 characters of a longer 文号; now both paths
    refuse it, naming the field, and write nothing."""
    number = "宿交发" + "〔2016〕" * 40  # 243 characters, over the column's 200
    before = LedgerEntry.objects.count()
    client.force_login(world.users["staff"])
    page = client.post(
        f"/ledger/tasks/{world.a_only.pk}/new/",
        {
            "happened_on": "2016-07-01",
            "summary": "公开财政资金",
            "status": "in_progress",
            "doc_numbers": number,
        },
    )
    api = as_persona("staff").post(
        "/api/ledger-entries/",
        {
            "task": world.a_only.pk,
            "happened_on": "2016-07-01",
            "summary": "公开财政资金",
            "status": "in_progress",
            "evidence": [{"doc_number": number}],
        },
        format="json",
    )
    assert page.status_code == 400
    errors = re.findall(r'<p class="errorlist"[^>]*>(.*?)</p>', page.content.decode(), re.S)
    assert len(errors) == 1 and "200" in errors[0], errors  # on the 文号 field, the limit named
    assert_error_shape(api, status=400, attr="evidence.0.doc_number")
    assert LedgerEntry.objects.count() == before
