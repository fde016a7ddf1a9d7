"""Response headers every page gets: the Content-Security-Policy, and Cache-Control: private
on pages served to a signed-in user (no shared cache or proxy may keep a department's
ledger and hand it to the next person)."""

from django.conf import settings
from django.utils.cache import patch_cache_control


def security_headers(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        # Whoever carries a session cookie may be signed in: asking the session would cost
        # a database query on every response, and fail again when the database is down.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, private=True)
        return response

    return middleware
