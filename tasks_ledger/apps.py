from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class TasksLedgerConfig(AppConfig):
    name = "tasks_ledger"
    verbose_name = _("Plans and ledgers")

    def ready(self):
        # The office's kept pages are forgotten on every save or delete of what they show,
        # whichever path writes (ledger/kept_pages.py says why and how).
        from departments.models import Department, Membership
        from tasks_ledger.calendar.models import Holiday
        from tasks_ledger.ledger import kept_pages
        from tasks_ledger.ledger.models import Evidence, LedgerEntry
        from tasks_ledger.plan.models import Assignment, Deadline, Plan, Section, Task

        receivers = [(LedgerEntry, kept_pages.entry_changed)]
        receivers += [
            (model, kept_pages.changed)
            for model in (
                Evidence,
                Assignment,
                Task,
                Section,
                Deadline,
                Plan,
                Department,
                Membership,
                Holiday,
            )
        ]
        for model, receiver in receivers:
            uid = f"kept-pages:{model.__name__}"
            post_save.connect(receiver, sender=model, dispatch_uid=uid)
            post_delete.connect(receiver, sender=model, dispatch_uid=uid)
