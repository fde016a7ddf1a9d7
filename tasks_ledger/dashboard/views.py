"""The bureau office's pages: the dashboard and the ledger export (urging: `urging.py`).

Only the office (reviewers) and administrators may see them: everyone else signed in gets
403, anonymous visitors the sign-in page.
"""

import functools
import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from departments.access import is_office
from departments.models import Department
from tasks_ledger.dashboard import selectors
from tasks_ledger.excel.export import write_ledger
from tasks_ledger.plan.models import Plan


def office_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_office(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@office_required
def dashboard(request):
    """Where the plan stands: figures, the task × department matrix, lists and charts,
    filtered by the URL's query string, optionally as of a past day."""
    plan = Plan.objects.current()
    data = None
    if plan is not None:
        data = selectors.dashboard(plan=plan, params=request.GET, today=timezone.localdate())
    return render(request, "dashboard/dashboard.html", {"plan": plan, "data": data})


@require_GET
@office_required
def ledger_export(request):
    """The ledger as a 工作台账 workbook (.xlsx), optionally one department's
    (?department=<code>). Built in a temporary file, then streamed from it."""
    plan = Plan.objects.current()
    if plan is None:
        raise Http404(_("No active plan."))
    department = None
    if request.GET.get("department"):
        department = get_object_or_404(Department, code=request.GET["department"])
    today = timezone.localdate()
    # An unnamed temporary file, gone as soon as the response closes it (so no `with`:
    # the response owns it).
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    write_ledger(out, plan=plan, today=today, department=department)
    out.seek(0)
    name = f"工作台账-{plan.year}-{department.code + '-' if department else ''}{today:%Y%m%d}.xlsx"
    return FileResponse(
        out,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
