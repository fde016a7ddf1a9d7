"""The dashboard, urge and export views: who may see them, what they show, query counts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.reminders.models import Notification, Urge
from tests.tasks_ledger.dashboard.conftest import D, add_entry

DASHBOARD = reverse("dashboard:dashboard")
EXPORT = reverse("dashboard:ledger-export")
URGE = reverse("dashboard:urge")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("staff", 403), ("head", 403), ("other_staff", 403), ("reviewer", 200), ("admin", 200)],
)
@pytest.mark.parametrize("url", [DASHBOARD, EXPORT])
def test_only_the_office_may_read(client, personas, persona, expected, url):
    client.force_login(personas[persona])
    assert client.get(url).status_code == expected


@pytest.mark.parametrize("persona", ["staff", "head", "other_staff"])
def test_only_the_office_may_urge(client, personas, small_plan, persona):
    client.force_login(personas[persona])
    response = client.post(URGE, {"assignment": small_plan.t4a.pk})
    assert response.status_code == 403
    assert not Urge.objects.exists()


@pytest.mark.parametrize("url", [DASHBOARD, EXPORT])
def test_anonymous_is_sent_to_sign_in(client, small_plan, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_urge_is_recorded_and_in_the_department_inbox(client, personas, small_plan):
    client.force_login(personas["reviewer"])
    response = client.post(
        URGE,
        {"assignment": small_plan.t4a.pk, "message": "请尽快报送", "next": DASHBOARD + "?x=1"},
    )
    assert response.status_code == 302 and response["Location"] == DASHBOARD + "?x=1"
    urge = Urge.objects.get()
    assert (urge.task, urge.department, urge.by, urge.message) == (
        small_plan.t4,
        small_plan.a,
        personas["reviewer"],
        "请尽快报送",
    )
    inbox = Notification.objects.filter(recipient__in=[personas["staff"], personas["head"]])
    assert inbox.count() == 2
    assert not Notification.objects.filter(recipient=personas["other_staff"]).exists()


def test_urge_ignores_a_foreign_next(client, personas, small_plan):
    client.force_login(personas["reviewer"])
    response = client.post(URGE, {"assignment": small_plan.t4a.pk, "next": "https://evil.example/"})
    assert response["Location"] == DASHBOARD


def test_urge_is_post_only(client, personas, small_plan):
    client.force_login(personas["reviewer"])
    assert client.get(URGE).status_code == 405


def test_page_shows_figures_filters_and_urge_buttons(client, personas, small_plan):
    client.force_login(personas["reviewer"])
    response = client.get(DASHBOARD, {"department": "dept-a"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-figure="overdue">1<' in html
    assert 'data-figure="done">1<' in html
    assert '<option value="dept-a" selected>' in html
    assert html.count('class="urge-form"') == 2  # T4×A overdue, T2×A due soon
    assert "<svg" in html and "cdn" not in html.lower()
    assert f"{EXPORT}?department=dept-a" in html
    # A click on a task or a cell opens the task.
    assert html.count(f'href="{reverse("ledger:task", args=[small_plan.t4.id])}"') >= 2


def test_as_of_page_has_no_urge_buttons_and_says_so(client, personas, small_plan):
    client.force_login(personas["reviewer"])
    html = client.get(DASHBOARD, {"as_of": "2030-05-08"}).content.decode()
    assert 'class="asof-banner"' in html
    assert 'class="urge-form"' not in html


def test_nav_links_the_dashboard_for_the_office_only(client, personas):
    client.force_login(personas["reviewer"])
    assert DASHBOARD in client.get("/").content.decode()
    client.force_login(personas["staff"])
    assert f'href="{DASHBOARD}"' not in client.get("/").content.decode()


def grow(small_plan, n):
    for i in range(n):
        add_entry(small_plan.t1, small_plan.b, LedgerEntry.Status.IN_PROGRESS, D(2030, 4, 1 + i))


def test_dashboard_query_count_is_fixed(client, personas, small_plan, django_assert_num_queries):
    client.force_login(personas["reviewer"])

    def count():
        # 1 session, 2 user with membership and department (MemberBackend) — every
        # signed-in page; 3 the plan, 4 filter choices, 5 matrix, 6 entries by
        # department × week, 7 recent activity — the dashboard's own;
        # 8 the unread badge (reminders' context processor) — every page.
        with django_assert_num_queries(8):
            assert client.get(DASHBOARD, {"status": "overdue"}).status_code == 200

    count()
    grow(small_plan, 25)
    count()


def test_export_query_count_is_fixed(client, personas, small_plan, django_assert_num_queries):
    client.force_login(personas["reviewer"])

    def count():
        # 1 session, 2 user with membership and department, 3 the plan, 4 assignments
        # with lights, 5 deadlines' words, 6 the entries with their evidence (one cursor).
        with django_assert_num_queries(6):
            response = client.get(EXPORT)
            return b"".join(response.streaming_content)

    count()
    grow(small_plan, 25)
    content = count()
    assert load_workbook(io.BytesIO(content)).sheetnames == ["汇总", "甲处", "乙处"]


def test_export_of_one_department(client, personas, small_plan):
    client.force_login(personas["reviewer"])
    response = client.get(EXPORT, {"department": "dept-b"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["汇总", "乙处"]
    assert client.get(EXPORT, {"department": "nope"}).status_code == 404
