"""Every page of the site, for every role: one small world with something on each page, and
the URL of each named page as a given persona sees it.

Used by the phone-width browser walk (tests/browser/test_phone_width.py) and by the
translation sweep (tests/disclosure/test_translated_pages.py), so both look at the same pages;
`test_every_named_page_is_walked` fails when a new page is not added here.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from departments.models import Department
from tasks_ledger import demo
from tasks_ledger.clocks import services as clock_services
from tasks_ledger.clocks.models import Event
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.drafts import import_draft_create
from tasks_ledger.plan.models import Assignment, ImportDraft, Plan, ReviewRound, Task
from tasks_ledger.plan.reading import parse_plan_text
from tasks_ledger.publishing import services as publishing_services
from tasks_ledger.publishing.models import PublicationProposal
from tasks_ledger.reminders import services as reminder_services
from tasks_ledger.reviews import services as review_services

# The personas who walk the site: a department's staff and head, the bureau office, the
# administrator. (Anonymous visitors see only the sign-in pages.)
ROLES = ["policy-law", "policy-law-head", "reviewer", "admin"]
ANONYMOUS_PAGES = {
    "login": "/accounts/login/",
    "password_reset": "/accounts/password_reset/",
    "password_reset_done": "/accounts/password_reset/done/",
    "password_reset_confirm": "/accounts/reset/MQ/not-a-token/",
    "password_reset_complete": "/accounts/reset/done/",
    "not-found": "/no-such-page/",
    "public:index": "/public/",
    "public:year": "/public/2016/",
    "public:embed": "/public/embed/",
}

# Named URLs that are not pages: POST-only actions, downloads, the API and htmx fragments
# (the fragment is seen inside the dashboard). Every other named URL must be walked.
NOT_PAGES = {
    "ledger:entry-submit",
    "ledger:bulk-submit",
    "ledger:bulk-accept",
    "ledger:entry-accept",
    "ledger:entry-return",
    "ledger:evidence-remove",
    "ledger:evidence-download",
    "ledger:evidence-preview",
    "reviews:open",
    "reviews:close",
    "reviews:accept",
    "reviews:return",
    "reviews:export",
    "reviews:self-assessments-open",
    "reviews:consolidation-ask",
    "reminders:read",
    "reminders:read-all",
    "dashboard:task-urges",
    "dashboard:ledger-export",
    "ledger-export",
    "clocks:obligation-fulfil",
    "clocks:recent-events",
    "clocks:event-withdraw",
    "healthz",
    "set_language",
    "logout",
    # The plan import's steps (POSTs) and a task's correction form (an htmx fragment of
    # the draft's page, which is walked).
    "plans:draft-year",
    "plans:draft-map",
    "plans:draft-commit",
    "plans:draft-discard",
    "plans:draft-task",
    "publishing:plan-publish",
    "publishing:review",
    "publishing:withdraw",
    # Feeds, files and crawlers' texts of the public site, not pages.
    "public:feed-atom",
    "public:feed-json",
    "public:evidence-file",
    "public:robots",
    "public:sitemap",
}


@dataclass
class World:
    task: Task
    own_entry: LedgerEntry  # a policy-law draft: its staff's and head's pages
    submitted: LedgerEntry  # what the office reviews
    event: Event
    review_round: ReviewRound
    assignment: Assignment
    draft: ImportDraft  # the office's plan import in progress
    proposal: PublicationProposal


def build_world(password: str) -> World:
    """The demo data plus one of each thing a page shows: an event with clocks, an open
    round, an urge in an inbox, entries in every state."""
    demo.seed_entries(60)
    users = {u.username: u for u in get_user_model().objects.all()}
    plan = Plan.objects.current()
    policy_law = Department.objects.get(code="policy-law")
    # 五(一): published documents are to be made public within 3 working days (policy-law
    # and political); 五(二): an emergency within 5 and 24 hours (political, the office).
    document_task = Task.objects.get(plan=plan, section__number="五", number="一", parent=None)
    emergency_task = Task.objects.get(plan=plan, section__number="五", number="二", parent=None)
    now = timezone.now()
    event = clock_services.event_record(
        task=document_task,
        kind=Event.Kind.DOCUMENT,
        title="关于印发《宿迁市交通运输局政务公开工作实施方案》的通知",
        occurred_at=now - datetime.timedelta(hours=30),
        doc_number="宿交发〔2016〕88号",
        by=users["policy-law"],
    )
    clock_services.event_record(
        task=emergency_task,
        kind=Event.Kind.EMERGENCY,
        title="京杭运河宿迁段船舶碰撞",
        occurred_at=now - datetime.timedelta(hours=2),
        location="京杭运河宿迁段",
        severity=Event.Severity.MAJOR,
        by=users["political"],
    )
    review_round = plan.review_rounds.order_by("date").first()
    review_services.review_round_open(review_round=review_round, by=users["reviewer"])
    assignment = Assignment.objects.filter(department=policy_law, task__plan=plan).first()
    reminder_services.urge_create(
        task=assignment.task,
        department=policy_law,
        by=users["reviewer"],
        message="请于本周内报送进展",
    )
    own_entry = LedgerEntry.objects.create(
        task=assignment.task,
        department=policy_law,
        author=users["policy-law"],
        happened_on=datetime.date(plan.year, 9, 20),
        summary="在局门户网站政府信息公开专栏更新权责清单12条",
        status=LedgerEntry.Status.IN_PROGRESS,
    )
    submitted = LedgerEntry.objects.filter(state=LedgerEntry.State.SUBMITTED).order_by("pk").first()
    draft = import_draft_create(
        owner=users["reviewer"],
        file_name="2017年政务公开工作要点.txt",
        data=parse_plan_text(
            "某局2017年政务公开工作要点\n一、重点任务\n(一)推进决策公开。(办公室牵头)"
        ),
    )
    publishing_services.plan_publish(plan=plan, by=users["reviewer"])
    proposal = publishing_services.proposal_create(
        task=assignment.task, text="已在门户网站公开权责清单。", by=users["reviewer"]
    )
    return World(
        task=assignment.task,
        own_entry=own_entry,
        submitted=submitted,
        event=event,
        review_round=review_round,
        assignment=assignment,
        draft=draft,
        proposal=proposal,
    )


def _assessment(world: World) -> ReviewRound:
    return world.review_round.plan.review_rounds.filter(kind=ReviewRound.Kind.ASSESSMENT).first()


def pages_for(world: World, username: str) -> dict[str, str]:
    """URL name → the URL this persona opens (their own entry, or the office's to review)."""
    entry = world.submitted if username in ("reviewer", "admin") else world.own_entry
    pages = {
        "plan-overview": "/",
        "plan-clone": "/plans/copy/",
        "ledger:home": "/ledger/",
        "ledger:review-queue": "/ledger/review/",
        "ledger:unsent": "/ledger/unsent/",
        "ledger:task": f"/ledger/tasks/{world.task.pk}/",
        "ledger:entry-create": f"/ledger/tasks/{world.task.pk}/new/",
        "ledger:entry": f"/ledger/entries/{entry.pk}/",
        "ledger:entry-edit": f"/ledger/entries/{world.own_entry.pk}/edit/",
        "ledger:entry-history": f"/ledger/entries/{entry.pk}/history/",
        "dashboard:dashboard": "/dashboard/",
        "dashboard:urge": f"/dashboard/urge/?task={world.task.pk}",
        "reviews:rounds": "/reviews/",
        "reviews:round": f"/reviews/{world.review_round.pk}/",
        "reviews:finding": f"/reviews/{world.review_round.pk}/findings/{world.assignment.pk}/",
        "reviews:summary": "/reviews/summary/",
        "reviews:self-assessment": f"/reviews/{_assessment(world).pk}/self-assessment/",
        "reviews:consolidation": (
            f"/reviews/{world.review_round.pk}/tasks/{world.task.pk}/consolidation/"
        ),
        "ledger-import": "/ledger/import/",
        "reminders:inbox": "/inbox/",
        "clocks:board": "/clocks/",
        "clocks:event-record": f"/clocks/tasks/{world.event.task_id}/record/",
        "clocks:event-detail": f"/clocks/events/{world.event.pk}/",
        "account": "/account/",
        "password_change": "/accounts/password_change/",
        "password_change_done": "/accounts/password_change/done/",
        "search:search": "/search/?q=%E5%85%AC%E5%BC%80",  # 公开: the world's entries say it
        "not-found": "/ledger/entries/999999/",
        "plans:import": "/plans/import/",
        "plans:draft": f"/plans/import/{world.draft.pk}/",
        "publishing:home": "/publishing/",
        "publishing:propose": f"/publishing/tasks/{world.task.pk}/propose/",
        "publishing:proposal": f"/publishing/proposals/{world.proposal.pk}/",
    }
    if username == "admin":
        pages |= {
            "admin:index": "/admin/",
            "admin:ledger_ledgerentry_changelist": "/admin/ledger/ledgerentry/",
            "admin:ledger_ledgerentry_change": f"/admin/ledger/ledgerentry/{entry.pk}/change/",
            "admin:ledger_ledgerentry_history": f"/admin/ledger/ledgerentry/{entry.pk}/history/",
            "admin:auth_user_changelist": "/admin/auth/user/",
            "admin:auth_user_change": f"/admin/auth/user/{entry.author_id}/change/",
            "admin:auth_group_add": "/admin/auth/group/add/",
            "admin:reminders_sentreminder_changelist": "/admin/reminders/sentreminder/",
            "admin:axes_accessattempt_changelist": "/admin/axes/accessattempt/",
            "admin:reminders_notification_changelist": "/admin/reminders/notification/",
            "admin:reminders_robotchannel_add": "/admin/reminders/robotchannel/add/",
            "admin:clocks_event_changelist": "/admin/clocks/event/",
        }
    return pages


def named_pages() -> set[str]:
    """Every named URL of the site's own pages: the admin's are walked through the sample
    above, the API speaks JSON."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                route = prefix + str(pattern.pattern)
                if route.startswith(("api/", "admin/")):
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, route, inner)
            elif pattern.name:
                yield namespace + pattern.name

    return set(walk(get_resolver().url_patterns, "", ""))
