"""Nothing internal leaks to the public: a unique marker is planted in every internal text
field of every row of every model of the project (their history included), and no public
page, feed or file list may contain one.

The models are walked from django.apps, so a model or field added later is covered without
being named here; a model of the project left without a row fails the test until a row of
it is made below. Public on purpose (PUBLIC_FIELDS): the plan's own text once published and
the copy of a text that passed 保密审查.
"""

import datetime
import itertools

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from departments.models import DepartmentAlias
from tasks_ledger.calendar.models import Holiday
from tasks_ledger.clocks.models import Event, Obligation
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.plan.models import ImportDraft, ReviewRound
from tasks_ledger.publishing import services
from tasks_ledger.reminders.models import (
    Notification,
    RobotChannel,
    RobotMessage,
    SentReminder,
    Urge,
)
from tasks_ledger.reviews.models import (
    Consolidation,
    Finding,
    SelfAssessment,
    SelfAssessmentItem,
)
from tests.tasks_ledger.publishing.data import publish_text

PUBLIC_FIELDS = {
    "departments.Department": {"name"},
    "plan.Plan": {"title", "issuer", "preamble"},
    "plan.Section": {"number", "title", "body"},
    "plan.Task": {"number", "title", "body", "other_units"},
    "plan.Deadline": {"text"},
    "publishing.ConfidentialityReview": {"text_passed"},
}
PROJECT_APPS = ("departments", "tasks_ledger")
PUBLIC_URLS = [
    "/public/",
    "/public/2031/",
    "/public/2099/",
    "/public/feed.atom",
    "/public/feed.json",
    "/public/embed/",
    "/robots.txt",
    "/sitemap.xml",
]
PASSED_TEXT = "已按计划公开重大决策目录。"


def _project_models():
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        if model.__module__.startswith(PROJECT_APPS) or model is get_user_model():
            yield model


def _text_fields(model):
    """Free-text columns: enumerations (choices) are not free text and must keep a valid
    value for the code to run; the password hash is not text anyone reads."""
    public = PUBLIC_FIELDS.get(model._meta.label, set())
    for f in model._meta.concrete_fields:
        if not isinstance(f, models.CharField | models.TextField | models.FileField):
            continue
        if f.choices or f.primary_key or f.name in public or f.name == "password":
            continue
        yield f


def _every_kind_of_row(small, people):
    """One or more rows of every model, internal texts included, in every state."""
    now = timezone.now()
    author = people.staff
    department = small.lead
    entry_states = [
        (LedgerEntry.State.DRAFT, None),
        (LedgerEntry.State.SUBMITTED, now),
        (LedgerEntry.State.RETURNED, now),
    ]
    for state, submitted in entry_states:
        entry = LedgerEntry.objects.create(
            task=small.busy_task,
            department=department,
            author=author,
            happened_on=datetime.date(2031, 6, 1),
            summary="内部摘要",
            problems="内部问题",
            next_steps="下一步",
            state=state,
            submitted_at=submitted,
            return_reason="退回理由",
        )
        Evidence.objects.create(entry=entry, kind="link", url="https://x.example/a", note="备注")
        Evidence.objects.create(entry=entry, kind="doc_number", doc_number="宿交〔2031〕1号")
        Evidence.objects.create(entry=entry, kind="file", file="evidence/a.pdf", filename="a.pdf")
    services.plan_publish(plan=small.plan, by=people.reviewer)
    # Every state of a proposal: passed (public), pending, refused, withdrawn, superseded.
    publish_text(task=small.done_task, text=PASSED_TEXT, people=people, evidence=[small.evidence])
    services.proposal_create(task=small.busy_task, text="待审", by=people.reviewer)
    refused = services.proposal_create(task=small.busy_task, text="被拒", by=people.reviewer)
    services.proposal_review(
        proposal=refused, decision="refused", opinion="涉密", by=people.secrecy
    )
    withdrawn = publish_text(task=small.idle_task, text="已撤回", people=people)
    services.proposal_withdraw(proposal=withdrawn, reason="撤回理由", by=people.reviewer)
    old = publish_text(task=small.busy_task, text="旧版", people=people)
    new = services.proposal_create(
        task=small.busy_task, text="新版", revises=old, by=people.reviewer
    )
    services.proposal_review(proposal=new, decision="passed", by=people.secrecy2)

    review_round = ReviewRound.objects.create(
        plan=small.plan, kind="check", text="2031年10月", date=datetime.date(2031, 10, 8)
    )
    Finding.objects.create(
        round=review_round,
        task=small.done_task,
        department=department,
        rating=Finding.Rating.choices[0][0],
        comment="考评意见",
        reviewer=people.reviewer,
    )
    self_assessment = SelfAssessment.objects.create(
        round=review_round, department=department, due_on=datetime.date(2031, 10, 1)
    )
    SelfAssessmentItem.objects.create(
        self_assessment=self_assessment,
        task=small.done_task,
        explanation="自评说明",
        evidence="自评佐证",
    )
    Consolidation.objects.create(
        round=review_round, task=small.done_task, department=department, author=author,
        text="综合进展草稿", return_reason="退回理由",
    )  # fmt: skip
    Holiday.objects.create(date=datetime.date(2031, 10, 1), note="国庆节")
    event = Event.objects.create(
        task=small.done_task,
        kind=Event.Kind.DOCUMENT,
        title="内部文件",
        doc_number="内〔2031〕2号",
        url="https://x.example/e",
        occurred_at=now,
        department=department,
        recorded_by=author,
    )
    Event.objects.create(
        task=small.done_task,
        kind=Event.Kind.EMERGENCY,
        severity=Event.Severity.MAJOR,
        title="突发事件",
        location="某路段",
        occurred_at=now,
        recorded_by=author,
    )
    Obligation.objects.create(
        event=event,
        deadline_text="3个工作日内",
        amount=3,
        unit="workday",
        department=department,
        due_at=now,
        warn_at=now,
        calendar="none",
    )
    Notification.objects.create(
        recipient=author, kind="urge", subject="催办", body="请尽快", link="/ledger/"
    )
    SentReminder.objects.create(
        kind="deadline", target="task-1", recipient=author, on=datetime.date(2031, 9, 1)
    )
    Urge.objects.create(
        task=small.done_task, department=department, by=people.reviewer, message="催"
    )
    robot = RobotChannel.objects.create(
        department=department,
        kind=RobotChannel.Kind.DINGTALK,
        webhook_url="https://oapi.dingtalk.com/robot/send?access_token=t",
        secret="SEC-secret",
    )
    RobotMessage.objects.create(channel=robot, key="urge:1", text="请尽快报送")
    get_user_model().objects.filter(pk=author.pk).update(first_name="张", last_name="三")
    DepartmentAlias.objects.create(name="市交通局法规处", department=department, created_by=author)
    ImportDraft.objects.create(owner=people.reviewer, file_name="草稿.docx", data={"year": 2032})


def _plant_markers() -> dict[str, str]:
    """A unique marker in every internal text field of every row; returns marker → where.
    The markers ('qz00017x') cannot occur in hex digests, dates or the pages' own text."""
    counter = itertools.count(1)
    planted = {}
    for model in _project_models():
        fields = list(_text_fields(model))
        if not fields:
            continue
        for pk in model._base_manager.values_list("pk", flat=True):
            for f in fields:
                marker = f"qz{next(counter):05d}x"
                if f.max_length is not None and f.max_length < len(marker):
                    pytest.fail(f"{model._meta.label}.{f.name} too short for a marker")
                try:
                    with transaction.atomic():
                        model._base_manager.filter(pk=pk).update(**{f.name: marker})
                except IntegrityError:
                    # A constraint keeps this field empty in this row (a document event
                    # has no location): nothing there to leak.
                    continue
                planted[marker] = f"{model._meta.label}.{f.name} (pk {pk})"
    return planted


@pytest.mark.django_db
def test_no_internal_text_reaches_a_public_page(client, small, people):
    _every_kind_of_row(small, people)
    empty = [
        m._meta.label
        for m in _project_models()
        if any(True for _ in _text_fields(m)) and not m._base_manager.exists()
    ]
    assert not empty, f"make a row of these models in _every_kind_of_row: {empty}"

    planted = _plant_markers()
    assert len(planted) > 100
    # Pages rendered before the markers were planted must not hide a leak.
    cache.clear()

    bodies = {url: client.get(url).content.decode() for url in PUBLIC_URLS}
    # Not vacuous: the pages show the plan and the text that passed.
    assert PASSED_TEXT in bodies["/public/2031/"]
    assert PASSED_TEXT in bodies["/public/feed.atom"]
    assert "公开重大决策" in bodies["/public/2031/"]
    leaks = [
        f"{url}: {where}"
        for url, body in bodies.items()
        for marker, where in planted.items()
        if marker in body
    ]
    assert not leaks, leaks
    for words in ("待审", "被拒", "涉密", "已撤回", "撤回理由", "旧版"):
        assert all(words not in body for body in bodies.values()), words
