"""Response headers every page gets: the Content-Security-Policy, and Cache-Control: private
on pages served to a signed-in user (no shared cache or proxy may keep a department's
ledger and hand it to the next person)."""

from django.conf import settings
from django.utils.cache import patch_cache_control


def security_headers(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        return response

    return middleware
