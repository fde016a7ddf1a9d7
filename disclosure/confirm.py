"""Irreversible steps (报送, 采纳, opening and closing a round) ask first, on the server.

A form posting such a step without ``confirm=yes`` changes nothing: it gets a page asking
the question, whose button posts the same fields again with ``confirm=yes``. Forms marked
``data-confirm`` ask in the browser instead (static/js/confirm.js adds the field when the
user agrees), saving that page load; without JavaScript the server's page still asks."""

from django.shortcuts import render

CONFIRM_FIELD = "confirm"


def confirmed(request) -> bool:
    return request.POST.get(CONFIRM_FIELD) == "yes"


def ask(request, *, question: str, details=(), cancel_url: str, extra_fields=()):
    """The confirmation page for this POST: the same fields (and `extra_fields`, pairs of
    name and value) posted again to the same address with ``confirm=yes``."""
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
        for value in values
    ]
    fields += list(extra_fields)
    context = {
        "question": question,
        "details": list(details),
        "fields": fields,
        "action": request.get_full_path(),
        "cancel_url": cancel_url,
    }
    return render(request, "confirm.html", context)
