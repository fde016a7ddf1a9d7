from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksLedgerConfig(AppConfig):
    name = "tasks_ledger"
    verbose_name = _("Plans and ledgers")
