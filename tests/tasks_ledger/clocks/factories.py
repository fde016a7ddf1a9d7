"""Factories of the clock tests: ledger entries with evidence."""

import datetime

import factory
from django.utils import timezone

from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tests.factories import LedgerEntryFactory


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    entry = factory.SubFactory(LedgerEntryFactory)
    kind = Evidence.Kind.LINK
    url = "https://www.example.gov.cn/zcjd/1.html"


def entry_with_evidence(*, task, department, **fields):
    """An entry with a link as evidence, by default submitted (the office may open it) and
    about work on 2016-10-04: after the events these tests record (an entry from before an
    event cannot fulfil it)."""
    fields.setdefault("happened_on", datetime.date(2016, 10, 4))
    fields.setdefault("state", LedgerEntry.State.SUBMITTED)
    if fields["state"] != LedgerEntry.State.DRAFT:
        fields.setdefault("submitted_at", timezone.now())
    entry = LedgerEntryFactory(task=task, department=department, **fields)
    EvidenceFactory(entry=entry)
    return entry
