"""The year's summary page: choose a plan year, a period and (the office) a department or
the whole bureau, and download the .docx draft. A department gets its own summary only,
whatever the query string says; anyone else with no role gets a 403."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.access import department_of, is_office, reader_required
from departments.models import Department
from tasks_ledger.plan.models import Plan
from tasks_ledger.reviews.summary import SummaryError, year_summary
from tasks_ledger.reviews.summary_docx import summary_docx

DAY_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class SummaryForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Plan year"), coerce=int)
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"),
        queryset=Department.objects.filter(active=True),
        required=False,
        empty_label=gettext_lazy("The whole bureau"),
        to_field_name="code",
    )
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=DAY_INPUT)
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=DAY_INPUT)

    def __init__(self, *args, own_department=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in Plan.objects.values_list("year", flat=True)]
        if own_department is not None:
            # A department's summary is its own: the choice is not offered, and a code
            # sent anyway is ignored (the view uses the signed-in department).
            del self.fields["department"]


@reader_required
def summary_page(request):
    office = is_office(request.user)
    own = department_of(request.user)
    form = SummaryForm(request.GET or None, own_department=None if office else own)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        department = data.get("department") if office else own
        try:
            summary = year_summary(
                year=data["year"], department=department, start=data["start"], end=data["end"]
            )
        except SummaryError as exc:
            form.add_error(None, str(exc))
        else:
            response = HttpResponse(summary_docx(summary), content_type=DOCX)
            name = f"summary-{data['year']}-{department.code if department else 'bureau'}.docx"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    return render(
        request,
        "reviews/summary.html",
        {"form": form, "title": _("Year's summary")},
    )
