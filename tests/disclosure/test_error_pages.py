"""Errors answer in Chinese, in the site's look: 403, 404, a refused form token, 500; and the
admin's history reads as people write (labels, Beijing time), not as the database stores."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.utils import timezone
from django.views.defaults import server_error

from tasks_ledger.ledger import services
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Assignment


def test_staff_refused_the_dashboard_get_a_chinese_page(client, demo_accounts):
    client.force_login(User.objects.get(username="policy-law"))
    response = client.get("/dashboard/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>无权操作</h1>" in page and "css/app.css" in page and "Forbidden" not in page


def test_a_missing_page_is_a_chinese_page(client, demo_accounts):
    client.force_login(User.objects.get(username="policy-law"))
    response = client.get("/ledger/entries/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>页面不存在</h1>" in page and 'class="mainnav"' in page and "Not Found" not in page


@pytest.mark.django_db
def test_a_refused_form_token_is_a_chinese_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>表单已失效</h1>" in page and "CSRF" not in page


def test_a_server_error_is_a_chinese_page(rf: RequestFactory):
    response = server_error(rf.get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>服务器错误</h1>" in page and "css/app.css" in page


def test_the_admins_history_shows_labels_and_beijing_time(client, demo_accounts):
    head = User.objects.get(username="policy-law-head")
    reviewer = User.objects.get(username="reviewer")
    assignment = Assignment.objects.filter(department__code="policy-law").first()
    entry = services.ledger_entry_create(
        task=assignment.task,
        department=assignment.department,
        by=head,
        data={"happened_on": "2016-09-20", "summary": "公开权责清单"},
    )
    services.ledger_entry_submit(entry=entry, by=head)
    services.ledger_entry_return(entry=entry, by=reviewer, reason="请补充材料")
    services.ledger_entry_submit(entry=LedgerEntry.objects.get(pk=entry.pk), by=head)
    client.force_login(User.objects.get(username="admin"))
    page = client.get(f"/admin/ledger/ledgerentry/{entry.pk}/history/").content.decode()
    assert "已退回" in page and "已报送" in page
    assert "returned" not in page and "submitted" not in page
    submitted = LedgerEntry.objects.get(pk=entry.pk).submitted_at
    beijing = timezone.localtime(submitted).strftime("%Y-%m-%d %H:%M")
    assert beijing in page and "+00:00" not in page
    assert submitted.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S") not in page
