"""Reads of a task's urges (催办) for the office: who, when, the message, read or not."""

from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat

from tasks_ledger.reminders.models import SentReminder, Urge


def urges_for_task(*, task):
    """The task's urges, newest first, each with `read`: someone of the department opened
    a message of it (the first or a confirmed repeat). One query."""
    target = Concat(Value("urge:"), Cast(OuterRef("id"), CharField()))
    read = SentReminder.objects.filter(
        Q(target=target) | Q(target__startswith=Concat(target, Value(":"))),
        kind="urge",
        notification__read_at__isnull=False,
    )
    return (
        Urge.objects.filter(task=task)
        .select_related("by__membership", "department")
        .annotate(read=Exists(read))
        .order_by("-created_at", "-id")
    )
