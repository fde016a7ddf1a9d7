"""Schemathesis against /api/schema/, through the WSGI app with a token: every operation is
called with generated data; no response is a server error and every response matches the
schema (status code, content type, body)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# Few examples an operation keeps the run well under two minutes; CI runs it every time.
EXAMPLES = 8


@pytest.fixture(params=["reviewer", "staff"])
def api_token(request, world):
    # The office reads everything and writes findings; department staff write entries.
    return Token.objects.get_or_create(user=world.users[request.param])[0].key


@pytest.fixture
def real_ids(world):
    """Objects of the world by the collection path they live under."""
    entries = world.entries
    return {
        "/api/departments/": [world.a.code, world.b.code],
        "/api/plans/": [world.plan.pk],
        "/api/tasks/": [world.shared.pk, world.b_only.pk],
        "/api/ledger-entries/": [
            entries.a_draft.pk,
            entries.a_submitted.pk,
            entries.b_draft.pk,
            entries.b_submitted.pk,
        ],
    }


@pytest.fixture
def _keep_test_connection():
    # Django closes the database connection at the end of each request; over WSGI here it
    # would close the test's transaction. Django's own test client unhooks it the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _generated_schema():
    # Generated in-process (no request, no database) and called over WSGI. schemathesis's
    # lazy fixture loader would let it be fetched from /api/schema/ itself, but it does
    # not run under pytest 9.2; tests/tasks_ledger/api/test_schema.py checks that the
    # served schema is this one.
    generator = SchemaGenerator()
    return generator.get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(_generated_schema())
schema.app = get_wsgi_application()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    # The same examples on every run, so that CI does not pass and fail by chance; no
    # example database left in the work tree.
    derandomize=True,
    database=None,
    # The database fixtures are per test on purpose: every example shares one world.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.usefixtures("_keep_test_connection")
def test_api_conforms_to_its_schema(case, api_token, real_ids):
    # Random ids almost never exist (404): every other example points at a real object
    # instead, so that reads and writes run through the selectors and services. Chosen
    # from the generated value itself, so that Hypothesis can replay an example.
    collection = case.operation.path.split("{", 1)[0]
    for name, value in (case.path_parameters or {}).items():
        if collection in real_ids and len(str(value)) % 2 == 0:
            choices = real_ids[collection]
            case.path_parameters[name] = choices[len(str(value)) // 2 % len(choices)]
    case.call_and_validate(
        headers={"Authorization": f"Token {api_token}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
