"""The bureau office's pages: the dashboard and the ledger export (urging: `urging.py`).

Only the office (reviewers) and administrators may see them: everyone else signed in gets
403, anonymous visitors the sign-in page.
"""

from django.shortcuts import render
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from departments.access import office_required
from tasks_ledger.dashboard import selectors
from tasks_ledger.excel import views as excel_views
from tasks_ledger.ledger import kept_pages
from tasks_ledger.plan.models import Plan


@office_required
@require_GET
def dashboard(request):
    """Where the plan stands: figures, the task × department matrix, lists and charts,
    filtered by the URL's query string, optionally as of a past day."""
    plan = Plan.objects.current()
    body = as_of = None
    if plan is not None:

        def build(*, csrf_token, today):
            data = selectors.dashboard(plan=plan, params=request.GET, today=today)
            context = {"plan": plan, "data": data, "request": request, "csrf_token": csrf_token}
            return get_template("dashboard/_body.html").render(context), data.as_of

        # Kept from the last request that asked the same while nothing it shows changed.
        body, as_of = kept_pages.kept_body(request, page="dashboard", plan=plan, build=build)
        body = mark_safe(body)  # our own template's output
    return render(request, "dashboard/dashboard.html", {"plan": plan, "body": body, "as_of": as_of})


@office_required
@require_GET
def ledger_export(request):
    """The ledger workbook, as `/ledger/export.xlsx` makes it for the office (this older
    address stays for bookmarks)."""
    return excel_views.ledger_export(request)
