"""What is not yours answers exactly like what does not exist (issue 13, item 5).

Every URL that takes an object's id is opened by someone who may not see that object (by
default C's staff, another department) twice: with the id of an object that exists but is
not theirs, and with an id that exists nowhere. The two answers must be the same: the same
status, the same page (its templates) in the browser, the same JSON in the API. A role that
may not open a kind of page at all is refused (403) before any lookup, so that too says
nothing about the id.

`test_every_url_with_an_id_is_walked` fails when a new URL with an id is added without a
line here.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tasks_ledger.clocks import services as clock_services
from tasks_ledger.clocks.models import Event
from tasks_ledger.ledger import services as ledger_services
from tasks_ledger.ledger.models import Evidence
from tasks_ledger.plan.drafts import import_draft_create
from tasks_ledger.plan.models import Assignment, Deadline, ReviewRound
from tasks_ledger.plan.reading import parse_plan_text
from tasks_ledger.publishing import services as publishing_services
from tasks_ledger.reminders import services as reminder_services
from tasks_ledger.reminders.models import Notification
from tasks_ledger.reviews.models import Finding
from tests.factories import AssignmentFactory, DeadlineFactory, TaskFactory
from tests.site_pages import ANONYMOUS_PAGES, named_pages

MISSING = 987654
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def hidden(world):
    """One of each object that C's staff may not see: A's draft and its evidence, an event
    on a task of A's alone and its obligation, a message to A's head, the lead's
    consolidation of a round, A's finding, the office's plan import and proposal."""
    draft = world.entry()
    evidence = ledger_services.evidence_add(
        entry=draft,
        by=world.head,
        kind=Evidence.Kind.FILE,
        file=SimpleUploadedFile("清单.pdf", PDF, content_type="application/pdf"),
    )
    clock_task = TaskFactory(section=world.section, number="二", title="主动做好政策解读", order=2)
    DeadlineFactory(
        task=clock_task,
        text="3个工作日内",
        kind=Deadline.Kind.RELATIVE,
        due=None,
        amount=3,
        unit=Deadline.Unit.WORKDAY,
        after="文件公开后",
    )
    AssignmentFactory(task=clock_task, department=world.a, role="lead")
    event = clock_services.event_record(
        task=clock_task,
        kind=Event.Kind.DOCUMENT,
        title="关于印发权力清单的通知",
        occurred_at=datetime.datetime(2030, 5, 6, 9, 0, tzinfo=datetime.UTC),
        doc_number="甲发〔2030〕1号",
        by=world.head,
    )
    reminder_services.urge_create(
        task=world.task, department=world.a, by=world.reviewer, message="请于本周内报送进展"
    )
    review_round = ReviewRound.objects.create(
        plan=world.plan,
        kind=ReviewRound.Kind.CHECK,
        text="2030年5月",
        date=datetime.date(2030, 5, 7),
        status=ReviewRound.Status.OPEN,
    )
    finding = Finding.objects.create(
        round=review_round,
        task=world.task,
        department=world.a,
        rating=Finding.Rating.COMPLETE,
        reviewer=world.reviewer,
    )
    draft_import = import_draft_create(
        owner=world.reviewer,
        file_name="2031年政务公开工作要点.txt",
        data=parse_plan_text("某局2031年政务公开工作要点\n一、重点任务\n(一)推进决策公开。"),
    )
    proposal = publishing_services.proposal_create(
        task=world.task, text="已公开权力清单。", by=world.reviewer
    )
    # A text that passed review and is public: the draft's file was never part of it.
    publishing_services.plan_publish(plan=world.plan, by=world.reviewer)
    public = publishing_services.proposal_create(
        task=world.task, text="权力清单已公开。", by=world.reviewer
    )
    publishing_services.proposal_review(proposal=public, decision="passed", by=world.secrecy)
    return {
        "entry": draft.pk,
        "evidence": evidence.pk,
        "event": event.pk,
        "obligation": event.obligations.get().pk,
        "clock_task": clock_task.pk,
        "notification": Notification.objects.filter(recipient=world.head).first().pk,
        "round": review_round.pk,
        "task": world.task.pk,
        "partner": world.b.pk,
        "assignment": Assignment.objects.get(task=world.task, department=world.a).pk,
        "finding": finding.pk,
        "draft_import": draft_import.pk,
        "proposal": proposal.pk,
        "plan": world.plan.pk,
        "public_review": public.review.pk,
    }


# URL name → (method, who opens it, the URL's kwargs from the hidden objects). The id that
# exists nowhere replaces every id of the hidden object's kind (`MISSING_KEYS`).
BROWSER = {
    "ledger:entry": ("get", "other", {"pk": "entry"}),
    "ledger:entry-edit": ("get", "other", {"pk": "entry"}),
    "ledger:entry-history": ("get", "other", {"pk": "entry"}),
    "ledger:entry-submit": ("post", "other", {"pk": "entry"}),
    # The office never sees a draft: accepting or returning one finds nothing.
    "ledger:entry-accept": ("post", "reviewer", {"pk": "entry"}),
    "ledger:entry-return": ("post", "reviewer", {"pk": "entry"}),
    "ledger:evidence-remove": ("post", "other", {"pk": "evidence"}),
    "ledger:evidence-download": ("get", "other", {"pk": "evidence"}),
    "ledger:evidence-preview": ("get", "other", {"pk": "evidence"}),
    "clocks:event-record": ("get", "other", {"task_id": "clock_task"}),
    "clocks:event-detail": ("get", "other", {"pk": "event"}),
    "clocks:event-withdraw": ("post", "other", {"pk": "event"}),
    "clocks:obligation-fulfil": ("post", "other", {"pk": "obligation"}),
    "reminders:read": ("post", "other", {"pk": "notification"}),
    "reviews:consolidation": ("get", "other", {"pk": "round", "task_pk": "task"}),
    "reviews:consolidation-ask": (
        "post",
        "other",
        {"pk": "round", "task_pk": "task", "department_pk": "partner"},
    ),
    # The office's pages: a department is refused before anything is looked up.
    "reviews:open": ("post", "other", {"pk": "round"}),
    "reviews:close": ("post", "other", {"pk": "round"}),
    "reviews:export": ("get", "other", {"pk": "round"}),
    "reviews:self-assessments-open": ("post", "other", {"pk": "round"}),
    "reviews:finding": ("get", "other", {"pk": "round", "assignment_pk": "assignment"}),
    "reviews:accept": ("post", "other", {"pk": "round", "entry_pk": "entry"}),
    "reviews:return": ("post", "other", {"pk": "round", "entry_pk": "entry"}),
    "dashboard:task-urges": ("get", "other", {"task_pk": "task"}),
    "publishing:plan-publish": ("post", "other", {"pk": "plan"}),
    "publishing:propose": ("get", "other", {"task_pk": "task"}),
    "publishing:proposal": ("get", "other", {"pk": "proposal"}),
    "publishing:review": ("post", "other", {"pk": "proposal"}),
    "publishing:withdraw": ("post", "other", {"pk": "proposal"}),
    # A plan import in progress is its owner's: another of the office finds nothing.
    "plans:draft": ("get", "admin", {"pk": "draft_import"}),
    "plans:draft-year": ("post", "admin", {"pk": "draft_import"}),
    "plans:draft-map": ("post", "admin", {"pk": "draft_import"}),
    "plans:draft-commit": ("post", "admin", {"pk": "draft_import"}),
    "plans:draft-discard": ("post", "admin", {"pk": "draft_import"}),
    "plans:draft-task": ("get", "admin", {"pk": "draft_import", "path": "0"}),
    # Unpublished evidence of a draft, from the public site: nobody signed in.
    "public:evidence-file": (
        "get",
        "anonymous",
        {"review_pk": "public_review", "evidence_pk": "evidence"},
    ),
}

API = {
    "ledger-entry-detail": ("get", "other", {"pk": "entry"}),
    "ledger-entry-submit": ("post", "other", {"pk": "entry"}),
    "ledger-entry-accept": ("post", "reviewer", {"pk": "entry"}),
    "ledger-entry-return-entry": ("post", "reviewer", {"pk": "entry"}),
    "finding-detail": ("get", "other", {"pk": "finding"}),
    "event-detail": ("get", "other", {"pk": "event"}),
    "event-withdraw": ("post", "other", {"pk": "event"}),
    "obligation-detail": ("get", "other", {"pk": "obligation"}),
    "obligation-fulfil": ("post", "other", {"pk": "obligation"}),
}

# URLs with an id whose objects every member of the bureau reads: there is nothing of
# another department's to hide behind them (what they show inside is scoped to the user).
EVERY_MEMBER_READS = {
    "ledger:task": "the plan's tasks are not secret inside the bureau",
    "ledger:entry-create": "a task's page; a task not assigned to you is refused (403)",
    "reviews:round": "rounds are the whole bureau's; each department sees its own rows",
    "reviews:self-assessment": "a round's page; each department sees its own form",
    "public:year": "the public site's pages by year",
    "password_reset_confirm": "a token, not an object",
    "department-detail": "the API's departments, plans and tasks are read by every member",
    "plan-detail": "",
    "task-detail": "",
}


def _urls(table, hidden, name):
    """The URL with the hidden object's ids, and the same URL where the last id (the object
    under test: a consolidation's round stays real) is one that exists nowhere."""
    _method, _who, kwargs = table[name]
    real = {key: hidden.get(value, value) for key, value in kwargs.items()}
    last = [key for key, value in kwargs.items() if value in hidden][-1]
    return reverse(name, kwargs=real), reverse(name, kwargs=dict(real, **{last: MISSING}))


def _browser(client, world, who):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    return client


def _shape(response) -> tuple:
    """What the answer says, without the id: its status and its page (or JSON)."""
    if response.get("Content-Type", "").startswith("application/json"):
        return response.status_code, response.json()
    templates = tuple(t.name for t in response.templates if t.name)
    return response.status_code, templates


POST_DATA = {"version": "1", "reason": "不是你的", "message": "请报送"}


@pytest.mark.parametrize("name", sorted(BROWSER))
def test_a_page_answers_what_is_not_yours_as_what_does_not_exist(client, world, hidden, name):
    method, who, _kwargs = BROWSER[name]
    seen_url, missing_url = _urls(BROWSER, hidden, name)
    client = _browser(client, world, who)
    send = getattr(client, method)
    data = POST_DATA if method == "post" else None
    seen, missing = send(seen_url, data), send(missing_url, data)
    assert seen.status_code in (403, 404), (name, seen.status_code)
    assert _shape(seen) == _shape(missing), name


@pytest.mark.parametrize("name", sorted(API))
def test_the_api_answers_what_is_not_yours_as_what_does_not_exist(world, hidden, name):
    method, who, _kwargs = API[name]
    seen_url, missing_url = _urls(API, hidden, name)
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=getattr(world, who))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    send = getattr(client, method)
    data = {"version": 1, "reason": "不是你的"} if method == "post" else None
    seen, missing = send(seen_url, data, format="json"), send(missing_url, data, format="json")
    assert seen.status_code == 404, (name, seen.status_code, seen.content)
    assert _shape(seen) == _shape(missing), name


def _names_with_ids() -> set[str]:
    """Every named URL (but the admin's) with a parameter other than the API's format."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith("admin/"):
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix, inner)
            elif pattern.name and set(pattern.pattern.regex.groupindex) - {"format"}:
                yield namespace + pattern.name

    return set(walk(get_resolver().url_patterns, "", ""))


def test_every_url_with_an_id_is_walked():
    walked = set(BROWSER) | set(API) | set(EVERY_MEMBER_READS)
    assert _names_with_ids() - walked == set()
    assert walked - _names_with_ids() == set()


# Pages any signed-in account opens (its own password) and the site's public ones.
NOT_THE_TRACKERS = {"password_change", "password_change_done", "logout", "set_language"}


def test_an_account_without_a_role_gets_one_answer_on_every_page(client, world, hidden):
    """The plan's page (/) and every other page of the tracker: 403 and the "no role yet"
    page, whatever the page and whether its object exists."""
    client.force_login(world.nobody)
    urls = {
        name: _urls(BROWSER, hidden, name)[0]
        for name, (_method, who, _kwargs) in BROWSER.items()
        if who != "anonymous"
    }
    for name in named_pages() - set(urls) - set(ANONYMOUS_PAGES) - NOT_THE_TRACKERS:
        if name.startswith("public:"):
            continue
        if name in EVERY_MEMBER_READS:
            kwargs = {"pk": hidden["task"]} if name == "ledger:task" else None
            kwargs = kwargs or (
                {"task_pk": hidden["task"]}
                if name == "ledger:entry-create"
                else {"pk": hidden["round"]}
            )
            urls[name] = reverse(name, kwargs=kwargs)
        elif name != "healthz":
            urls[name] = reverse(name)
    assert "plan-overview" in urls
    for name, url in sorted(urls.items()):
        response = client.get(url)
        assert response.status_code == 403, (name, url, response.status_code)
        assert "no_role.html" in [t.name for t in response.templates], name
