"""Project-level views: the health check."""

import concurrent.futures

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from disclosure.celery import app as celery_app
from disclosure.storage import store_reachable

# The whole check answers within this many seconds, whatever the services do: a database
# or broker that accepts connections and never answers is reported down, not waited for.
HEALTHZ_BUDGET_SECONDS = 2.0

# Checks run in threads of their own, so that a hung one can be abandoned; a few threads
# are enough (the abandoned ones end at the services' own connect timeouts).
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="healthz")


def _database_ok() -> bool:
    # A fresh connection of this thread, closed after: a hung query cannot be interrupted,
    # and a page's persistent connection is not the one tested.
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    finally:
        connection.close()


def _broker_ok() -> bool:
    # The URL is read from settings on each call so that the check follows them.
    with celery_app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        if conn.transport.driver_type == "redis":
            # Connecting is not answering: a hung server accepts and then says nothing.
            conn.default_channel.client.ping()
    return True


def _within_budget(futures: dict) -> dict:
    done, _ = concurrent.futures.wait(futures.values(), timeout=HEALTHZ_BUDGET_SECONDS)
    return {
        name: future in done and future.exception() is None and future.result() is True
        for name, future in futures.items()
    }


@never_cache
def healthz(request):
    """For load balancers and operators: are the database, the broker and the file store
    reachable? Answers 503 naming the part that is down, within HEALTHZ_BUDGET_SECONDS."""
    checks = _within_budget(
        {
            "database": _pool.submit(_database_ok),
            "broker": _pool.submit(_broker_ok),
            "files": _pool.submit(store_reachable),
        }
    )
    ok = all(checks.values())
    return JsonResponse({"ok": ok, **checks}, status=200 if ok else 503)
