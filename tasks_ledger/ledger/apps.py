from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "tasks_ledger.ledger"
    label = "ledger"
    verbose_name = _("Ledgers")
