"""Who hears of an entry's step (submitted, returned, accepted): listeners that the layers
above the ledger register, so that the ledger tells them without importing them.

Why a registry and not a call from each view: every path that moves an entry — the browser,
the API, a review round, the demo, bulk actions — goes through the three services in
`services.py`, so announcing there is the one place that cannot be forgotten. The ledger may
not import reminders (layers run ledger → reminders), hence the reminders app registers its
listener in its `AppConfig.ready()`. This is not a Django signal: one list, called in order,
inside the service's transaction — what a listener writes commits or rolls back with the
step itself, so a step is announced exactly once; listeners queue their outside sends
(email, group robots) with `transaction.on_commit`.
"""

from collections.abc import Callable

SUBMITTED = "submitted"
RETURNED = "returned"
ACCEPTED = "accepted"

_listeners: list[Callable] = []


def entry_event_listen(listener: Callable) -> None:
    """Call `listener(entry=…, event=…, by=…)` on each step; registering twice is once."""
    if listener not in _listeners:
        _listeners.append(listener)


def entry_event_announce(*, entry, event: str, by) -> None:
    for listener in _listeners:
        listener(entry=entry, event=event, by=by)
