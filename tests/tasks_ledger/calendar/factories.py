"""Factories of the calendar tests: the administrator's holidays."""

import factory

from tasks_ledger.calendar.models import Holiday


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holiday

    is_workday = False
    note = "节假日"
