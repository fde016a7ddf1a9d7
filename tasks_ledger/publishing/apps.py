from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "tasks_ledger.publishing"
    label = "publishing"
    verbose_name = _("Publishing")
