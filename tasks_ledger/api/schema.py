"""OpenAPI additions drf-spectacular cannot infer: the error responses every operation may
give, in the one shape of tasks_ledger.api.exceptions."""

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error response has this shape.",
    "properties": {
        "type": {
            "type": "string",
            "enum": ["validation_error", "client_error", "server_error"],
            "description": "validation_error: the data was refused (400); client_error: any "
            "other 4xx; server_error: 5xx.",
        },
        "errors": {
            "type": "array",
            "description": "One item for each problem found.",
            "items": {
                "type": "object",
                "properties": {
                    "code": {
                        "type": "string",
                        "description": "A stable machine-readable code: required, invalid, "
                        "not_found, permission_denied, conflict, throttled, …",
                    },
                    "detail": {
                        "type": "string",
                        "description": "A message for people, in the request's language.",
                    },
                    "attr": {
                        "type": "string",
                        "nullable": True,
                        "description": "The field the error is about, dotted into nested data "
                        "(evidence.0.url); null when it is about the request as a whole.",
                    },
                },
                "required": ["code", "detail", "attr"],
            },
        },
    },
    "required": ["type", "errors"],
}

COMMON = {
    "400": "The request was refused: a field or query parameter is wrong (named in `attr`).",
    "401": "No valid credentials.",
    "403": "Not allowed for this account (or not signed in).",
    "404": "No such object visible to this account, or no such page.",
}
WRITE_METHODS = {"post", "put", "patch"}
PAGE_FIELDS = {
    "count": "How many objects match, over all pages.",
    "next": "URL of the next page; null on the last.",
    "previous": "URL of the previous page; null on the first.",
    "results": "This page's objects (50 a page; `?page=N`).",
}


def _error(description, schema_ref="#/components/schemas/Error"):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": schema_ref}}},
    }


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: document the error responses of every operation, and the
    fields of the paginated lists."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for name, component in schemas.items():
        if name.startswith("Paginated"):
            for field, description in PAGE_FIELDS.items():
                component["properties"][field].setdefault("description", description)
    if "LedgerEntry" in schemas:
        schemas["Conflict"] = {
            "allOf": [
                {"$ref": "#/components/schemas/Error"},
                {
                    "type": "object",
                    "properties": {
                        "current": {
                            "allOf": [{"$ref": "#/components/schemas/LedgerEntry"}],
                            "description": "The entry as stored now: nothing was overwritten.",
                        }
                    },
                    "required": ["current"],
                },
            ],
            "description": "A write based on an older version than the stored one.",
        }
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code, description in COMMON.items():
                responses.setdefault(code, _error(description))
            if path.startswith("/api/auth/token/"):
                responses.setdefault("429", _error("Too many token requests: wait and retry."))
            if path.startswith("/api/ledger-entries/") and method in WRITE_METHODS:
                responses.setdefault(
                    "409",
                    _error(
                        "The `version` sent is older than the stored one.",
                        "#/components/schemas/Conflict",
                    ),
                )
    return result
