"""The account page: who you are in the bureau, and your own name and phone."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from departments.access import membership_of, role_required
from departments.forms import PersonForm
from departments.services import person_details_set


@role_required
def account(request):
    membership = membership_of(request.user)
    # A superuser made on the command line has a role but no membership yet: the
    # administrator gives one (and the name with it); there is nothing here to edit.
    form = PersonForm(request.POST or None, instance=membership) if membership else None
    if form is not None and request.method == "POST" and form.is_valid():
        person_details_set(
            membership=membership,
            name=form.cleaned_data["name"],
            phone=form.cleaned_data["phone"],
        )
        messages.success(request, _("Your name and phone were saved."))
        return redirect("account")
    return render(request, "account.html", {"membership": membership, "form": form})
