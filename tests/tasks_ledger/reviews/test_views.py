"""Review pages: who may read and write what, the contents, the export, query counts."""

import datetime
import io
from urllib.parse import quote

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Assignment, ReviewRound
from tasks_ledger.reviews.models import Finding
from tasks_ledger.reviews.selectors import round_unrated_count
from tasks_ledger.reviews.services import finding_record, review_round_open
from tests.factories import LedgerEntryFactory

READERS = ["admin", "reviewer", "policy-law", "policy-law-head", "safety"]
DEPARTMENT_PEOPLE = ["policy-law", "policy-law-head", "safety"]


@pytest.fixture
def opened(users, assessment):
    review_round_open(review_round=assessment, by=users["reviewer"])
    return assessment


def as_user(client, users, who):
    if who != "anonymous":
        client.force_login(users[who])
    return client


def urls(review_round, assignment):
    return {
        "rounds": reverse("reviews:rounds"),
        "round": reverse("reviews:round", args=[review_round.pk]),
        "finding": reverse("reviews:finding", args=[review_round.pk, assignment.pk]),
        "export": reverse("reviews:export", args=[review_round.pk]),
    }


@pytest.mark.parametrize("who", READERS + ["nobody", "anonymous"])
def test_permission_matrix_of_the_pages(client, users, opened, policy_law_lead, who):
    as_user(client, users, who)
    expected = {
        "anonymous": {"rounds": 302, "round": 302, "finding": 302, "export": 302},
        "nobody": {"rounds": 403, "round": 403, "finding": 403, "export": 403},
        "admin": {"rounds": 200, "round": 200, "finding": 200, "export": 200},
        "reviewer": {"rounds": 200, "round": 200, "finding": 200, "export": 200},
    }.get(who, {"rounds": 200, "round": 200, "finding": 403, "export": 403})
    got = {name: client.get(url).status_code for name, url in urls(opened, policy_law_lead).items()}
    assert got == expected


@pytest.mark.parametrize("who", DEPARTMENT_PEOPLE + ["nobody"])
def test_only_the_office_writes(client, users, opened, policy_law_lead, who):
    as_user(client, users, who)
    page = urls(opened, policy_law_lead)
    response = client.post(page["finding"], {"rating": "complete", "score": "90"})
    assert response.status_code == 403
    assert client.post(reverse("reviews:close", args=[opened.pk])).status_code == 403
    assert not Finding.objects.exists()
    assert ReviewRound.objects.get(pk=opened.pk).status == ReviewRound.Status.OPEN


def test_the_office_records_a_finding(client, users, opened, policy_law_lead):
    client.force_login(users["reviewer"])
    page = urls(opened, policy_law_lead)
    response = client.post(
        page["finding"], {"rating": "mostly", "score": "85", "comment": "缺佐证"}
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert (finding.task, finding.department) == (
        policy_law_lead.task,
        policy_law_lead.department,
    )
    assert (finding.rating, str(finding.score), finding.reviewer) == (
        "mostly",
        "85.0",
        users["reviewer"],
    )
    # A bad score is shown on the form, nothing written.
    response = client.post(page["finding"], {"rating": "complete", "score": "120"})
    assert response.status_code == 200
    assert response.context["form"].errors["score"]
    assert Finding.objects.get().rating == "mostly"
    # No score for the assessment: the service's message on the form.
    response = client.post(page["finding"], {"rating": "complete"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_open_and_close_through_the_page(client, users, check_round):
    client.force_login(users["reviewer"])
    client.post(reverse("reviews:open", args=[check_round.pk]), {"confirm": "yes"})
    check_round.refresh_from_db()
    assert check_round.status == ReviewRound.Status.OPEN
    unrated = round_unrated_count(review_round=check_round)
    close = {"confirm": "yes", "unrated": unrated}
    client.post(reverse("reviews:close", args=[check_round.pk]), close)
    check_round.refresh_from_db()
    assert check_round.status == ReviewRound.Status.CLOSED
    # Closing twice says why rather than failing.
    response = client.post(reverse("reviews:close", args=[check_round.pk]), close, follow=True)
    assert "只有进行中的检查考评才能结束。" in [str(m) for m in response.context["messages"]]


def test_departments_see_their_own_findings_only(
    client, users, opened, policy_law_lead, safety_partner
):
    for assignment, comment in (
        (policy_law_lead, "政策法规处的意见"),
        (safety_partner, "安全处的意见"),
    ):
        finding_record(
            review_round=opened,
            assignment=assignment,
            rating="complete",
            score=90,
            comment=comment,
            by=users["reviewer"],
        )
    client.force_login(users["policy-law"])
    page = client.get(urls(opened, policy_law_lead)["round"]).content.decode()
    assert "政策法规处的意见" in page
    assert "安全处的意见" not in page
    assert [
        row["code"] for row in client.get(urls(opened, policy_law_lead)["round"]).context["totals"]
    ] == ["policy-law"]
    client.force_login(users["reviewer"])
    page = client.get(urls(opened, policy_law_lead)["round"]).content.decode()
    assert "政策法规处的意见" in page and "安全处的意见" in page


def test_unknown_round_or_assignment_is_404(client, users, opened, plan_2016):
    client.force_login(users["reviewer"])
    assert client.get(reverse("reviews:round", args=[9999])).status_code == 404
    assert client.get(reverse("reviews:finding", args=[opened.pk, 999999])).status_code == 404
    client.force_login(users["policy-law"])
    assert client.get(reverse("reviews:round", args=[9999])).status_code == 404


def test_export_writes_formula_like_text_as_text(client, users, opened, policy_law_lead):
    finding_record(
        review_round=opened,
        assignment=policy_law_lead,
        rating="complete",
        score=95,
        comment='=HYPERLINK("http://evil")',
        by=users["reviewer"],
    )
    client.force_login(users["reviewer"])
    response = client.get(urls(opened, policy_law_lead)["export"])
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    words = {"check": "检查", "assessment": "考评验收"}[opened.kind]
    name = quote(f"{opened.plan.year}年{words}表-{opened.date:%Y%m%d}.xlsx")
    assert response["Content-Disposition"] == (
        f'attachment; filename="review-{opened.plan.year}-{opened.kind}-{opened.date}.xlsx"; '
        f"filename*=UTF-8''{name}"
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet, totals = book.worksheets
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    formula = cells['=HYPERLINK("http://evil")']
    assert formula.data_type == "s"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("二(一)", policy_law_lead.task.title, "政策法规处")
    assert rows[1][6] == 95
    assert (
        len(rows)
        == 1
        + policy_law_lead.task.plan.tasks.filter(assignments__isnull=False)
        .values("assignments")
        .count()
    )
    assert list(totals.iter_rows(values_only=True))[1] == ("政策法规处", 1, 1, 95)


def test_query_counts(client, users, opened, policy_law_lead, django_assert_num_queries):
    client.force_login(users["reviewer"])
    page = urls(opened, policy_law_lead)
    # Every page: 1 session, 2 the user with membership and department (MemberBackend).
    # + 3 the header's 待办 counts (on the first page only: then kept in the cache),
    # 4 rounds with their plans.
    with django_assert_num_queries(4):
        client.get(page["rounds"])
    # + 3 the round, 4 totals, 5 rows as of the date, 6 the leads' consolidations (their
    # citations: one more query when there are any). The first read of the round's date
    # also stores the pairs' rows for it (ledger/asof.py): a savepoint, on PostgreSQL the
    # lock, the INSERT, the savepoint's release, and the rows read again.
    with django_assert_num_queries(10 + (connection.vendor == "postgresql")):
        client.get(page["round"])
    with django_assert_num_queries(6):
        client.get(page["round"])
    # + 3 round, 4 assignment, 5 finding, 6 entries then, 7 entries now, 8 the department's
    # self-assessment of the task.
    with django_assert_num_queries(8):
        client.get(page["finding"])
    # + 3 round with its plan, 4 rows, 5 totals, 6 the consolidations.
    with django_assert_num_queries(6):
        client.get(page["export"])
    client.force_login(users["policy-law"])
    with django_assert_num_queries(7):  # this person's 待办 counts: counted once
        client.get(page["round"])


@pytest.fixture
def submitted(users, policy_law_lead):
    return LedgerEntryFactory(
        task=policy_law_lead.task,
        department=policy_law_lead.department,
        author=users["policy-law"],
        state=LedgerEntry.State.SUBMITTED,
        submitted_at=datetime.datetime(2016, 9, 1, tzinfo=datetime.UTC),
    )


def test_the_office_accepts_an_entry(client, users, check_round, policy_law_lead, submitted):
    client.force_login(users["reviewer"])
    page = client.get(urls(check_round, policy_law_lead)["finding"]).content.decode()
    assert reverse("reviews:accept", args=[check_round.pk, submitted.pk]) in page
    response = client.post(
        reverse("reviews:accept", args=[check_round.pk, submitted.pk]),
        {"version": submitted.version, "confirm": "yes"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == urls(check_round, policy_law_lead)["finding"]
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    submitted.refresh_from_db()
    assert submitted.state == LedgerEntry.State.ACCEPTED
    # Accepting again: the ledger's message, nothing changed.
    response = client.post(
        reverse("reviews:accept", args=[check_round.pk, submitted.pk]),
        {"confirm": "yes"},
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_the_office_returns_an_entry_with_a_reason(
    client, users, check_round, policy_law_lead, submitted
):
    client.force_login(users["reviewer"])
    url = reverse("reviews:return", args=[check_round.pk, submitted.pk])
    response = client.post(url, {"version": submitted.version, "reason": ""}, follow=True)
    assert "请说明退回原因。" in [str(m) for m in response.context["messages"]]
    submitted.refresh_from_db()
    assert submitted.state == LedgerEntry.State.SUBMITTED
    client.post(url, {"version": submitted.version, "reason": "缺少文号"})
    submitted.refresh_from_db()
    assert (submitted.state, submitted.return_reason) == (LedgerEntry.State.RETURNED, "缺少文号")


def test_a_stale_page_does_not_overwrite(client, users, check_round, submitted):
    client.force_login(users["reviewer"])
    url = reverse("reviews:accept", args=[check_round.pk, submitted.pk])
    response = client.post(url, {"version": submitted.version + 1, "confirm": "yes"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    submitted.refresh_from_db()
    assert submitted.state == LedgerEntry.State.SUBMITTED


@pytest.mark.parametrize("who", DEPARTMENT_PEOPLE)
def test_departments_cannot_accept_or_return(client, users, check_round, submitted, who):
    client.force_login(users[who])
    for name in ("reviews:accept", "reviews:return"):
        url = reverse(name, args=[check_round.pk, submitted.pk])
        assert client.post(url, {"reason": "x"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == LedgerEntry.State.SUBMITTED


def test_an_entry_of_another_plan_is_404(client, users, check_round):
    client.force_login(users["reviewer"])
    other = LedgerEntryFactory(
        task__number="一",
        task__section__number="一",
        state=LedgerEntry.State.SUBMITTED,
        submitted_at=datetime.datetime(2016, 9, 1, tzinfo=datetime.UTC),
    )
    url = reverse("reviews:accept", args=[check_round.pk, other.pk])
    assert client.post(url).status_code == 404


def test_opening_and_closing_ask_first_and_closing_counts_the_unrated(
    client, users, check_round, policy_law_lead
):
    client.force_login(users["reviewer"])
    open_url = reverse("reviews:open", args=[check_round.pk])
    close_url = reverse("reviews:close", args=[check_round.pk])
    # Without the confirmation: a question, nothing changed.
    page = client.post(open_url).content.decode()
    assert "开始检查考评？" in page and 'name="confirm" value="yes"' in page
    check_round.refresh_from_db()
    assert check_round.status == ReviewRound.Status.PLANNED
    client.post(open_url, {"confirm": "yes"})
    check_round.refresh_from_db()
    assert check_round.status == ReviewRound.Status.OPEN

    assert "结束检查考评？" in client.post(close_url).content.decode()
    finding_record(
        review_round=check_round,
        assignment=policy_law_lead,
        rating="complete",
        score=None,
        comment="",
        by=users["reviewer"],
    )
    unrated = round_unrated_count(review_round=check_round)
    rows = Assignment.objects.filter(task__plan=check_round.plan_id).count()
    assert unrated == rows - 1
    # Confirmed once, with rows unrated: says how many and asks again.
    page = client.post(close_url, {"confirm": "yes"}).content.decode()
    assert f"本轮还有 {unrated} 项尚未评定。仍要结束检查考评吗？" in page
    assert f'name="unrated" value="{unrated}"' in page
    check_round.refresh_from_db()
    assert check_round.status == ReviewRound.Status.OPEN
    # A count that no longer holds (a row rated since, or one more unrated) asks again.
    client.post(close_url, {"confirm": "yes", "unrated": unrated + 1})
    check_round.refresh_from_db()
    assert check_round.status == ReviewRound.Status.OPEN
    client.post(close_url, {"confirm": "yes", "unrated": unrated})
    check_round.refresh_from_db()
    assert check_round.status == ReviewRound.Status.CLOSED


def test_accepting_from_the_finding_page_asks_first(client, users, check_round, submitted):
    client.force_login(users["reviewer"])
    url = reverse("reviews:accept", args=[check_round.pk, submitted.pk])
    response = client.post(url, {"version": submitted.version})
    assert response.status_code == 200 and "采纳这条记录？" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == LedgerEntry.State.SUBMITTED
