"""Shared fixtures: fast password hashing, the seed plan, service requirements, and the one
set of test people on a small plan (`world`) that every test uses."""

import datetime
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from tasks_ledger import demo
from tasks_ledger.ledger import services
from tasks_ledger.ledger.models import LedgerEntry
from tests.factories import (
    AssignmentFactory,
    DeadlineFactory,
    DepartmentFactory,
    PlanFactory,
    SectionFactory,
    TaskFactory,
)
from tests.people import People
from tests.redis_service import redis_caches

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

pytest_plugins = ["tests.browser_fixtures", "tests.object_store"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres"):
            item.fixturenames.append("_needs_postgres")


@pytest.fixture
def _needs_postgres(db):
    if connection.vendor != "postgresql":
        message = "needs PostgreSQL (set DATABASE_URL=postgres://…)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(autouse=True)
def _default_language():
    # A request may switch the thread's language (LocaleMiddleware); start every test in the
    # site's default so that no test inherits another's.
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    # The cache (local memory in the tests) outlives each test's rolled-back database: the
    # header's kept 待办 counts and the throttles' counters must not reach the next test,
    # whose rows may reuse the same primary keys. Only local memory: a Redis named by
    # CACHE_URL in the environment may be someone's, and is never flushed here.
    local = "LocMemCache" in settings.CACHES["default"]["BACKEND"]
    if local:
        cache.clear()
    yield
    if local:
        cache.clear()


@pytest.fixture
def plan_2016(db):
    """The Suqian 2016 plan and its 8 departments, loaded as `seed_demo` loads them."""
    demo.seed_departments()
    ((plan, _summary),) = demo.seed_plans()
    return plan


@pytest.fixture
def demo_accounts(plan_2016, settings):
    demo.seed_accounts(settings.DEMO_PASSWORD)
    return settings.DEMO_PASSWORD


SHANGHAI = ZoneInfo("Asia/Shanghai")
# The small world's "now": Wednesday 2030-05-08, 10:00 in Beijing (a working day).
NOW = datetime.datetime(2030, 5, 8, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def now():
    """Time stands still at NOW; `now.shift(timedelta)` moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_sequences():
    """tests.factories number tasks and sections from a counter that runs over the whole
    session, so after enough of them a number outgrows its column: start each test from
    zero, and leave zero behind for the next."""
    TaskFactory.reset_sequence()
    SectionFactory.reset_sequence()
    yield
    TaskFactory.reset_sequence()
    SectionFactory.reset_sequence()


class World:
    """The personas and the small plan (see the `world` fixture)."""

    def __getattr__(self, name):
        # world.staff, world.reviewer, …: the people of the world.
        if name == "people":
            raise AttributeError(name)
        return getattr(self.people, name)

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
    """One plan (2030), one section, one task 一(一) due 2030-06-30: department A (甲处)
    leads it, B (乙处) is a partner, C (丙处) has nothing to do with it. The people:

    - `staff`, `staff2`, `head`: A's staff and head (they write A's ledger)
    - `b_head`: B's head (a partner: reads the task, not A's drafts)
    - `other`: C's staff (another department: what is A's answers it as missing)
    - `reviewer`: the bureau office (办公室); `admin`: the administrator
    - `secrecy`: the confidentiality reviewer (保密审查), `nobody`: signed in, no role,
      made when first asked for (see People)
    """
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
    w.people = People(a=w.a, b=w.b, c=w.c, office=w.office)
    # Everyone exists from the start here: the ledger's tests count who is told what.
    for persona in ("staff", "staff2", "head", "b_head", "other", "reviewer", "admin"):
        getattr(w.people, persona)
    return w


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request, settings):
    """The test runs on each process's local-memory cache, then on Redis as in production
    (what one worker forgets, every worker forgets)."""
    if request.param == "redis":
        settings.CACHES = redis_caches()
    return request.param
