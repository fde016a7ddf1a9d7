"""Test data of the publishing and public tests: personas and a small published plan, built
with factories and the real services (publish, propose, review)."""

import datetime
from dataclasses import dataclass

from departments.models import Membership
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.plan.models import Assignment
from tasks_ledger.publishing import services
from tests.factories import (
    AssignmentFactory,
    DeadlineFactory,
    DepartmentFactory,
    LedgerEntryFactory,
    PlanFactory,
    SectionFactory,
    TaskFactory,
    UserFactory,
    member,
)


@dataclass
class People:
    office: object
    reviewer: object  # 保密审查
    reviewer2: object
    staff: object
    head: object
    nobody: object


def make_people(department=None) -> People:
    department = department or DepartmentFactory(name="政策法规处", code="policy-law")
    return People(
        office=member(None, Membership.Role.REVIEWER, username="office"),
        reviewer=member(None, Membership.Role.CONFIDENTIALITY, username="secrecy"),
        reviewer2=member(None, Membership.Role.CONFIDENTIALITY, username="secrecy2"),
        staff=member(department, Membership.Role.STAFF, username="staff"),
        head=member(department, Membership.Role.HEAD, username="head"),
        nobody=UserFactory(username="nobody"),  # signed in, no role
    )


@dataclass
class SmallPlan:
    plan: object
    done_task: object  # both departments' latest accepted entries say done
    busy_task: object  # an accepted entry in progress
    idle_task: object  # a submitted entry only: not started in public
    lead: object
    partner: object
    evidence: object  # a link on done_task's accepted entry


def make_plan(*, year=2031, lead=None, author=None) -> SmallPlan:
    plan = PlanFactory(year=year, title=f"{year}年政务公开工作实施方案", issuer="某市交通运输局")
    one = SectionFactory(plan=plan, number="一", title="推进决策公开", order=1)
    two = SectionFactory(plan=plan, number="二", title="推进服务公开", order=2)
    lead = lead or DepartmentFactory(name="政策法规处", code="policy-law")
    partner = DepartmentFactory(name="安全处", code="safety", order=2)
    done_task = TaskFactory(section=one, number="一", title="公开重大决策", order=1)
    busy_task = TaskFactory(section=one, number="二", title="公开执行情况", order=2)
    idle_task = TaskFactory(section=two, number="一", title="公开办事指南", order=1)
    for task in (done_task, busy_task, idle_task):
        AssignmentFactory(task=task, department=lead, role=Assignment.Role.LEAD)
    AssignmentFactory(task=done_task, department=partner, role=Assignment.Role.PARTNER, order=1)
    DeadlineFactory(task=done_task, text=f"{year}年9月底前", due=datetime.date(year, 9, 30))
    author = author or member(lead, Membership.Role.STAFF, username="author")
    when = datetime.datetime(year, 5, 1, tzinfo=datetime.UTC)
    accepted = {"state": LedgerEntry.State.ACCEPTED, "submitted_at": when, "author": author}
    entry = LedgerEntryFactory(
        task=done_task, department=lead, status=LedgerEntry.Status.DONE, **accepted
    )
    LedgerEntryFactory(
        task=done_task, department=partner, status=LedgerEntry.Status.DONE, **accepted
    )
    evidence = Evidence.objects.create(
        entry=entry, kind=Evidence.Kind.LINK, url="https://www.example.gov.cn/jc/1.html"
    )
    LedgerEntryFactory(
        task=busy_task, department=lead, status=LedgerEntry.Status.IN_PROGRESS, **accepted
    )
    LedgerEntryFactory(
        task=idle_task,
        department=lead,
        status=LedgerEntry.Status.DONE,
        state=LedgerEntry.State.SUBMITTED,
        submitted_at=when,
        author=author,
    )
    return SmallPlan(plan, done_task, busy_task, idle_task, lead, partner, evidence)


def publish_text(*, task, text, people, evidence=()):
    """A text proposed by the office and passed by the confidentiality reviewer."""
    proposal = services.proposal_create(
        task=task, text=text, evidence_ids=[e.pk for e in evidence], by=people.office
    )
    services.proposal_review(proposal=proposal, decision="passed", by=people.reviewer)
    proposal.refresh_from_db()
    return proposal
