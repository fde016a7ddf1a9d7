"""/search/?q=…&state=…&from=…&to=…&page=…: the filters live in the URL, so a search can be
bookmarked, shared and paged."""

from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from departments.access import role_required
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.search.selectors import MAX_QUERY_LENGTH, SearchFilters, search


def _date(request, field, errors):
    raw = request.GET.get(field, "").strip()
    if not raw:
        return None
    try:
        value = parse_date(raw)
    except ValueError:
        value = None
    if value is None:
        errors.append(
            _("“%(field)s”: %(value)s is not a date (YYYY-MM-DD).")
            % {
                "field": field,
                "value": raw,
            }
        )
    return value


@role_required
def search_page(request):
    errors = []
    state = request.GET.get("state", "")
    if state and state not in LedgerEntry.State.values:
        errors.append(_("“state”: %(value)s is not a state of an entry.") % {"value": state})
        state = ""
    filters = SearchFilters(
        q=request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH],
        state=state,
        date_from=_date(request, "from", errors),
        date_to=_date(request, "to", errors),
    )
    page = (
        None
        if errors
        else search(user=request.user, filters=filters, page_number=request.GET.get("page", 1))
    )
    # The page's links keep every filter but the page number.
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "search/results.html",
        {
            "filters": filters,
            "page": page,
            "errors": errors,
            "states": LedgerEntry.State.choices,
            "kept_query": kept.urlencode(),
        },
        status=400 if errors else 200,
    )
