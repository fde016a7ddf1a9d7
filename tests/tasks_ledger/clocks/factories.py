"""Factories of the clock tests: ledger entries with evidence, holidays."""

import factory

from tasks_ledger.clocks.models import Holiday
from tasks_ledger.ledger.models import Evidence
from tests.factories import LedgerEntryFactory


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holiday

    is_workday = False
    note = "节假日"


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    entry = factory.SubFactory(LedgerEntryFactory)
    kind = Evidence.Kind.LINK
    url = "https://www.example.gov.cn/zcjd/1.html"


def entry_with_evidence(*, task, department, **fields):
    entry = LedgerEntryFactory(task=task, department=department, **fields)
    EvidenceFactory(entry=entry)
    return entry
