"""Celery tasks of the clocks: thin wrappers over the alerts (alerts.py)."""

from celery import shared_task
from django.utils import timezone

from tasks_ledger.clocks import alerts


@shared_task
def event_alert_send_task(event_id: int) -> bool:
    """Tell the departments that must act that an event started their clocks. Queued when
    the event is recorded; sends nothing if the alert went already."""
    return alerts.event_alert_send(event_id=event_id, now=timezone.now())


@shared_task
def clock_alerts_send_task() -> dict:
    """Send every clock alert due now (due soon, breached, and any "clock started" alert
    that did not go when its event was recorded), each exactly once. Run by beat every few
    minutes; running it twice sends nothing twice."""
    return alerts.clock_alerts_send(now=timezone.now())
