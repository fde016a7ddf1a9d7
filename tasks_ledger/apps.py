from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class TasksLedgerConfig(AppConfig):
    name = "tasks_ledger"
    verbose_name = _("Plans and ledgers")

    def ready(self):
        # The dashboard's kept body is forgotten on every save or delete of what it shows,
        # whichever path writes (dashboard/page_cache.py says why and how).
        from departments.models import Department
        from tasks_ledger.calendar.models import Holiday
        from tasks_ledger.dashboard import page_cache
        from tasks_ledger.ledger.models import Evidence, LedgerEntry
        from tasks_ledger.plan.models import Assignment, Deadline, Plan, Section, Task

        receivers = [(LedgerEntry, page_cache.entry_changed)]
        receivers += [
            (model, page_cache.changed)
            for model in (Evidence, Assignment, Task, Section, Deadline, Plan, Department, Holiday)
        ]
        for model, receiver in receivers:
            uid = f"dashboard:{model.__name__}"
            post_save.connect(receiver, sender=model, dispatch_uid=uid)
            post_delete.connect(receiver, sender=model, dispatch_uid=uid)
