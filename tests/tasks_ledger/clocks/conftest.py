"""Fixtures of the clock tests: a policy-document task and an emergency task, personas,
and Celery tasks run in the test process."""

import datetime

import pytest

from disclosure.celery import app
from tasks_ledger.plan.models import Assignment, Deadline
from tests.factories import (
    AssignmentFactory,
    DeadlineFactory,
    DepartmentFactory,
    PlanFactory,
    SectionFactory,
    TaskFactory,
)
from tests.people import People

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(*args) -> datetime.datetime:
    """A moment in Beijing time."""
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def relative(task, text, amount, unit, after):
    return DeadlineFactory(
        task=task,
        text=text,
        kind=Deadline.Kind.RELATIVE,
        due=None,
        amount=amount,
        unit=unit,
        after=after,
    )


@pytest.fixture
def departments(db):
    """The owning department (leads both tasks), a partner on the document task, another
    department with nothing to do with either, and the bureau office."""
    return {
        "own": DepartmentFactory(name="政策法规处", code="policy-law"),
        "partner": DepartmentFactory(name="政治处", code="political"),
        "other": DepartmentFactory(name="财务处", code="finance"),
        "office": DepartmentFactory(name="办公室", code="general-office", kind="office"),
    }


@pytest.fixture
def section(db):
    # Numbers given, not left to the shared factories' sequences, which outgrow the
    # column in a long test run.
    return SectionFactory(number="五", title="围绕释疑解惑推进公开", plan=PlanFactory(year=2016))


@pytest.fixture
def document_task(departments, section):
    task = TaskFactory(section=section, number="一", title="主动做好政策解读")
    relative(task, "3个工作日内", 3, Deadline.Unit.WORKDAY, "文件公开后")
    AssignmentFactory(task=task, department=departments["own"])
    AssignmentFactory(task=task, department=departments["partner"], role=Assignment.Role.PARTNER)
    return task


@pytest.fixture
def emergency_task(departments, section):
    task = TaskFactory(section=section, number="二", title="积极回应社会关切")
    relative(task, "5小时内", 5, Deadline.Unit.HOUR, "重大突发事件发生后")
    relative(task, "24小时内", 24, Deadline.Unit.HOUR, "重大突发事件发生后")
    AssignmentFactory(task=task, department=departments["own"])
    return task


@pytest.fixture
def people(departments):
    """The shared personas (tests/people.py) on these departments, all made from the start
    (the alerts' tests count who is told): `staff` and `head` of the owning department,
    `b_staff` of the partner, `other` of another department, the office's `reviewer`, the
    `admin`; `nobody` (no role) is made when a test asks for it."""
    people = People(
        a=departments["own"],
        b=departments["partner"],
        c=departments["other"],
        office=departments["office"],
    )
    for persona in ("staff", "head", "b_staff", "other", "reviewer", "admin"):
        getattr(people, persona)
    return people


@pytest.fixture
def eager_celery():
    """Queued tasks run at once, in this process, so that a test sees their effect."""
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous
