"""A small world for the ledger's tests: one task assigned to department A (lead) and B
(partner), department C not assigned, and the six personas of the permission matrix."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from departments.models import Membership
from tasks_ledger.ledger import services
from tasks_ledger.ledger.models import LedgerEntry
from tests.factories import (
    AssignmentFactory,
    DeadlineFactory,
    DepartmentFactory,
    PlanFactory,
    SectionFactory,
    TaskFactory,
    UserFactory,
    member,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2030, 5, 8, 10, 0, tzinfo=SHANGHAI)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_sequences():
    """tests.factories numbers tasks and sections "一" * (1 + n // 10): the counter runs
    over the whole session, so after ninety of them a number outgrows its column. These
    tests make many; start each one from zero, and leave zero behind for the next file."""
    TaskFactory.reset_sequence()
    SectionFactory.reset_sequence()
    yield
    TaskFactory.reset_sequence()
    SectionFactory.reset_sequence()


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


class World:
    def entry(self, state=LedgerEntry.State.DRAFT, department=None, **fields):
        """An entry of `department` (A by default) in `state`, made through the services
        where the state has a service, so its history is as real as the browser's."""
        department = department or self.a
        writer = {self.a.pk: self.head, self.b.pk: self.b_head}[department.pk]
        data = {"happened_on": "2030-05-06", "summary": fields.pop("summary", "公开权力清单")}
        data.update(fields)
        entry = services.ledger_entry_create(
            task=self.task, department=department, by=writer, data=data
        )
        if state != LedgerEntry.State.DRAFT:
            services.ledger_entry_submit(entry=entry, by=writer)
        if state == LedgerEntry.State.ACCEPTED:
            services.ledger_entry_accept(entry=entry, by=self.reviewer)
        if state == LedgerEntry.State.RETURNED:
            services.ledger_entry_return(entry=entry, by=self.reviewer, reason="请补充材料")
        return entry


@pytest.fixture
def world(db, now):
    w = World()
    w.plan = PlanFactory(year=2030)
    w.a = DepartmentFactory(code="dept-a", name="甲处", order=1)
    w.b = DepartmentFactory(code="dept-b", name="乙处", order=2)
    w.c = DepartmentFactory(code="dept-c", name="丙处", order=3)
    w.office = DepartmentFactory(code="office", name="办公室", order=0, kind="office")
    w.section = SectionFactory(plan=w.plan, number="一", title="第一部分", order=1)
    w.task = TaskFactory(section=w.section, number="一", title="推进权力清单公开", order=1)
    DeadlineFactory(task=w.task, text="2030年6月底前", due=datetime.date(2030, 6, 30))
    AssignmentFactory(task=w.task, department=w.a, role="lead")
    AssignmentFactory(task=w.task, department=w.b, role="partner", order=1)
    w.staff = member(w.a, Membership.Role.STAFF, username="a-staff")
    w.staff2 = member(w.a, Membership.Role.STAFF, username="a-staff2")
    w.head = member(w.a, Membership.Role.HEAD, username="a-head")
    w.b_head = member(w.b, Membership.Role.HEAD, username="b-head")
    w.other = member(w.c, Membership.Role.STAFF, username="c-staff")
    w.reviewer = member(w.office, Membership.Role.REVIEWER, username="reviewer")
    w.admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    Membership.objects.create(user=w.admin, role=Membership.Role.ADMIN)
    w.nobody = UserFactory(username="no-membership")
    return w
