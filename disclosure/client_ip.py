"""The client's address, the one rule for everything that counts per address (the sign-in
lock-out, the password-reset limit; DRF's throttles follow the same NUM_PROXIES)."""

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, unless TRUSTED_PROXIES reverse proxies stand in front of the app: then
    the address the outermost of them appended to X-Forwarded-For. Entries further left
    were written by the client and are never trusted."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote_addr
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote_addr
    return addresses[-min(proxies, len(addresses))]
