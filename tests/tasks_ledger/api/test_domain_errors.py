"""One family of domain errors, two mappers that agree: the browser's refused page and the
API's error shape answer each kind with the same status, and the same bad input (a
malformed `version`) gets the same answer in both."""

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
    page = client.post(f"/ledger/entries/{entry.pk}/submit/", {"version": version})
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
