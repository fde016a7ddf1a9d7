"""催办 from anywhere: the office urges a department on a task, with a message, from the task
page, the dashboard's lists, its matrix and its department table. Urging the same task ×
department again the same day asks first, and stays one record."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from departments.access import office_required
from departments.models import Department
from disclosure.redirects import redirect_to_next
from tasks_ledger.plan.models import Assignment, Plan, Task, code_related
from tasks_ledger.reminders.services import UrgedToday, urge_create
from tasks_ledger.reminders.urge_history import urges_for_task


class UrgeForm(forms.Form):
    assignment = forms.ModelChoiceField(
        queryset=Assignment.objects.none(), label=gettext_lazy("Task and department")
    )
    message = forms.CharField(
        max_length=500, required=False, label=gettext_lazy("Message (optional)")
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignment"]
        field.queryset = assignments
        field.label_from_instance = lambda a: f"{a.task.code} {a.task.title} · {a.department.name}"


def _assignments(params):
    """The current plan's assignments the page offers: one task's departments (?task=),
    one department's tasks (?department=), or both narrowed to one."""
    rows = Assignment.objects.select_related(*code_related("task"), "department").order_by(
        "task__section__order", "task__order", "task_id", "department__order"
    )
    plan = Plan.objects.current()
    rows = rows.filter(task__plan=plan) if plan else rows.none()
    if params.get("task", "").isdigit():
        rows = rows.filter(task_id=int(params["task"]))
    if params.get("department"):
        rows = rows.filter(department__code=params["department"])
    return rows


@office_required
@require_http_methods(["GET", "POST"])
def urge(request):
    """GET: the form (narrowed by ?task= and ?department=) and the task's urge history.
    POST: urge; a second urge of the day is shown back for confirmation first."""
    params = request.POST if request.method == "POST" else request.GET
    form = UrgeForm(
        request.POST or None,
        assignments=_assignments(request.GET),
        initial={"next": params.get("next", "")},
    )
    asked = None
    if request.method == "POST" and form.is_valid():
        assignment = form.cleaned_data["assignment"]
        try:
            urge_create(
                task=assignment.task,
                department=assignment.department,
                by=request.user,
                message=form.cleaned_data["message"],
                confirmed=form.cleaned_data["confirmed"],
            )
        except UrgedToday as already:
            asked = already.urge
            # Asked back about this one task × department only, whatever the page offered.
            form = UrgeForm(
                initial=form.cleaned_data | {"confirmed": True},
                assignments=_assignments(request.GET).filter(pk=assignment.pk),
            )
        else:
            messages.success(
                request,
                _("%(department)s was urged on task %(task)s.")
                % {"department": assignment.department.name, "task": assignment.task.code},
            )
            return redirect_to_next(request, "dashboard:dashboard")
    task = None
    if request.GET.get("task", "").isdigit():
        task = Task.objects.filter(pk=int(request.GET["task"])).first()
    department = Department.objects.filter(code=request.GET.get("department") or "").first()
    return render(
        request,
        "dashboard/urge.html",
        {
            "form": form,
            "asked": asked,
            "asked_at": timezone.localtime(asked.created_at) if asked else None,
            "task": task,
            "department": department,
            "urges": list(urges_for_task(task=task)) if task else [],
        },
        status=400 if request.method == "POST" and not asked and form.errors else 200,
    )


@office_required
@require_GET
def task_urges(request, task_pk):
    """The task page's urge history (loaded into it by htmx, so the ledger page asks the
    reminders layer nothing itself)."""
    task = get_object_or_404(Task, pk=task_pk)
    # Only the current plan's tasks are urged (the form offers no other): a past plan's
    # task shows its history without the button.
    current = Plan.objects.current()
    return render(
        request,
        "dashboard/_urge_history.html",
        {
            "task": task,
            "urges": list(urges_for_task(task=task)),
            "with_link": current is not None and task.plan_id == current.pk,
        },
    )
