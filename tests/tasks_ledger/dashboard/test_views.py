"""The dashboard, urge and export views: who may see them, what they show, query counts."""

import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from tasks_ledger.ledger import kept_pages
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
    # The message opens the task, where the department records what it has done.
    assert {n.link for n in inbox} == {reverse("ledger:task", args=[small_plan.t4.id])}
    assert not Notification.objects.filter(recipient=personas["other_staff"]).exists()


def test_urge_ignores_a_foreign_next(client, personas, small_plan):
    client.force_login(personas["reviewer"])
    response = client.post(URGE, {"assignment": small_plan.t4a.pk, "next": "https://evil.example/"})
    assert response["Location"] == DASHBOARD


def test_urge_page_offers_a_tasks_departments(client, personas, small_plan):
    client.force_login(personas["reviewer"])
    html = client.get(URGE, {"task": small_plan.t4.pk}).content.decode()
    assert f'value="{small_plan.t4a.pk}"' in html and f'value="{small_plan.t4b.pk}"' in html
    assert f'value="{small_plan.t1a.pk}"' not in html


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
    assert "/ledger/export.xlsx?department=dept-a" in html  # the page's filters carried
    # A click on a task or a cell opens the task.
    assert html.count(f'href="{reverse("ledger:task", args=[small_plan.t4.id])}"') >= 2


def test_matrix_cells_escape_names_and_show_lights(client, personas, small_plan):
    small_plan.b.name = '<img src=x onerror="alert(1)">乙处'
    small_plan.b.save()
    client.force_login(personas["reviewer"])
    html = client.get(DASHBOARD).content.decode()
    assert "<img src=x" not in html
    assert 'title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;乙处 · 已完成"' in html
    # Six assignments, six lit cells; T2 × B and T3 × A are not assigned.
    assert html.count('<td class="cell light-') == 6
    assert html.count('<td class="cell cell-none"></td>') == 2
    assert 'data-light="overdue"' in html and '<span class="cell-date">04-25</span>' in html


def test_filter_form_keeps_the_choices_and_reports_a_bad_date(client, personas, small_plan):
    client.force_login(personas["reviewer"])
    html = client.get(
        DASHBOARD, {"section": small_plan.s2.id, "status": "done", "as_of": "2030-13-01"}
    ).content.decode()
    assert f'<option value="{small_plan.s2.id}" selected>二、第二部分</option>' in html
    assert '<option value="done" selected>' in html
    assert 'name="as_of" id="id_as_of" value="2030-13-01"' in html
    assert 'class="error"' in html
    assert 'class="asof-banner"' not in html  # a bad date is not applied


def test_as_of_page_has_no_urge_buttons_and_says_so(client, personas, small_plan):
    client.force_login(personas["reviewer"])
    html = client.get(DASHBOARD, {"as_of": "2030-05-08"}).content.decode()
    assert 'class="asof-banner"' in html
    assert 'class="urge-form"' not in html


def test_nav_links_the_dashboard_for_the_office_only(client, personas):
    client.force_login(personas["reviewer"])
    html = client.get("/").content.decode()
    assert DASHBOARD in html and 'href="/ledger/review/"' in html
    client.force_login(personas["staff"])
    html = client.get("/").content.decode()
    assert f'href="{DASHBOARD}"' not in html and 'href="/ledger/review/"' not in html


def grow(small_plan, n):
    for i in range(n):
        add_entry(small_plan.t1, small_plan.b, LedgerEntry.Status.IN_PROGRESS, D(2030, 4, 1 + i))


def test_dashboard_query_count_is_fixed(client, personas, small_plan, django_assert_num_queries):
    client.force_login(personas["reviewer"])

    def count():
        # The header's 待办 counts are counted once, then kept (reminders/todo_cache.py);
        # the first read of a day "as of" stores its rows (ledger/asof.py; counted in
        # test_asof.py).
        client.get(DASHBOARD)
        for day in ("2030-05-08", "2030-05-01"):
            client.get(DASHBOARD, {"as_of": day})
        # 1 session, 2 user with membership and department (MemberBackend) — every
        # signed-in page; 3 the plan, 4 matrix (the filter choices too), 5 entries by
        # department, task and day, 6 recent activity — the dashboard's own;
        # 7 the administrator's holidays, for the working days left, when some
        # assignment is due soon (T2 × A here, unless filtered out). As of a day that is
        # over, the matrix's rows carry the weekly counts too: no query 5 (as of today,
        # which is not over, the same queries as today's page). On PostgreSQL, as of a
        # day, the recent activity first takes each assignment's newest rows: one more,
        # unless there are none (as of 05-01), when the rows themselves are not read.
        per_pair = 1 if connection.vendor == "postgresql" else 0
        for query, expected in (
            ({}, 7),
            ({"as_of": "2030-05-08"}, 7 + per_pair),
            ({"as_of": "2030-05-01"}, 5),  # T2 was not due soon yet
            ({"changed_since": "2030-01-01"}, 6),  # T2 × A has only a draft: no change
            ({"status": "overdue"}, 6),
        ):
            # The body built afresh: what ledger/kept_pages.py keeps is counted in
            # test_kept_pages.py (the frame and the plan only).
            kept_pages.forget()
            with django_assert_num_queries(expected, info=str(query)):
                assert client.get(DASHBOARD, query).status_code == 200

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
