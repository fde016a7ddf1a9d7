"""Self-assessment (自评) before the office scores: handed out prefilled, filled in, submitted
late and reminded; the office's sheet with both columns; each department its own only."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.plan.models import Assignment
from tasks_ledger.reminders.models import Notification
from tasks_ledger.reviews.export import round_workbook
from tasks_ledger.reviews.models import SelfAssessment
from tasks_ledger.reviews.selectors import round_rows
from tasks_ledger.reviews.self_assessment import (
    SelfAssessmentError,
    self_assessment_reminders_send,
    self_assessment_save,
    self_assessment_submit,
    self_assessments_open,
)
from tasks_ledger.reviews.services import finding_record, review_round_open
from tests.factories import LedgerEntryFactory

DUE = datetime.date(2017, 1, 10)


def at(day: datetime.date):
    """Travel to 09:00 Shanghai on `day`."""
    moment = datetime.datetime.combine(day, datetime.time(1, 0), tzinfo=datetime.UTC)
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def opened(users, assessment, policy_law_lead):
    review_round_open(review_round=assessment, by=users["reviewer"])
    done = LedgerEntryFactory(
        task=policy_law_lead.task,
        department=policy_law_lead.department,
        state=LedgerEntry.State.ACCEPTED,
        submitted_at=timezone.now(),
        happened_on=datetime.date(2016, 6, 1),
        summary="在门户网站公开权力清单",
    )
    Evidence.objects.create(
        entry=done, kind=Evidence.Kind.DOC_NUMBER, doc_number="宿交发〔2016〕12号"
    )
    self_assessments_open(review_round=assessment, due_on=DUE, by=users["reviewer"])
    return assessment


def form_of(review_round, code):
    return SelfAssessment.objects.get(round=review_round, department__code=code)


def fill(form, by, rating="complete", score="90"):
    self_assessment_save(
        self_assessment=form,
        by=by,
        items={
            i.pk: {"rating": rating, "score": score, "explanation": "按计划完成"}
            for i in form.items.all()
        },
    )


def test_the_office_hands_out_forms_prefilled_from_accepted_entries(opened, users, policy_law_lead):
    departments = set(
        Assignment.objects.filter(task__plan=opened.plan).values_list("department", flat=True)
    )
    assert opened.self_assessments.count() == len(departments)
    form = form_of(opened, "policy-law")
    assert (
        form.items.count()
        == Assignment.objects.filter(task__plan=opened.plan, department__code="policy-law").count()
    )
    item = form.items.get(task=policy_law_lead.task)
    assert item.evidence == "2016-06-01 在门户网站公开权力清单（宿交发〔2016〕12号）"
    assert item.rating == "" and item.score is None
    # Handing out again changes only the due date, and creates nothing.
    later = DUE + datetime.timedelta(days=3)
    assert self_assessments_open(review_round=opened, due_on=later, by=users["reviewer"]) == 0
    assert form_of(opened, "policy-law").due_on == later


def test_only_the_office_hands_out_and_only_in_an_open_assessment(users, assessment, check_round):
    with pytest.raises(SelfAssessmentError):
        self_assessments_open(review_round=assessment, due_on=DUE, by=users["reviewer"])
    with pytest.raises(SelfAssessmentError):
        self_assessments_open(review_round=check_round, due_on=DUE, by=users["reviewer"])
    review_round_open(review_round=assessment, by=users["reviewer"])
    with pytest.raises(SelfAssessmentError):
        self_assessments_open(review_round=assessment, due_on=DUE, by=users["policy-law-head"])


def test_a_self_assessment_submitted_late_and_reminded(opened, users):
    def inbox(username, kind):
        return Notification.objects.filter(recipient=users[username], kind=kind).count()

    self_assessment_reminders_send(on=DUE - datetime.timedelta(days=8))
    assert inbox("policy-law", "self_assessment") == 0
    for days in (7, 1):
        self_assessment_reminders_send(on=DUE - datetime.timedelta(days=days))
        self_assessment_reminders_send(on=DUE - datetime.timedelta(days=days))  # twice: once
    assert inbox("policy-law", "self_assessment") == 2
    assert inbox("policy-law-head", "self_assessment") == 2
    note = Notification.objects.filter(recipient=users["policy-law"]).first()
    assert note.link == reverse("reviews:self-assessment", args=[opened.pk])
    assert "2017-01-10" in note.subject

    self_assessment_reminders_send(on=DUE + datetime.timedelta(days=1))
    assert inbox("policy-law-head", "self_assessment_overdue") == 1
    assert inbox("reviewer", "self_assessment_overdue") >= 1  # the office is told too

    form = form_of(opened, "policy-law")
    with pytest.raises(SelfAssessmentError):  # not yet graded
        self_assessment_submit(self_assessment=form, by=users["policy-law-head"])
    fill(form, users["policy-law"])
    with pytest.raises(SelfAssessmentError):  # staff do not submit
        self_assessment_submit(self_assessment=form, by=users["policy-law"])
    with at(DUE + datetime.timedelta(days=2)):
        self_assessment_submit(self_assessment=form, by=users["policy-law-head"])
    form.refresh_from_db()
    assert (form.status, form.late, form.submitted_by) == (
        "submitted",
        True,
        users["policy-law-head"],
    )
    with pytest.raises(SelfAssessmentError):  # submitted: locked
        fill(form, users["policy-law"], score="10")

    # A week after it was first overdue, only the departments still owing it are reminded.
    self_assessment_reminders_send(on=DUE + datetime.timedelta(days=8))
    assert inbox("policy-law-head", "self_assessment_overdue") == 1
    assert inbox("safety", "self_assessment_overdue") == 2


def test_on_time_is_not_late(opened, users):
    form = form_of(opened, "policy-law")
    fill(form, users["policy-law-head"])
    with at(DUE):
        self_assessment_submit(self_assessment=form, by=users["policy-law-head"])
    form.refresh_from_db()
    assert form.late is False


def test_bad_grades_name_the_task_and_save_nothing(opened, users, policy_law_lead):
    form = form_of(opened, "policy-law")
    item = form.items.get(task=policy_law_lead.task)
    with pytest.raises(SelfAssessmentError) as caught:
        self_assessment_save(
            self_assessment=form, by=users["policy-law"], items={item.pk: {"score": "120"}}
        )
    assert policy_law_lead.task.code in str(caught.value)
    with pytest.raises(SelfAssessmentError):  # another department's form
        fill(form, users["safety"])
    item.refresh_from_db()
    assert item.score is None


def test_the_offices_sheet_has_both_columns_and_the_difference(
    opened, users, policy_law_lead, client
):
    form = form_of(opened, "policy-law")
    fill(form, users["policy-law"])
    self_assessment_submit(self_assessment=form, by=users["policy-law-head"])
    finding_record(
        review_round=opened,
        assignment=policy_law_lead,
        rating="mostly",
        score="80",
        comment="",
        by=users["reviewer"],
    )
    rows = {r.pk: r for r in round_rows(review_round=opened, user=users["reviewer"])}
    row = rows[policy_law_lead.pk]
    assert (row.self_rating, row.self_score, row.finding_score) == (
        "complete",
        Decimal("90.0"),
        Decimal("80.0"),
    )
    sheet = load_workbook(io.BytesIO(round_workbook(review_round=opened, user=users["reviewer"])))
    ws = sheet.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header[-3:] == ["自评等次", "自评分数", "差值"]
    found = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == row.task.code
                 and r[2] == "政策法规处")  # fmt: skip
    assert found[-3:] == ("完成", 90.0, -10.0)

    client.force_login(users["reviewer"])
    page = client.get(reverse("reviews:round", args=[opened.pk])).content.decode()
    assert "自评" in page and "-10.0" in page
    finding_page = client.get(reverse("reviews:finding", args=[opened.pk, policy_law_lead.pk]))
    assert "本处室自评" in finding_page.content.decode()
    # A department reads its own rows only, its own self-assessment with them.
    safety_rows = round_rows(review_round=opened, user=users["safety"])
    assert {r.department.code for r in safety_rows} == {"safety"}
    assert all(r.self_rating is None for r in safety_rows)


def test_each_department_sees_its_own_form_only(opened, users, client):
    client.force_login(users["safety"])
    url = reverse("reviews:self-assessment", args=[opened.pk])
    page = client.get(url, {"department": "policy-law"}).content.decode()
    assert "安全处" in page and "在门户网站公开权力清单" not in page
    client.force_login(users["nobody"])
    assert client.get(url).status_code == 403
    client.force_login(users["reviewer"])
    page = client.get(url, {"department": "policy-law"}).content.decode()
    assert "在门户网站公开权力清单" in page
    assert client.post(url, {}).status_code == 403  # the office reads, never fills in


def test_the_pages_hand_out_fill_and_submit(users, assessment, client, policy_law_lead):
    client.force_login(users["reviewer"])
    client.post(reverse("reviews:open", args=[assessment.pk]), {"confirm": "yes"})
    response = client.post(
        reverse("reviews:self-assessments-open", args=[assessment.pk]), {"due_on": "2017-01-10"}
    )
    assert response.status_code == 302
    form = form_of(assessment, "policy-law")
    client.force_login(users["policy-law-head"])
    url = reverse("reviews:self-assessment", args=[assessment.pk])
    data = {"action": "submit"}
    for item in form.items.all():
        data |= {
            f"rating-{item.pk}": "mostly",
            f"score-{item.pk}": "75",
            f"explanation-{item.pk}": "x",
        }
    with at(datetime.date(2017, 1, 9)):
        assert client.post(url, data).status_code == 302
    form.refresh_from_db()
    assert (form.status, form.late) == ("submitted", False)
    assert "已提交" in client.get(url).content.decode()


def test_beat_runs_the_reminders_every_morning(opened, users):
    from django_celery_beat.models import PeriodicTask

    from tasks_ledger.reviews.tasks import REMIND_SELF_ASSESSMENTS, remind_self_assessments_task

    entry = PeriodicTask.objects.get(name="remind self-assessments")
    assert (entry.task, entry.enabled) == (REMIND_SELF_ASSESSMENTS, True)
    day = (DUE - datetime.timedelta(days=7)).isoformat()
    assert remind_self_assessments_task(on=day) > 0
    assert remind_self_assessments_task(on=day) == 0  # safe to run twice
