"""`/ledger/export.xlsx`: who exports what, the page's choices carried, the file's name."""

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import UserFactory

EXPORT = reverse("ledger-export")


def workbook(response):
    assert response.status_code == 200, response.content[:300]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_contract_url():
    assert EXPORT == "/ledger/export.xlsx"


@pytest.mark.parametrize("persona", ["staff", "head"])
def test_a_department_exports_its_own_ledger(client, personas, persona):
    client.force_login(personas[persona])
    response = client.get(EXPORT)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert workbook(response).sheetnames == ["汇总", "甲处"]
    # Asking for its own by name is the same file.
    assert workbook(client.get(EXPORT, {"department": "dept-a"})).sheetnames == ["汇总", "甲处"]


def test_a_department_cannot_export_another(client, personas):
    client.force_login(personas["staff"])
    assert client.get(EXPORT, {"department": "dept-b"}).status_code == 404


def test_the_office_exports_any_department_or_all(client, personas):
    client.force_login(personas["reviewer"])
    assert workbook(client.get(EXPORT)).sheetnames == ["汇总", "甲处", "乙处"]
    assert workbook(client.get(EXPORT, {"department": "dept-b"})).sheetnames == ["汇总", "乙处"]
    assert client.get(EXPORT, {"department": "nope"}).status_code == 404


def test_someone_without_a_department_is_refused(client, db, small_plan):
    client.force_login(UserFactory())
    assert client.get(EXPORT).status_code == 403


def test_anonymous_visitors_sign_in_first(client, small_plan):
    response = client.get(EXPORT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_file_name_is_chinese_with_an_ascii_fallback(client, personas):
    client.force_login(personas["staff"])
    disposition = client.get(EXPORT)["Content-Disposition"]
    assert disposition == (
        'attachment; filename="ledger-2030-dept-a-20300508.xlsx"; '
        "filename*=UTF-8''" + quote("2030年工作台账-甲处-20300508.xlsx")
    )
    client.force_login(personas["reviewer"])
    disposition = client.get(EXPORT, {"as_of": "2030-05-07"})["Content-Disposition"]
    assert "filename*=UTF-8''" + quote("2030年工作台账-全部处室-20300507.xlsx") in disposition


def test_the_pages_choices_are_carried_into_the_file(client, personas, small_plan):
    client.force_login(personas["reviewer"])
    query = {"section": small_plan.s2.pk, "status": "overdue", "as_of": "2030-05-07"}
    ws = workbook(client.get(EXPORT, query))["甲处"]
    assert ws["A1"].value.startswith("甲处工作台账") and ws["A1"].value.endswith("截至2030年5月7日")
    assert ws["A2"].value.startswith("筛选：章节：二、第二部分；状态：逾期。")
    # The ledger page's own filter is called `light`.
    client.force_login(personas["staff"])
    ws = workbook(client.get(EXPORT, {"light": "due_soon"}))["甲处"]
    assert ws["A2"].value == "筛选：状态：即将到期"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"as_of": "2030-13-01"}, "as_of"),
        ({"as_of": "2031-01-01"}, "as_of"),
        ({"status": "nonsense"}, "status"),
        ({"section": "x"}, "section"),
    ],
)
def test_bad_choices_are_refused_naming_the_field(client, personas, query, field):
    client.force_login(personas["reviewer"])
    response = client.get(EXPORT, query)
    assert response.status_code == 400
    assert field in response.content.decode()


def test_the_ledger_page_and_the_dashboard_link_to_the_export(client, personas):
    client.force_login(personas["staff"])
    page = client.get(reverse("ledger:home"), {"light": "overdue"}).content.decode()
    assert f'href="{EXPORT}?light=overdue"' in page
    client.force_login(personas["reviewer"])
    page = client.get(reverse("dashboard:dashboard"), {"department": "dept-b"}).content.decode()
    assert f'href="{EXPORT}?department=dept-b"' in page


def test_export_query_count_is_fixed(client, personas, small_plan, django_assert_num_queries):
    client.force_login(personas["staff"])
    # 1 session, 2 user with membership and department, 3 the plan, 4 assignments with
    # lights, 5 deadlines' words, 6 the entries with their evidence (one cursor).
    with django_assert_num_queries(6):
        b"".join(client.get(EXPORT).streaming_content)
