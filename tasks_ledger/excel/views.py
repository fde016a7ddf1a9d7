"""`/ledger/export.xlsx`: the 工作台账 workbook, for whoever may read it.

A department's people export their own department's ledger (asking for another's is a
404: it is not theirs to know about); the office exports any department, or all. The
page's choices come along in the query string: `department` (office only), `section`,
`status` (or the ledger page's `light`) and `as_of` (a past day)."""

import datetime
import tempfile

from django import forms
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from departments.access import department_of, is_office, reader_required
from departments.models import Department
from disclosure.downloads import content_disposition
from tasks_ledger.excel.export import ALL_DEPARTMENTS, write_ledger
from tasks_ledger.ledger.status import Light
from tasks_ledger.plan.models import Plan, Section

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportChoices(forms.Form):
    """The query string: a bad value is refused with the field's name, never ignored (a
    file that silently left a filter out would be taken for the filtered one)."""

    department = forms.CharField(required=False)
    section = forms.IntegerField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", "")] + list(Light.LABELS.items()))
    light = forms.ChoiceField(required=False, choices=[("", "")] + list(Light.LABELS.items()))
    as_of = forms.DateField(required=False)

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day is not None and day > self.today:
            raise ValidationError(_("The as-of day cannot be in the future."))
        # Today's ledger is the live one: no need to rebuild it from the history.
        return None if day == self.today else day


def _department(request, code: str) -> Department | None:
    """The department to export, decided by who asks (see the module docstring)."""
    if is_office(request.user):
        return get_object_or_404(Department, code=code) if code else None
    own = department_of(request.user)
    if code and code != own.code:
        raise Http404
    return own


@reader_required
@require_GET
def ledger_export(request):
    """The ledger workbook (.xlsx), built in a temporary file, then streamed from it."""
    plan = Plan.objects.current()
    if plan is None:
        raise Http404(_("No active plan."))
    today = timezone.localdate()
    choices = ExportChoices(request.GET, today=today)
    if not choices.is_valid():
        problems = "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in choices.errors.items()
        )
        return HttpResponseBadRequest(
            _("The export was not made: %(problems)s") % {"problems": problems},
            content_type="text/plain; charset=utf-8",
        )
    chosen = choices.cleaned_data
    department = _department(request, chosen["department"])
    section = None
    if chosen["section"] is not None:
        section = get_object_or_404(Section, plan=plan, pk=chosen["section"])
    as_of = chosen["as_of"]
    # An unnamed temporary file, gone as soon as the response closes it (so no `with`:
    # the response owns it).
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    write_ledger(
        out,
        plan=plan,
        today=today,
        department=department,
        as_of=as_of,
        section=section,
        light=chosen["status"] or chosen["light"] or None,
    )
    out.seek(0)
    day = as_of or today
    who = department.name if department else ALL_DEPARTMENTS
    name = f"{plan.year}年工作台账-{who}-{day:%Y%m%d}.xlsx"
    fallback = f"ledger-{plan.year}-{department.code if department else 'all'}-{day:%Y%m%d}.xlsx"
    response = FileResponse(out, content_type=XLSX)
    response["Content-Disposition"] = content_disposition(name, fallback=fallback)
    return response
