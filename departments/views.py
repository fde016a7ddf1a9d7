"""The account page: who you are in the bureau, and your own name and phone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from departments.access import membership_of
from departments.forms import PersonForm
from departments.services import person_details_set


@login_required
def account(request):
    membership = membership_of(request.user)
    # Without a membership the person has no place in the bureau yet: the administrator
    # gives one (and the name with it); there is nothing here to edit.
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
