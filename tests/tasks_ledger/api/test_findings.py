"""/api/findings/: the office records and corrects findings through the reviews service; a
department reads its own and nothing else."""

import datetime
from decimal import Decimal

import pytest

from tasks_ledger.plan.models import ReviewRound
from tasks_ledger.reviews.models import Finding
from tests.tasks_ledger.api.conftest import PERSONAS, assert_error_shape

URL = "/api/findings/"


@pytest.fixture
def rounds(world):
    check = ReviewRound.objects.create(
        plan=world.plan,
        kind=ReviewRound.Kind.CHECK,
        text="2016年10月",
        date=datetime.date(2016, 10, 8),
        status=ReviewRound.Status.OPEN,
    )
    assessment = ReviewRound.objects.create(
        plan=world.plan,
        kind=ReviewRound.Kind.ASSESSMENT,
        text="2017年1月",
        date=datetime.date(2017, 1, 3),
        status=ReviewRound.Status.OPEN,
    )
    reviewer = world.users["reviewer"]
    a_finding = Finding.objects.create(
        round=check, task=world.shared, department=world.a, rating="complete", reviewer=reviewer
    )
    b_finding = Finding.objects.create(
        round=check, task=world.b_only, department=world.b, rating="mostly", reviewer=reviewer
    )
    return check, assessment, a_finding, b_finding


def findings():
    return sorted(
        Finding.objects.values_list(
            "round_id", "task_id", "department_id", "rating", "score", "comment"
        )
    )


READS = {
    "staff": "a",
    "head": "a",
    "b_staff": "b",
    "reviewer": "ab",
    "admin": "ab",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_read_matrix(world, rounds, as_persona, persona):
    _check, _assessment, a_finding, b_finding = rounds
    client = as_persona(persona)
    if persona == "anonymous":
        assert_error_shape(client.get(URL), status=403)
        assert_error_shape(client.get(f"{URL}{a_finding.pk}/"), status=403)
        return
    listed = {f["id"] for f in client.get(URL).json()["results"]}
    expected = {a_finding.pk for c in READS[persona] if c == "a"} | {
        b_finding.pk for c in READS[persona] if c == "b"
    }
    assert listed == expected
    for finding, key in ((a_finding, "a"), (b_finding, "b")):
        response = client.get(f"{URL}{finding.pk}/")
        if key in READS[persona]:
            assert response.status_code == 200
        else:
            # Another department's finding does not exist for this caller.
            assert_error_shape(response, status=404, code="not_found")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 403),
        ("staff", 403),
        ("head", 403),
        ("b_staff", 403),
        ("reviewer", 201),
        ("admin", 201),
    ],
)
def test_create_matrix(world, rounds, as_persona, persona, status):
    check = rounds[0]
    before = findings()
    response = as_persona(persona).post(
        URL,
        {
            "round": check.pk,
            "task": world.shared.pk,
            "department": "safety",
            "rating": "incomplete",
            "comment": "未见公开链接",
        },
        format="json",
    )
    assert response.status_code == status, response.content
    if status == 201:
        finding = Finding.objects.get(round=check, task=world.shared, department=world.b)
        assert (finding.rating, finding.comment) == ("incomplete", "未见公开链接")
        assert finding.reviewer == world.users[persona]
        body = response.json()
        assert body["department"] == "safety"
        assert body["reviewer"] == world.users[persona].username
        assert len(findings()) == len(before) + 1
    else:
        assert_error_shape(response, status=status)
        assert findings() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 403),
        ("staff", 403),
        ("head", 403),
        ("b_staff", 403),
        ("reviewer", 200),
        ("admin", 200),
    ],
)
@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_matrix(world, rounds, as_persona, persona, status, method):
    a_finding = rounds[2]
    before = findings()
    response = getattr(as_persona(persona), method)(
        f"{URL}{a_finding.pk}/",
        {"rating": "mostly", "comment": "佐证不全"},
        format="json",
    )
    assert response.status_code == status, response.content
    a_finding.refresh_from_db()
    if status == 200:
        assert (a_finding.rating, a_finding.comment) == ("mostly", "佐证不全")
        assert response.json()["rating"] == "mostly"
    else:
        assert_error_shape(response, status=status)
        assert findings() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 403), ("staff", 403), ("reviewer", 405), ("admin", 405)],
)
def test_findings_are_not_deleted(world, rounds, as_persona, persona, status):
    before = findings()
    response = as_persona(persona).delete(f"{URL}{rounds[2].pk}/")
    assert_error_shape(response, status=status)
    assert findings() == before


def test_second_finding_for_the_same_row_is_refused(world, rounds, as_persona):
    check = rounds[0]
    before = findings()
    response = as_persona("reviewer").post(
        URL,
        {
            "round": check.pk,
            "task": world.shared.pk,
            "department": "policy-law",
            "rating": "mostly",
        },
        format="json",
    )
    assert_error_shape(response, status=400, code="unique", attr=None)
    assert findings() == before


def test_department_not_assigned_is_named(world, rounds, as_persona):
    before = findings()
    response = as_persona("reviewer").post(
        URL,
        {
            "round": rounds[0].pk,
            "task": world.a_only.pk,
            "department": "safety",
            "rating": "complete",
        },
        format="json",
    )
    assert_error_shape(response, status=400, code="not_assigned", attr="department")
    assert findings() == before


def test_assessment_score_range_is_named(world, rounds, as_persona):
    assessment = rounds[1]
    client = as_persona("reviewer")
    payload = {"round": assessment.pk, "task": world.shared.pk, "department": "policy-law"}
    response = client.post(URL, {**payload, "rating": "complete", "score": "120"}, format="json")
    assert_error_shape(response, status=400, attr="score")
    response = client.post(URL, {**payload, "rating": "complete", "score": "92.5"}, format="json")
    assert response.status_code == 201
    assert Finding.objects.get(round=assessment).score == Decimal("92.5")


def test_service_refusals_come_back_as_400(world, rounds, as_persona):
    check = rounds[0]
    client = as_persona("reviewer")
    payload = {"round": check.pk, "task": world.shared.pk, "department": "safety"}
    # A check gives a rating, no score.
    response = client.post(URL, {**payload, "rating": "complete", "score": "80"}, format="json")
    assert_error_shape(response, status=400, code="review", attr=None)
    check.status = ReviewRound.Status.CLOSED
    check.save()
    response = client.post(URL, {**payload, "rating": "complete"}, format="json")
    assert_error_shape(response, status=400, code="review", attr=None)
    assert not Finding.objects.filter(department=world.b, task=world.shared).exists()


def test_filters(world, rounds, as_persona):
    check, assessment, a_finding, b_finding = rounds
    client = as_persona("reviewer")

    def ids(query):
        return [f["id"] for f in client.get(f"{URL}?{query}").json()["results"]]

    assert ids("department=safety") == [b_finding.pk]
    assert ids(f"task={world.shared.pk}") == [a_finding.pk]
    assert ids("rating=complete") == [a_finding.pk]
    assert ids(f"round={assessment.pk}") == []
    assert ids("ordering=-id") == [b_finding.pk, a_finding.pk]


def test_list_queries_are_fixed(world, rounds, as_persona, django_assert_num_queries):
    client = as_persona("reviewer")
    # token with user and membership, count, findings with departments and reviewers
    with django_assert_num_queries(3):
        client.get(URL)
    for task in (world.a_only,):
        Finding.objects.create(
            round=rounds[0],
            task=task,
            department=world.a,
            rating="complete",
            reviewer=world.users["admin"],
        )
    with django_assert_num_queries(3):
        assert client.get(URL).json()["count"] == 3
