"""Limits on how often one address and one account may ask for a password-reset email.

A small fixed-window counter in the cache (Redis when REDIS_URL is set, so that every
worker counts together) rather than another dependency: django-axes counts failed
sign-ins only, and one view needs two counters. Sign-in and the API token have their
own limits (django-axes, DRF's throttle).
"""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render

from disclosure.client_ip import client_ip

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'5/hour' → (5, 3600)."""
    try:
        count, period = rate.split("/")
        return int(count), PERIODS[period]
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"a rate is written like 5/hour, not {rate!r}") from exc


def hit(*, key: str, rate: str) -> bool:
    """Count one request under `key`; False once the window's allowance is used up."""
    allowed, period = parse_rate(rate)
    cache_key = f"ratelimit:{key}:{int(time.time() // period)}"
    # add() is a no-op when the key exists; incr() is atomic in Redis and in LocMemCache.
    cache.add(cache_key, 0, timeout=period)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window expired between add() and incr()
        cache.set(cache_key, 1, timeout=period)
        count = 1
    return count <= allowed


def password_reset_limited(view):
    """Refuse a password-reset request (429) beyond PASSWORD_RESET_RATE_PER_ADDRESS from one
    address or PASSWORD_RESET_RATE_PER_ACCOUNT for one email address. Both counters count
    every request, so that rotating addresses does not help against one account."""

    @functools.wraps(view)
    def limited(request, *args, **kwargs):
        if request.method == "POST":
            email = request.POST.get("email", "").strip().lower()
            by_address = hit(
                key=f"password-reset:ip:{client_ip(request)}",
                rate=settings.PASSWORD_RESET_RATE_PER_ADDRESS,
            )
            by_account = hit(
                key=f"password-reset:email:{email}",
                rate=settings.PASSWORD_RESET_RATE_PER_ACCOUNT,
            )
            if not (by_address and by_account):
                return render(request, "registration/password_reset_throttled.html", status=429)
        return view(request, *args, **kwargs)

    return limited
