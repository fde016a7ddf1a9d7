"""The one shape every API error has, whatever raised it.

    {"type": "validation_error" | "client_error" | "server_error",
     "errors": [{"code": "required", "detail": "This field is required.", "attr": "summary"}]}

`attr` names the field, with dots into nested data ("evidence.0.url"), or is null when the
error is about the request as a whole. A refused stale write (409) also carries `current`:
the entry as it is stored now, so the caller can show it beside their own change.

The services' domain errors (tasks_ledger/errors.py) are answered here, in one place, as
the browser answers them with its refused page: bad input 400 naming the field, not
allowed 403, locked or stale 409 (404 when the object is gone).
"""

import logging

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from tasks_ledger import errors
from tasks_ledger.api.ledger import entry_body
from tasks_ledger.ledger.models import LedgerEntry

logger = logging.getLogger(__name__)


class Conflict(exceptions.APIException):
    """A write based on a version older than the stored one."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Someone else changed this entry since you read it.")
    default_code = "conflict"

    def __init__(self, *, current: dict, detail=None):
        super().__init__(detail)
        self.current = current


def flatten(detail, attr: str | None = None) -> list[dict]:
    """DRF's nested error detail (dicts by field, lists by item) as a flat list."""
    if isinstance(detail, dict):
        errors = []
        for key, value in detail.items():
            # Errors about an object as a whole are about its parent's attr (None at the
            # top); "detail" is how DRF words an error that is not about any field.
            if key == api_settings.NON_FIELD_ERRORS_KEY or (key == "detail" and attr is None):
                errors.extend(flatten(value, attr))
            else:
                errors.extend(flatten(value, f"{attr}.{key}" if attr else str(key)))
        return errors
    if isinstance(detail, list):
        errors = []
        for index, item in enumerate(detail):
            # A list of messages for one field stays on that field; a list of nested
            # objects (ListSerializer errors) names each item by its index.
            if isinstance(item, dict | list):
                errors.extend(flatten(item, f"{attr}.{index}" if attr else str(index)))
            else:
                errors.extend(flatten(item, attr))
        return errors
    code = getattr(detail, "code", None) or "error"
    return [{"code": code, "detail": str(detail), "attr": attr}]


def as_api_error(error: errors.DomainError) -> exceptions.APIException:
    """A domain error as the DRF exception that gives its status and shape."""
    if isinstance(error, errors.Invalid):
        detail = {
            api_settings.NON_FIELD_ERRORS_KEY if name == errors.NON_FIELD else name: messages
            for name, messages in error.errors.items()
        }
        return exceptions.ValidationError(detail, code=error.code)
    if isinstance(error, errors.Locked):
        if error.current is None:
            return exceptions.NotFound()
        current = entry_body(error.current) if isinstance(error.current, LedgerEntry) else None
        return Conflict(current=current, detail=error.message)
    if isinstance(error, errors.NotAllowed):
        return exceptions.PermissionDenied(error.message)
    return exceptions.ValidationError(
        {api_settings.NON_FIELD_ERRORS_KEY: [error.message]}, code=error.code
    )


def exception_handler(exc, context):
    if isinstance(exc, errors.DomainError):
        exc = as_api_error(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        if settings.DEBUG:
            # Let Django's debug page show the traceback.
            return None
        logger.exception("Unhandled error in the API", exc_info=exc)
        return Response(
            {
                "type": "server_error",
                "errors": [
                    {"code": "error", "detail": str(_("A server error occurred.")), "attr": None}
                ],
            },
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        kind = "validation_error"
    elif response.status_code >= 500:
        kind = "server_error"
    else:
        kind = "client_error"
    # DRF has already turned Django's Http404 and PermissionDenied into its own errors
    # here, each with a code.
    body = {"type": kind, "errors": flatten(response.data)}
    if isinstance(exc, Conflict) and exc.current is not None:
        body["current"] = exc.current
    response.data = body
    return response


class NotFoundView(APIView):
    """Any other URL under /api/: a 404 in the API's error shape, not Django's HTML page."""

    permission_classes = [permissions.AllowAny]
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()
