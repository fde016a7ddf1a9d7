"""Leads speak for their tasks: a lead consolidating with a partner's entry, submitted and
reviewed like an entry, shown first on the round page and in the export; asking a partner
for an update; nobody else writes it."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Assignment
from tasks_ledger.reminders.models import Notification
from tasks_ledger.reviews.consolidation import (
    ConsolidationError,
    consolidation_review,
    consolidation_save,
    consolidation_submit,
    partner_update_request,
)
from tasks_ledger.reviews.export import round_workbook
from tasks_ledger.reviews.services import review_round_open
from tests.factories import LedgerEntryFactory

User = get_user_model()


@pytest.fixture
def lead(safety_partner):
    """The lead assignment of 二(二), the task where 安全处 is a partner."""
    return Assignment.objects.select_related("department", "task").get(
        task=safety_partner.task, role=Assignment.Role.LEAD
    )


@pytest.fixture
def people(users, lead):
    code = lead.department.code
    return users | {
        "lead": User.objects.get(username=code),
        "lead-head": User.objects.get(username=f"{code}-head"),
    }


@pytest.fixture
def opened(users, check_round):
    review_round_open(review_round=check_round, by=users["reviewer"])
    return check_round


@pytest.fixture
def partner_entry(safety_partner, users):
    return LedgerEntryFactory(
        task=safety_partner.task,
        department=safety_partner.department,
        author=users["safety"],
        state=LedgerEntry.State.SUBMITTED,
        submitted_at=timezone.now(),
        summary="安全处配合公开行政处罚信息",
    )


def test_a_lead_consolidates_with_a_partners_entry(opened, lead, people, partner_entry, client):
    draft = LedgerEntryFactory(
        task=lead.task, department=partner_entry.department, summary="安全处的草稿"
    )
    with pytest.raises(ConsolidationError):  # a partner's draft is not the lead's to cite
        consolidation_save(
            review_round=opened,
            task=lead.task,
            by=people["lead"],
            text="综合",
            cited_ids=[draft.pk],
        )
    c = consolidation_save(
        review_round=opened,
        task=lead.task,
        by=people["lead"],
        text="本任务总体按期推进，配合处室已公开行政处罚信息。",
        cited_ids=[str(partner_entry.pk)],
    )
    assert (c.department, c.state, list(c.cited.all())) == (
        lead.department,
        "draft",
        [partner_entry],
    )
    with pytest.raises(ConsolidationError):  # staff do not submit (the department's default)
        consolidation_submit(consolidation=c, by=people["lead"])
    c = consolidation_submit(consolidation=c, by=people["lead-head"])
    with pytest.raises(ConsolidationError):  # submitted: locked
        consolidation_save(
            review_round=opened, task=lead.task, by=people["lead"], text="改", cited_ids=[],
            version=c.version,
        )  # fmt: skip
    c = consolidation_review(consolidation=c, by=people["reviewer"], accept=True)
    assert c.state == "accepted"
    who = [h.history_user for h in c.history.order_by("history_id")]
    # Written (the citations recorded with it), submitted, accepted: each by whom.
    assert (who[0], who[-2:]) == (people["lead"], [people["lead-head"], people["reviewer"]])
    assert set(who[:-2]) == {people["lead"]}

    # The round page: the consolidation first, the task's departments under it.
    client.force_login(people["reviewer"])
    page = client.get(reverse("reviews:round", args=[opened.pk])).content.decode()
    text_at = page.index("本任务总体按期推进")
    task_rows = [i for i in range(len(page)) if page.startswith(lead.task.code, i)]
    assert text_at < page.index(partner_entry.department.name, text_at)
    assert task_rows and "综合进展" in page
    # The export: the same order.
    sheet = load_workbook(io.BytesIO(round_workbook(review_round=opened, user=people["reviewer"])))
    rows = [r for r in sheet.worksheets[0].iter_rows(values_only=True) if r[0] == lead.task.code]
    assert rows[0][3] == "综合进展" and rows[0][2] == lead.department.name
    assert rows[0][7].startswith("本任务总体按期推进") and "安全处" in rows[0][7]
    assert [r[2] for r in rows[1:]] == list(
        Assignment.objects.filter(task=lead.task)
        .order_by("department__order", "order")
        .values_list("department__name", flat=True)
    )


def test_a_second_save_from_an_old_version_is_refused(opened, lead, people):
    c = consolidation_save(
        review_round=opened, task=lead.task, by=people["lead"], text="一", cited_ids=[]
    )
    consolidation_save(
        review_round=opened, task=lead.task, by=people["lead-head"], text="二", cited_ids=[],
        version=c.version,
    )  # fmt: skip
    with pytest.raises(ConsolidationError):
        consolidation_save(
            review_round=opened, task=lead.task, by=people["lead"], text="三", cited_ids=[],
            version=c.version,
        )  # fmt: skip
    c.refresh_from_db()
    assert c.text == "二"


def test_returned_then_corrected(opened, lead, people):
    c = consolidation_save(
        review_round=opened, task=lead.task, by=people["lead"], text="一", cited_ids=[]
    )
    c = consolidation_submit(consolidation=c, by=people["lead-head"])
    with pytest.raises(ConsolidationError):
        consolidation_review(consolidation=c, by=people["reviewer"], accept=False)
    c = consolidation_review(consolidation=c, by=people["reviewer"], accept=False, reason="请补充")
    assert (c.state, c.return_reason) == ("returned", "请补充")
    c = consolidation_save(
        review_round=opened, task=lead.task, by=people["lead"], text="补充后", cited_ids=[],
        version=c.version,
    )  # fmt: skip
    assert c.text == "补充后"


def test_only_the_lead_writes_and_the_office_reviews(opened, lead, people, client):
    for who in ("safety", "reviewer"):
        with pytest.raises(ConsolidationError):
            consolidation_save(
                review_round=opened, task=lead.task, by=people[who], text="x", cited_ids=[]
            )
    url = reverse("reviews:consolidation", args=[opened.pk, lead.task.pk])
    # Not the lead's and not the office: the page is not theirs, so it does not exist.
    client.force_login(people["safety"])
    assert client.get(url).status_code == 404
    client.force_login(people["lead"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "save", "text": "页面写的综合进展"})
    assert response.status_code == 302
    client.force_login(people["reviewer"])
    assert "页面写的综合进展" in client.get(url).content.decode()


def test_the_lead_asks_a_partner_for_an_update(opened, lead, people, safety_partner, client):
    sent = partner_update_request(
        task=lead.task, partner=safety_partner.department, by=people["lead"], message="请更新进展"
    )
    assert sent == 2  # 安全处's staff and head
    note = Notification.objects.get(recipient=people["safety"], kind="lead_request")
    assert (note.body, note.link) == ("请更新进展", reverse("ledger:task", args=[lead.task.pk]))
    assert lead.department.name in note.subject
    with pytest.raises(ConsolidationError):  # the lead is not its own partner
        partner_update_request(task=lead.task, partner=lead.department, by=people["lead"])
    with pytest.raises(ConsolidationError):  # only the lead asks
        partner_update_request(
            task=lead.task, partner=safety_partner.department, by=people["safety"]
        )
    client.force_login(people["lead"])
    url = reverse(
        "reviews:consolidation-ask", args=[opened.pk, lead.task.pk, safety_partner.department.pk]
    )
    assert client.post(url, {"message": ""}).status_code == 302
