"""The API's test world: two departments on one task, an office, and a token per persona."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from departments.models import Department
from tasks_ledger.ledger.models import LedgerEntry
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

PERSONAS = ["anonymous", "staff", "b_staff", "head", "reviewer", "admin"]


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    # The token throttle counts in the cache: each test starts with a clean count.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    """Department A (the owner) and B share task 一(一), lead and partner; A alone has
    一(二); B alone has 二(一). Each department has a draft and a submitted entry; A's
    submitted entry says 一(一) is done."""
    office = DepartmentFactory(code="general-office", name="办公室", kind=Department.Kind.OFFICE)
    a = DepartmentFactory(code="policy-law", name="政策法规处")
    b = DepartmentFactory(code="safety", name="安全处")
    plan = PlanFactory(year=2016, title="2016年政务公开工作实施方案")
    s1 = SectionFactory(plan=plan, number="一", title="围绕深化改革推进公开", order=0)
    s2 = SectionFactory(plan=plan, number="二", title="围绕稳增长推进公开", order=1)
    shared = TaskFactory(section=s1, number="一", title="推进权力清单公开", order=0)
    a_only = TaskFactory(section=s1, number="二", title="推进财政资金公开", order=1)
    b_only = TaskFactory(section=s2, number="一", title="推进安全生产公开", order=0)
    AssignmentFactory(task=shared, department=a, role="lead", order=0)
    AssignmentFactory(task=shared, department=b, role="partner", order=1)
    AssignmentFactory(task=a_only, department=a, role="lead")
    AssignmentFactory(task=b_only, department=b, role="lead")
    DeadlineFactory(task=shared, text="2016年9月底前", due=datetime.date(2016, 9, 30))
    DeadlineFactory(task=a_only, text="2016年6月底前", due=datetime.date(2016, 6, 30))
    DeadlineFactory(task=b_only, text="年内", due=datetime.date(2016, 12, 31))

    # The shared people (tests/people.py), all made from the start: A's staff and head,
    # B's staff, the office's reviewer, the administrator, an account with no role.
    users = People(a=a, b=b, office=office)
    for persona in ("staff", "b_staff", "head", "reviewer", "admin", "nobody"):
        users[persona]
    author = users["staff"]
    submitted = {"state": LedgerEntry.State.SUBMITTED, "submitted_at": "2016-06-02T10:00+08:00"}
    entries = SimpleNamespace(
        a_draft=LedgerEntryFactory(task=shared, department=a, author=author),
        a_submitted=LedgerEntryFactory(
            task=shared, department=a, author=author, status=LedgerEntry.Status.DONE, **submitted
        ),
        b_draft=LedgerEntryFactory(task=b_only, department=b, author=users["b_staff"]),
        b_submitted=LedgerEntryFactory(
            task=shared, department=b, author=users["b_staff"], **submitted
        ),
    )
    return SimpleNamespace(
        office=office,
        a=a,
        b=b,
        plan=plan,
        sections=(s1, s2),
        shared=shared,
        a_only=a_only,
        b_only=b_only,
        users=users,
        entries=entries,
    )


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def as_persona(world):
    """as_persona("head") → an API client signed in with that persona's token."""

    def make(persona: str) -> APIClient:
        return client_for(None if persona == "anonymous" else world.users[persona])

    return make


def assert_error_shape(response, *, status: int, code: str | None = None, attr=...):
    """The one error shape (tasks_ledger/api/exceptions.py), optionally naming a field."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"type", "errors"}
    assert body["type"] in ("validation_error", "client_error", "server_error")
    assert body["errors"], body
    for item in body["errors"]:
        assert set(item) == {"code", "detail", "attr"}
    if code is not None:
        assert code in [e["code"] for e in body["errors"]], body
    if attr is not ...:
        assert attr in [e["attr"] for e in body["errors"]], body
    return body
