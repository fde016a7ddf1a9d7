"""Departments, plans and tasks: read by every member, written by nobody, filtered, and
listed in a fixed number of queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from departments.models import Department
from tasks_ledger.plan.models import Plan, Task
from tests.factories import (
    AssignmentFactory,
    DeadlineFactory,
    PlanFactory,
    SectionFactory,
    TaskFactory,
)
from tests.tasks_ledger.api.conftest import PERSONAS, assert_error_shape

MEMBERS = [p for p in PERSONAS if p != "anonymous"]
# 2016-09-25 in Shanghai: 一(一) (due 09-30) is due soon, 一(二) (due 06-30) overdue.
TODAY = datetime.datetime(2016, 9, 25, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def read_only_urls(world):
    return [
        "/api/departments/",
        f"/api/departments/{world.a.code}/",
        "/api/plans/",
        f"/api/plans/{world.plan.pk}/",
        "/api/tasks/",
        f"/api/tasks/{world.shared.pk}/",
    ]


def snapshot():
    return (
        list(Department.objects.values_list("id", "code", "name", "active")),
        list(Plan.objects.values_list("id", "title", "status")),
        list(Task.objects.values_list("id", "title", "body")),
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_read_matrix(world, as_persona, persona):
    client = as_persona(persona)
    for url in read_only_urls(world):
        response = client.get(url)
        if persona == "anonymous":
            assert_error_shape(response, status=403, code="not_authenticated")
        else:
            assert response.status_code == 200, (url, response.content)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nobody_writes_the_plan_through_the_api(world, as_persona, persona, method):
    client = as_persona(persona)
    before = snapshot()
    for url in read_only_urls(world):
        response = getattr(client, method)(url, {"title": "改写"}, format="json")
        # Anonymous callers are refused before the method is looked at.
        expected = 403 if persona == "anonymous" else 405
        assert_error_shape(response, status=expected)
    assert snapshot() == before


def test_department_fields(world, as_persona):
    body = as_persona("b_staff").get(f"/api/departments/{world.a.code}/").json()
    assert body == {
        "id": world.a.pk,
        "code": "policy-law",
        "name": "政策法规处",
        "kind": "department",
        "order": 0,
        "active": True,
    }


def test_unknown_department_is_404_in_the_error_shape(world, as_persona):
    response = as_persona("head").get("/api/departments/no-such/")
    assert_error_shape(response, status=404, code="not_found", attr=None)


def test_plan_detail_nests_sections_and_tasks(world, as_persona):
    body = as_persona("reviewer").get(f"/api/plans/{world.plan.pk}/").json()
    assert body["year"] == 2016
    assert [s["number"] for s in body["sections"]] == ["一", "二"]
    assert [(t["number"], t["title"]) for t in body["sections"][0]["tasks"]] == [
        ("一", "推进权力清单公开"),
        ("二", "推进财政资金公开"),
    ]
    assert body["sections"][1]["tasks"][0]["id"] == world.b_only.pk


def test_plan_detail_queries_are_fixed(world, as_persona, django_assert_num_queries):
    client = as_persona("reviewer")
    # token with user and membership, plan, its sections, their tasks
    with django_assert_num_queries(4):
        client.get(f"/api/plans/{world.plan.pk}/")


def test_task_fields(world, as_persona, frozen):
    body = as_persona("reviewer").get(f"/api/tasks/{world.shared.pk}/").json()
    assert body == {
        "id": world.shared.pk,
        "plan": world.plan.pk,
        "section": world.sections[0].pk,
        "section_number": "一",
        "parent": None,
        "number": "一",
        "code": "一(一)",
        "title": "推进权力清单公开",
        "body": world.shared.body,
        "other_units": "",
        "assignments": [
            {"department": "policy-law", "role": "lead"},
            {"department": "safety", "role": "partner"},
        ],
        "deadlines": [
            {
                "id": world.shared.deadlines.get().pk,
                "text": "2016年9月底前",
                "kind": "date",
                "due": "2016-09-30",
                "amount": None,
                "unit": "",
                "after": "",
                "every": "",
            }
        ],
        "status": "due_soon",
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        # A's submitted entry says done, not yet accepted: awaiting confirmation; its other
        # task is overdue; B's task is not A's, so A sees the worst light across its
        # departments: B has filed only a draft on it, so nothing is filed.
        ("staff", {"shared": "awaiting", "a_only": "overdue", "b_only": "not_filed"}),
        ("head", {"shared": "awaiting", "a_only": "overdue", "b_only": "not_filed"}),
        # B has not said done on 一(一): its own light is due soon.
        ("b_staff", {"shared": "due_soon", "a_only": "overdue", "b_only": "not_filed"}),
        # The office sees the worst light across departments.
        ("reviewer", {"shared": "due_soon", "a_only": "overdue", "b_only": "not_filed"}),
        ("admin", {"shared": "due_soon", "a_only": "overdue", "b_only": "not_filed"}),
    ],
)
def test_task_status_depends_on_who_asks(world, as_persona, frozen, persona, expected):
    results = as_persona(persona).get("/api/tasks/").json()["results"]
    by_id = {t["id"]: t["status"] for t in results}
    assert {name: by_id[getattr(world, name).pk] for name in expected} == expected


def test_task_with_no_department_has_no_status(world, as_persona, frozen):
    lonely = TaskFactory(section=world.sections[1], number="二")
    assert as_persona("reviewer").get(f"/api/tasks/{lonely.pk}/").json()["status"] is None


def ids(response):
    assert response.status_code == 200, response.content
    return [t["id"] for t in response.json()["results"]]


class TestTaskFilters:
    @pytest.fixture
    def other_plan(self, world):
        plan = PlanFactory(year=2017)
        section = SectionFactory(plan=plan, number="一")
        task = TaskFactory(section=section, number="一")
        AssignmentFactory(task=task, department=world.a)
        DeadlineFactory(task=task, text="2017年3月底前", due=datetime.date(2017, 3, 31))
        return task

    def test_by_plan(self, world, as_persona, other_plan):
        client = as_persona("reviewer")
        assert ids(client.get(f"/api/tasks/?plan={other_plan.plan_id}")) == [other_plan.pk]
        assert sorted(ids(client.get(f"/api/tasks/?plan={world.plan.pk}"))) == sorted(
            [world.shared.pk, world.a_only.pk, world.b_only.pk]
        )
        assert ids(client.get("/api/tasks/?plan_year=2017")) == [other_plan.pk]

    def test_by_section(self, world, as_persona, other_plan):
        client = as_persona("reviewer")
        assert ids(client.get(f"/api/tasks/?section={world.sections[1].pk}")) == [world.b_only.pk]
        got = ids(client.get(f"/api/tasks/?plan={world.plan.pk}&section_number=一"))
        assert got == [world.shared.pk, world.a_only.pk]

    def test_by_department(self, world, as_persona, other_plan):
        client = as_persona("reviewer")
        got = ids(client.get("/api/tasks/?department=policy-law"))
        assert got == [world.shared.pk, world.a_only.pk, other_plan.pk]
        assert ids(client.get("/api/tasks/?department=safety")) == [
            world.shared.pk,
            world.b_only.pk,
        ]
        assert ids(client.get("/api/tasks/?department=nobody")) == []

    def test_by_status(self, world, as_persona, frozen):
        client = as_persona("reviewer")
        assert ids(client.get("/api/tasks/?status=overdue")) == [world.a_only.pk]
        assert ids(client.get("/api/tasks/?status=due_soon")) == [world.shared.pk]
        # For A, its own light decides: 一(一) is said done, awaiting the office's word.
        owner = as_persona("staff")
        assert ids(owner.get("/api/tasks/?status=awaiting")) == [world.shared.pk]
        assert ids(owner.get("/api/tasks/?status=done")) == []

    def test_by_due_dates(self, world, as_persona, other_plan):
        client = as_persona("reviewer")
        assert ids(client.get("/api/tasks/?due_before=2016-07-01")) == [world.a_only.pk]
        assert ids(client.get("/api/tasks/?due_after=2016-12-31")) == [
            world.b_only.pk,
            other_plan.pk,
        ]
        got = ids(client.get("/api/tasks/?due_after=2016-07-01&due_before=2016-09-30"))
        assert got == [world.shared.pk]

    def test_ordering(self, world, as_persona, frozen):
        client = as_persona("reviewer")
        got = ids(client.get("/api/tasks/?ordering=-id"))
        assert got == sorted(got, reverse=True)
        got = ids(client.get("/api/tasks/?ordering=status"))
        # Alphabetical by the light's name: due_soon, on_track, overdue.
        assert got == [world.shared.pk, world.b_only.pk, world.a_only.pk]

    @pytest.mark.parametrize(
        ("query", "attr"),
        [
            ("status=late", "status"),
            ("due_before=yesterday", "due_before"),
            ("plan=999999", "plan"),
            ("ordering=title", "ordering"),
        ],
    )
    def test_bad_filter_is_named(self, world, as_persona, query, attr):
        response = as_persona("reviewer").get(f"/api/tasks/?{query}")
        assert_error_shape(response, status=400, attr=attr)


def grow_plan(world, n):
    for i in range(n):
        task = TaskFactory(section=world.sections[1], number=f"{i + 10}")
        AssignmentFactory(task=task, department=world.a)
        AssignmentFactory(task=task, department=world.b, role="partner")
        DeadlineFactory(task=task, text=f"第{i}期", due=datetime.date(2016, 10, 1 + i % 28))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        # token with user, membership and department (for the department's own light),
        # count, tasks with their status, assignments with departments, deadlines
        ("staff", 5),
        ("reviewer", 5),
    ],
)
def test_task_list_queries_are_fixed_whatever_the_size(
    world, as_persona, django_assert_num_queries, persona, expected
):
    client = as_persona(persona)
    counts = []
    for extra in (0, 30):
        grow_plan(world, extra)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/tasks/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_num_queries(expected):
        client.get("/api/tasks/")


def test_department_and_plan_lists_queries_are_fixed(world, as_persona, django_assert_num_queries):
    client = as_persona("head")
    for _ in range(2):
        # token with user and membership, count, rows
        with django_assert_num_queries(3):
            client.get("/api/departments/")
        with django_assert_num_queries(3):
            client.get("/api/plans/")
        PlanFactory()
        Department.objects.create(
            code=f"extra-{Department.objects.count()}", name=f"处{Department.objects.count()}"
        )


def test_the_status_filter_s_sql_stays_small(world, as_persona, frozen):
    """The light is read from the rollups through a join (ledger/status.py), and ordered by
    a CASE of its own: the status filter's SQL was 77 KB of repeated subqueries, which
    took PostgreSQL seconds to plan."""
    client = as_persona("staff")  # the department's own light, then the worst: both forms
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/tasks/?status=overdue&ordering=status").status_code == 200
    assert max(len(q["sql"]) for q in queries) < 12_000
