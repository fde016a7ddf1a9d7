"""Test data of the publishing and public tests: personas and a small published plan, built
with factories and the real services (publish, propose, review)."""

import datetime
from dataclasses import dataclass

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
)
from tests.people import People

# The order in which the publishing tests' people are made: all of them exist from the start
# (a proposal tells every confidentiality reviewer, so the second one must be there).
PERSONAS = ("reviewer", "secrecy", "secrecy2", "staff", "head", "nobody")


def make_people(department=None) -> People:
    """The shared people (tests/people.py) on one department, 政策法规处 by default: the
    office's reviewer (`reviewer`, with no department of its own here), the confidentiality
    reviewers (`secrecy`, `secrecy2`), the department's `staff` and `head`, and `nobody`."""
    department = department or DepartmentFactory(name="政策法规处", code="policy-law")
    people = People(a=department)
    for persona in PERSONAS:
        getattr(people, persona)
    return people


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
    author = author or People(a=lead).staff2
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
        task=task, text=text, evidence_ids=[e.pk for e in evidence], by=people.reviewer
    )
    services.proposal_review(proposal=proposal, decision="passed", by=people.secrecy)
    proposal.refresh_from_db()
    return proposal
