"""The administrator's holiday calendar: the days that override `chinese-calendar`."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Holiday(models.Model):
    """The administrator's word on one day: a public holiday, or a 调休 working day. It
    overrides `chinese-calendar`, and covers the years the package does not know."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("working day"),
        default=False,
        help_text=_("Tick for a 调休 working day (a weekend day worked); leave for a day off."),
    )
    note = models.CharField(_("note"), max_length=100, blank=True, help_text=_("如:国庆节"))

    # The tables keep the names they had when the model lived in the clocks app: the model
    # moved (migrations calendar 0001 and clocks 0004), the rows did not.
    history = HistoricalRecords(table_name="clocks_historicalholiday")

    class Meta:
        db_table = "clocks_holiday"
        verbose_name = _("holiday or working day")
        verbose_name_plural = _("holidays and working days")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date} {self.note}".strip()
