"""/api/schema/ (OpenAPI 3 by drf-spectacular): served to members, valid, every field and
parameter described, every operation documenting its errors."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient


@pytest.fixture
def served(world):
    client = APIClient()
    client.force_login(world.users["staff"])
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_served_schema_is_valid_openapi_3(served):
    assert served["openapi"].startswith("3.")
    validate_schema(served)


def test_served_schema_is_the_one_schemathesis_tests(served):
    generated = SchemaGenerator().get_schema(request=None, public=True)
    assert sorted(served["paths"]) == sorted(generated["paths"])


def test_contract_paths_are_there(served):
    for path in (
        "/api/auth/token/",
        "/api/departments/",
        "/api/plans/",
        "/api/plans/{id}/",
        "/api/tasks/",
        "/api/tasks/{id}/",
        "/api/findings/",
    ):
        assert path in served["paths"], path


def walk_properties(schema, components, where, seen):
    """Every property of an object schema, followed through $ref and allOf."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return
        seen.add(name)
        yield from walk_properties(components[name], components, name, seen)
        return
    for part in schema.get("allOf", []) + schema.get("oneOf", []):
        yield from walk_properties(part, components, where, seen)
    for name, prop in schema.get("properties", {}).items():
        yield f"{where}.{name}", prop
        yield from walk_properties(prop, components, f"{where}.{name}", seen)
    if "items" in schema:
        yield from walk_properties(schema["items"], components, f"{where}[]", seen)


def described(prop):
    if prop.get("description"):
        return True
    # A field pointing at an enum or object component is described by that component's
    # own description, wrapped in allOf by drf-spectacular.
    return any(part.get("description") for part in prop.get("allOf", []))


def test_every_field_is_described(served):
    components = served["components"]["schemas"]
    missing = [
        where
        for name in components
        for where, prop in walk_properties(components[name], components, name, set())
        if not described(prop)
    ]
    assert missing == []


def test_every_parameter_is_described(served):
    missing = [
        f"{method.upper()} {path} {param['name']}"
        for path, operations in served["paths"].items()
        for method, operation in operations.items()
        for param in operation.get("parameters", [])
        if not param.get("description")
    ]
    assert missing == []


def test_every_operation_documents_its_errors(served):
    for path, operations in served["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for code in ("400", "401", "403", "404"):
                ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (method, path, code)
    assert "429" in served["paths"]["/api/auth/token/"]["post"]["responses"]


def test_token_endpoint_needs_no_credentials(served):
    security = served["paths"]["/api/auth/token/"]["post"].get("security")
    assert security in ([], [{}])
