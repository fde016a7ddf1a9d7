"""The "Copy to year Y" page: the bureau office (or the administrator) copies a plan to
another year. A page of its own, beside the plan pages, so that it stays one small concern."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.access import office_required
from tasks_ledger.clone.services import MAX_YEAR, MIN_YEAR, PlanCloneError, plan_clone
from tasks_ledger.plan.models import Plan


class PlanCloneForm(forms.Form):
    source = forms.ModelChoiceField(
        label=gettext_lazy("plan to copy"), queryset=Plan.objects.none(), empty_label=None
    )
    new_year = forms.IntegerField(
        label=gettext_lazy("copy to year"), min_value=MIN_YEAR, max_value=MAX_YEAR
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = Plan.objects.order_by("-year")


@office_required
def plan_clone_page(request):
    if request.method == "POST":
        form = PlanCloneForm(request.POST)
        if form.is_valid():
            try:
                copy = plan_clone(
                    plan=form.cleaned_data["source"],
                    new_year=form.cleaned_data["new_year"],
                    by=request.user,
                )
            except PlanCloneError as exc:
                form.add_error("new_year", str(exc))
            else:
                messages.success(
                    request,
                    _("The plan of %(year)s was copied to %(new_year)s.")
                    % {"year": form.cleaned_data["source"].year, "new_year": copy.plan.year},
                )
                for review_round, _source in copy.unconfirmed_rounds:
                    messages.warning(
                        request,
                        _(
                            "%(round)s is dated %(date)s without the official holiday "
                            "calendar of its year: please confirm it in the administration."
                        )
                        % {"round": review_round, "date": review_round.date},
                    )
                return redirect("plan-overview")
    else:
        latest = Plan.objects.order_by("-year").first()
        initial = {"source": latest, "new_year": latest.year + 1} if latest else {}
        form = PlanCloneForm(initial=initial)
    return render(request, "plan/clone.html", {"form": form})
