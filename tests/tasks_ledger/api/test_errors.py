"""The one error shape: {"type", "errors": [{"code", "detail", "attr"}]}, for every kind
of error the API gives."""

from rest_framework import exceptions
from rest_framework.exceptions import ErrorDetail
from rest_framework.test import APIClient

from tasks_ledger.api.exceptions import exception_handler, flatten
from tests.tasks_ledger.api.conftest import assert_error_shape


def test_flatten_names_nested_fields_with_dots():
    detail = {
        "summary": [ErrorDetail("This field is required.", code="required")],
        "evidence": [{}, {"url": [ErrorDetail("Enter a valid URL.", code="invalid")]}],
        "non_field_errors": [ErrorDetail("Not assigned.", code="not_assigned")],
    }
    assert flatten(detail) == [
        {"code": "required", "detail": "This field is required.", "attr": "summary"},
        {"code": "invalid", "detail": "Enter a valid URL.", "attr": "evidence.1.url"},
        {"code": "not_assigned", "detail": "Not assigned.", "attr": None},
    ]


def test_flatten_a_plain_message():
    assert flatten({"detail": ErrorDetail("Not found.", code="not_found")}) == [
        {"code": "not_found", "detail": "Not found.", "attr": None}
    ]


def test_unhandled_error_is_a_json_500(settings):
    settings.DEBUG = False
    response = exception_handler(RuntimeError("boom"), {})
    assert response.status_code == 500
    assert response.data == {
        "type": "server_error",
        "errors": [{"code": "error", "detail": response.data["errors"][0]["detail"], "attr": None}],
    }
    # Nothing of the exception's text leaks to the caller.
    assert "boom" not in str(response.data)


def test_validation_error_type():
    response = exception_handler(exceptions.ValidationError({"year": ["bad"]}), {})
    assert response.data["type"] == "validation_error"
    assert response.data["errors"][0]["attr"] == "year"


def test_unknown_api_path_is_a_json_404(world, as_persona):
    for persona in ("anonymous", "reviewer"):
        client = as_persona(persona)
        assert_error_shape(client.get("/api/nothing-here/"), status=404, code="not_found")
        # An id the router would not match (a dot in it) is not found in the same shape.
        assert_error_shape(client.get("/api/plans/1.5/"), status=404, code="not_found")


def test_not_a_number_id_is_404(world, as_persona):
    assert_error_shape(as_persona("reviewer").get("/api/tasks/abc/"), status=404)


def test_method_not_allowed_shape(world, as_persona):
    body = assert_error_shape(
        as_persona("reviewer").delete("/api/tasks/"), status=405, code="method_not_allowed"
    )
    assert body["type"] == "client_error"


def test_malformed_json_is_a_validation_shape(world, as_persona):
    response = as_persona("reviewer").generic(
        "POST", "/api/findings/", "{not json", content_type="application/json"
    )
    assert_error_shape(response, status=400, code="parse_error", attr=None)


def test_errors_speak_chinese_by_default_and_english_on_request(world):
    client = APIClient()
    zh = client.get("/api/tasks/").json()["errors"][0]["detail"]
    en = client.get("/api/tasks/", HTTP_ACCEPT_LANGUAGE="en").json()["errors"][0]["detail"]
    assert en == "Authentication credentials were not provided."
    assert zh != en
