from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "tasks_ledger.reminders"
    label = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        # The ledger announces each entry step to its listeners (see ledger/events.py for
        # why a registry): the reminders layer, above it, tells the people concerned.
        from departments.models import Membership
        from tasks_ledger.ledger.events import entry_event_listen
        from tasks_ledger.ledger.models import LedgerEntry
        from tasks_ledger.plan.models import Plan
        from tasks_ledger.reminders import todo_cache
        from tasks_ledger.reminders.entry_events import notify_entry_event
        from tasks_ledger.reminders.models import Notification

        entry_event_listen(notify_entry_event)
        # The header's cached 待办 counts are forgotten on every save or delete of what
        # they count, whichever path writes (todo_cache.py says why and how).
        for model, receiver in (
            (LedgerEntry, todo_cache.entry_changed),
            (Notification, todo_cache.notification_changed),
            (Membership, todo_cache.membership_changed),
            (Plan, todo_cache.plan_changed),
        ):
            post_save.connect(receiver, sender=model, dispatch_uid=f"todo:{model.__name__}")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"todo:{model.__name__}")
