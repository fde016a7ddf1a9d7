"""An entry's history as its readers see it: one card per save, every change still recorded."""

import re

from django.urls import reverse

from tasks_ledger.ledger.models import Evidence, LedgerEntry


def cards(client, entry):
    page = client.get(reverse("ledger:entry-history", args=[entry.pk])).content.decode()
    return re.findall(
        r'<li class="history-item">(.*?)</li>\s*(?=<li class="history-item">|</ol>)', page, re.S
    )


def test_one_save_with_evidence_and_submission_is_one_card(client, world, now):
    client.force_login(world.head)
    client.post(
        reverse("ledger:entry-create", args=[world.task.pk]),
        {
            "happened_on": "2030-05-07",
            "summary": "在门户网站公开权力清单",
            "status": "in_progress",
            "links": "https://jt.suqian.gov.cn/a.html",
            "doc_numbers": "宿交发〔2030〕12号\n宿交发〔2030〕13号",
            "submit": "1",
            "confirm": "yes",
        },
    )
    entry = LedgerEntry.objects.get()
    # Every change is recorded: the entry's creation and submission, each piece of evidence.
    assert entry.history.count() == 2
    assert Evidence.history.filter(entry_id=entry.pk).count() == 3
    (card,) = cards(client, entry)
    assert "创建了记录" in card
    for text in ("https://jt.suqian.gov.cn/a.html", "宿交发〔2030〕12号", "宿交发〔2030〕13号"):
        assert text in card
    assert re.search(r'class="new">已报送', card)


def test_later_saves_are_cards_of_their_own(client, world, now):
    client.force_login(world.staff)
    client.post(
        reverse("ledger:entry-create", args=[world.task.pk]),
        {"happened_on": "2030-05-07", "summary": "第一稿", "status": "in_progress"},
    )
    entry = LedgerEntry.objects.get()
    now.shift(60)
    client.post(
        reverse("ledger:entry-edit", args=[entry.pk]),
        {
            "version": entry.version,
            "happened_on": "2030-05-07",
            "summary": "第二稿",
            "status": "in_progress",
            "links": "https://jt.suqian.gov.cn/b.html",
        },
    )
    newest, first = cards(client, entry)
    assert "第二稿" in newest and "https://jt.suqian.gov.cn/b.html" in newest
    assert "第一稿" in first and "b.html" not in first
