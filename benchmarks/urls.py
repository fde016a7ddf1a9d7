"""The product's URLs plus a hello-world view, for the benchmark only (used through a
ROOT_URLCONF override, never by the product): the baseline the dashboard is compared with,
served through the same middleware by the same handler."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import cache_page

from disclosure.urls import urlpatterns as product_urlpatterns


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


@login_required
def hello_signed_in(request):
    """The same, but it reads who is signed in (the session and the user): the floor of
    any page of the product."""
    return HttpResponse(f"Hello, {request.user.username}", content_type="text/plain")


@login_required
def empty_page(request):
    """A product page with nothing of its own: base.html (header, menu, inbox badge)
    around an empty body, signed in. What every page of the product costs at least."""
    return render(request, "base.html")


urlpatterns = [
    path("bench-hello/", hello),
    # The public pages' baseline (benchmarks/public_pages.py): a hello-world from the cache.
    path("bench-hello-cached/", cache_page(60)(hello)),
    path("bench-hello-signed-in/", hello_signed_in),
    path("bench-empty-page/", empty_page),
    *product_urlpatterns,
]
