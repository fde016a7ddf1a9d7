"""Where a posted form sends the user afterwards: its `next` field when that is a URL of
this site (never another host: an open redirect would make our links phishing bait),
otherwise the view's own page."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_to_next(request, fallback: str, *args, **kwargs):
    """`redirect` to the POSTed `next` if it is safe, else to `fallback` (a URL name or
    path, with `args`/`kwargs` as for `redirect`)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback, *args, **kwargs)
