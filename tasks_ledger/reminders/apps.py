from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "tasks_ledger.reminders"
    label = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        # The ledger announces each entry step to its listeners (see ledger/events.py for
        # why a registry): the reminders layer, above it, tells the people concerned.
        from tasks_ledger.ledger.events import entry_event_listen
        from tasks_ledger.reminders.entry_events import notify_entry_event

        entry_event_listen(notify_entry_event)
