"""The "Copy to another year" page: the office and the administrator only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from departments.models import Membership
from tasks_ledger.plan.models import Plan, Task
from tests.factories import DepartmentFactory, member

URL = "/plans/copy/"


@pytest.fixture
def people(plan_2016):
    dept = plan_2016.tasks.first().assignments.first().department
    office = DepartmentFactory(code="general-office")
    return {
        "staff": member(dept, Membership.Role.STAFF, username="p-staff"),
        "head": member(dept, Membership.Role.HEAD, username="p-head"),
        "reviewer": member(office, Membership.Role.REVIEWER, username="p-reviewer"),
        "admin": member(None, Membership.Role.ADMIN, username="p-admin"),
    }


def test_the_url_is_named():
    assert reverse("plan-clone") == URL


@pytest.mark.parametrize(
    ("persona", "get", "post"),
    [
        ("anonymous", 302, 302),
        ("staff", 403, 403),
        ("head", 403, 403),
        ("reviewer", 200, 302),
        ("admin", 200, 302),
    ],
)
def test_who_may_copy(client, plan_2016, people, persona, get, post):
    if persona != "anonymous":
        client.force_login(people[persona])
    response = client.get(URL)
    assert response.status_code == get
    if persona == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    response = client.post(URL, {"source": plan_2016.pk, "new_year": 2017})
    assert response.status_code == post
    copied = Plan.objects.filter(year=2017).first()
    if post == 302 and persona != "anonymous":
        assert response["Location"] == "/"
        assert copied.history.get().history_user == people[persona]
        assert Task.objects.filter(plan=copied).count() == 17
    else:
        assert copied is None


def test_the_form_offers_the_next_year(client, plan_2016, people):
    client.force_login(people["reviewer"])
    response = client.get(URL)
    assert response.context["form"]["new_year"].value() == 2017
    assert response.context["form"]["source"].value() == plan_2016.pk


def test_an_existing_year_is_refused_on_the_form(client, plan_2016, people):
    client.force_login(people["reviewer"])
    response = client.post(URL, {"source": plan_2016.pk, "new_year": 2016})
    assert response.status_code == 200
    assert response.context["form"].errors["new_year"] == ["2016年的方案已存在。"]
    assert Plan.objects.count() == 1


def test_a_malformed_year_names_the_field(client, plan_2016, people):
    client.force_login(people["admin"])
    response = client.post(URL, {"source": plan_2016.pk, "new_year": "明年"})
    assert response.status_code == 200
    assert "new_year" in response.context["form"].errors
    assert Plan.objects.count() == 1


def test_the_overview_links_the_page_for_the_office_only(client, plan_2016, people):
    client.force_login(people["reviewer"])
    assert URL in client.get("/").content.decode()
    client.force_login(people["staff"])
    assert URL not in client.get("/").content.decode()


def test_after_copying_to_this_year_the_pages_show_the_copy(client, plan_2016, people):
    year = timezone.localdate().year
    client.force_login(people["reviewer"])
    response = client.post(URL, {"source": plan_2016.pk, "new_year": year}, follow=True)
    assert response.context["plan"].year == year
    assert f"{year}年政务公开工作实施方案" in response.content.decode()
    client.force_login(people["staff"])
    ledger = client.get(reverse("ledger:home"))
    assert ledger.status_code == 200
    assert ledger.context["plan"].year == year
