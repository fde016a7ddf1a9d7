"""People appear by name wherever they appear: pages, the history card, the urge history,
the ledger export, the API and the admin's lists. Each check would fail if a username came
back in the name's place."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from departments.models import Department, Membership
from tasks_ledger.excel.export import COLUMNS, write_ledger
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Plan
from tasks_ledger.reminders.services import urge_create
from tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    LedgerEntryFactory,
    PlanFactory,
    SectionFactory,
    TaskFactory,
    member,
)

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
AUTHOR, OFFICER = "张立新", "王建国"


class World:
    pass


@pytest.fixture
def world(db):
    w = World()
    office = DepartmentFactory(code="general-office", name="办公室", kind=Department.Kind.OFFICE)
    w.dept = DepartmentFactory(code="policy-law", name="政策法规处")
    w.plan = PlanFactory(year=2030, status=Plan.Status.ACTIVE)
    section = SectionFactory(plan=w.plan, number="一", title="第一部分", order=1)
    w.task = TaskFactory(section=section, number="一", title="推进权力清单公开", order=1)
    AssignmentFactory(task=w.task, department=w.dept)
    w.author = member(w.dept, Membership.Role.HEAD, username="author-login", name=AUTHOR)
    w.officer = member(office, Membership.Role.REVIEWER, username="officer-login", name=OFFICER)
    w.admin = member(
        None, Membership.Role.ADMIN, username="root-login", is_staff=True, is_superuser=True
    )
    w.entry = LedgerEntryFactory(
        task=w.task,
        department=w.dept,
        author=w.author,
        state=LedgerEntry.State.SUBMITTED,
        submitted_at=datetime.datetime(2030, 5, 6, 10, tzinfo=SHANGHAI),
        happened_on=datetime.date(2030, 5, 6),
    )
    w.entry._history_user = w.author  # the history card's "who"
    w.entry.summary = "已在门户网站公开权力清单"
    w.entry.save()
    urge_create(task=w.task, department=w.dept, by=w.officer, message="请尽快补充佐证")
    return w


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/ledger/entries/{entry}/",
        "/ledger/entries/{entry}/history/",
        "/ledger/tasks/{task}/",
        "/ledger/review/",
    ],
)
def test_the_office_sees_the_author_by_name(client, world, url):
    html = page(client, world.officer, url.format(entry=world.entry.pk, task=world.task.pk))
    assert AUTHOR in html
    assert "author-login" not in html
    # And itself, in the header, by its name.
    assert OFFICER in html.split("<main>")[0] and "officer-login" not in html


def test_the_urge_history_names_who_urged(client, world):
    html = page(client, world.officer, f"/dashboard/urge/tasks/{world.task.pk}/")
    assert OFFICER in html and "officer-login" not in html


def test_the_ledger_export_names_the_author(world):
    out = io.BytesIO()
    write_ledger(out, plan=world.plan, today=datetime.date(2030, 5, 8))
    out.seek(0)
    ws = load_workbook(out)["政策法规处"]
    column = [name for name, _w in COLUMNS].index("填报人")
    authors = [row[column] for row in ws.iter_rows(min_row=4, values_only=True) if row[column]]
    assert authors == [AUTHOR]


def test_the_api_gives_the_name_beside_the_username(client, world):
    token = Token.objects.create(user=world.officer)
    response = client.get(
        f"/api/ledger-entries/{world.entry.pk}/", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    body = response.json()
    assert (body["author"], body["author_name"]) == ("author-login", AUTHOR)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/admin/ledger/ledgerentry/", AUTHOR),
        ("/admin/reminders/urge/", OFFICER),
        ("/admin/departments/membership/", AUTHOR),
        ("/admin/auth/user/", AUTHOR),
    ],
)
def test_the_admin_lists_show_names(client, world, url, name):
    html = page(client, world.admin, url)
    assert f">{name}<" in html


@pytest.mark.parametrize("url", ["/admin/ledger/ledgerentry/", "/admin/auth/user/"])
def test_the_admin_lists_add_no_query_per_person(client, world, url):
    client.force_login(world.admin)
    client.get(url)  # warm the session and the content types

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    for i in range(10):
        other = member(world.dept, username=f"clerk-{i}", name=f"经办人{i}")
        LedgerEntryFactory(task=world.task, department=world.dept, author=other)
    assert queries() == before


def test_the_administrator_sets_a_name_and_a_checked_phone(client, world):
    client.force_login(world.admin)
    membership = world.author.membership
    url = f"/admin/departments/membership/{membership.pk}/change/"
    form = {
        "user": world.author.pk,
        "department": world.dept.pk,
        "role": membership.role,
        "name": "张立新",
        "phone": "4367000",
    }
    response = client.post(url, form)
    assert response.status_code == 200  # the form again, the phone refused by name
    assert list(response.context["adminform"].form.errors) == ["phone"]
    response = client.post(url, form | {"name": "张力新", "phone": "0527-84367000"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.name, membership.phone) == ("张力新", "0527-84367000")
