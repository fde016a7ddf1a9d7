"""The bureau office's pages: the dashboard, the urge (催办) button, the ledger export.

Only the office (reviewers) and administrators may see them: everyone else signed in gets
403, anonymous visitors the sign-in page.
"""

import functools

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from departments.access import is_office
from disclosure.redirects import redirect_to_next
from tasks_ledger.dashboard import selectors
from tasks_ledger.excel import views as excel_views
from tasks_ledger.plan.models import Assignment, Plan
from tasks_ledger.reminders.services import urge_create


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


class UrgeForm(forms.Form):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(max_length=500, required=False)
    next = forms.CharField(max_length=2000, required=False)


@require_POST
@office_required
def urge(request):
    """Urge the department of an assignment on its task: recorded, in its inbox, emailed."""
    form = UrgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The urge was not sent: the form was incomplete."))
        return redirect("dashboard:dashboard")
    assignment = get_object_or_404(
        Assignment.objects.select_related("task__section", "task__parent", "department"),
        pk=form.cleaned_data["assignment"],
    )
    urge_create(
        task=assignment.task,
        department=assignment.department,
        by=request.user,
        message=form.cleaned_data["message"],
    )
    messages.success(
        request,
        _("%(department)s was urged on task %(task)s.")
        % {"department": assignment.department.name, "task": assignment.task.code},
    )
    return redirect_to_next(request, "dashboard:dashboard")


@require_GET
@office_required
def ledger_export(request):
    """The ledger workbook, as `/ledger/export.xlsx` makes it for the office (this older
    address stays for bookmarks)."""
    return excel_views.ledger_export(request)
