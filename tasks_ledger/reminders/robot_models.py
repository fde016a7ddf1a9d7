"""Group robots (钉钉 / 企业微信): a department's chat group hears the same messages as its
inbox. Kept beside `models.py` (which imports these) so the robot concern has its own file."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from departments.models import Department


class RobotChannel(models.Model):
    """One group robot of a department, set by the administrator."""

    class Kind(models.TextChoices):
        DINGTALK = "dingtalk", _("DingTalk group robot")
        WECOM = "wecom", _("WeCom group robot")

    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="robot_channels",
        verbose_name=_("department"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    webhook_url = models.URLField(_("webhook URL"), max_length=500)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("DingTalk's 加签 secret (SEC…); leave empty for WeCom."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")
        ordering = ["department__order", "id"]

    def __str__(self):
        return f"{self.department} · {self.get_kind_display()}"


class RobotMessage(models.Model):
    """One message for one robot. The unique key makes posting idempotent: an event told
    twice inserts nothing the second time; `sent_at` is claimed by the worker posting it."""

    channel = models.ForeignKey(
        RobotChannel,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("group robot"),
    )
    key = models.CharField(_("key"), max_length=100)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("group robot message")
        verbose_name_plural = _("group robot messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "key"], name="robot_message_once"),
        ]

    def __str__(self):
        return f"{self.channel} · {self.key}"
