"""The bureau office's pages: the dashboard and the ledger export (urging: `urging.py`).

Only the office (reviewers) and administrators may see them: everyone else signed in gets
403, anonymous visitors the sign-in page.
"""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from departments.access import office_required
from tasks_ledger.dashboard import selectors
from tasks_ledger.excel import views as excel_views
from tasks_ledger.plan.models import Plan


@office_required
@require_GET
def dashboard(request):
    """Where the plan stands: figures, the task × department matrix, lists and charts,
    filtered by the URL's query string, optionally as of a past day."""
    plan = Plan.objects.current()
    data = None
    if plan is not None:
        data = selectors.dashboard(plan=plan, params=request.GET, today=timezone.localdate())
    return render(request, "dashboard/dashboard.html", {"plan": plan, "data": data})


@office_required
@require_GET
def ledger_export(request):
    """The ledger workbook, as `/ledger/export.xlsx` makes it for the office (this older
    address stays for bookmarks)."""
    return excel_views.ledger_export(request)
