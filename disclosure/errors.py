"""The browser's answer to a domain error (tasks_ledger/errors.py): one "refused" page;
and to a file store that failed (disclosure/storage.py): the same page, saying so, as a 503.

A middleware, so that views call their service and let what it refuses go by: no view
repeats the ladder of except clauses. The API answers the same errors in its own shape
(tasks_ledger/api/exceptions.py); DRF handles them before they reach this.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from disclosure.storage import StoreUnavailable
from tasks_ledger.errors import DomainError, Invalid, Locked, NotAllowed
from tasks_ledger.ledger.models import LedgerEntry

STATUS = [(Invalid, 400), (Locked, 409), (NotAllowed, 403)]


def refused(request, message: str, *, status: int = 403, entry=None, title: str = ""):
    """A page saying why not, with the way back to the entry it was about (if any)."""
    context = {"message": message, "entry": entry, "title": title}
    return render(request, "refused.html", context, status=status)


def refusal_for(request, error: DomainError):
    current = error.current
    if isinstance(error, Locked) and current is None:
        # What the user acted on is gone: as for any missing object.
        raise Http404(error.message)
    status = next((code for kind, code in STATUS if isinstance(error, kind)), 400)
    entry = current if isinstance(current, LedgerEntry) else None
    return refused(request, error.message, status=status, entry=entry)


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return refusal_for(request, exception)
        if isinstance(exception, StoreUnavailable):
            return refused(
                request, exception.message, status=503, title=_("File store unavailable")
            )
        return None
