"""Every model is usable by the administrator in the admin, and by nobody else."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks_ledger.plan.models import Plan, Task
from tasks_ledger.publishing.models import (
    ConfidentialityReview,
    PlanPublication,
    PublicationProposal,
    Withdrawal,
)
from tasks_ledger.reminders.models import RobotMessage, SentReminder
from tests.factories import LedgerEntryFactory

# Records of what the application did, which nobody adds by hand.
# Publishing's are the record of who decided what, written only by its services.
READ_ONLY = {
    SentReminder,
    RobotMessage,
    PlanPublication,
    PublicationProposal,
    ConfidentialityReview,
    Withdrawal,
}


def model_urls():
    """List and add pages of our own models (the libraries' admins are theirs to test),
    with the status each must answer: a read-only record's add page is refused."""
    for model in admin.site._registry:
        meta = model._meta
        if not model.__module__.startswith(("departments.", "tasks_ledger.")):
            continue
        yield f"admin:{meta.app_label}_{meta.model_name}_changelist", 200
        yield f"admin:{meta.app_label}_{meta.model_name}_add", 403 if model in READ_ONLY else 200


@pytest.fixture
def admin_client_zh(client, demo_accounts):
    client.force_login(User.objects.get(username="admin"))
    return client


@pytest.mark.django_db
def test_every_model_has_a_list_and_an_add_page(admin_client_zh):
    urls = list(model_urls())
    assert len(urls) >= 2 * 11
    for name, expected in urls:
        response = admin_client_zh.get(reverse(name))
        assert response.status_code == expected, name


@pytest.mark.django_db
def test_lists_filter_and_search(admin_client_zh):
    url = reverse("admin:plan_task_changelist")
    found = admin_client_zh.get(url, {"q": "预决算"})
    assert found.context["cl"].result_count == 1
    filtered = admin_client_zh.get(
        url,
        {
            "assignments__department__id__exact": found.context["cl"]
            .result_list[0]
            .assignments.get()
            .department_id
        },
    )
    assert filtered.context["cl"].result_count == 1


@pytest.mark.django_db
def test_change_pages_show_inlines_and_history(admin_client_zh, plan_2016):
    plan_page = admin_client_zh.get(reverse("admin:plan_plan_change", args=[plan_2016.pk]))
    assert plan_page.status_code == 200
    text = plan_page.content.decode()
    assert "围绕深化改革推进公开" in text  # the sections inline
    assert "2016年10月" in text  # the review rounds inline

    task = Task.objects.get(plan=plan_2016, section__number="二", number="三")
    task_page = admin_client_zh.get(reverse("admin:plan_task_change", args=[task.pk]))
    text = task_page.content.decode()
    assert "行政服务处" in text and "2016年9月底前" in text

    history = admin_client_zh.get(reverse("admin:plan_task_history", args=[task.pk]))
    assert history.status_code == 200
    assert "import_plan" in history.content.decode()


@pytest.mark.django_db
def test_admin_speaks_chinese(admin_client_zh):
    text = admin_client_zh.get(reverse("admin:index")).content.decode()
    assert "政务公开台账管理后台" in text
    assert "实施方案" in text


@pytest.mark.django_db
def test_admin_edit_of_an_entry_is_kept_in_history_with_who(admin_client_zh, plan_2016):
    entry = LedgerEntryFactory(task=Task.objects.filter(plan=plan_2016).first())
    url = reverse("admin:ledger_ledgerentry_change", args=[entry.pk])
    page = admin_client_zh.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        task=entry.task_id,
        department=entry.department_id,
        author=entry.author_id,
        happened_on="2016-06-02",
        summary="更正后的进展",
        status="in_progress",
        state="draft",
        **{"evidence-TOTAL_FORMS": 0, "evidence-INITIAL_FORMS": 0},
    )
    response = admin_client_zh.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = entry.history.first()
    assert latest.summary == "更正后的进展"
    assert latest.history_user.username == "admin"
    assert entry.history.count() == 2


@pytest.mark.django_db
def test_history_pages_name_who_changed_it_without_a_query_each(admin_client_zh, plan_2016):
    """Both kinds of history page (simple_history's, for models with history, and Django's
    own log for the rest) show the person's name, not the username."""
    admin_name = User.objects.get(username="admin").membership.name
    entry = LedgerEntryFactory(task=Task.objects.filter(plan=plan_2016).first())
    url = reverse("admin:ledger_ledgerentry_history", args=[entry.pk])
    for summary in ["第一次更正", "第二次更正", "第三次更正"]:
        entry.summary = summary
        entry._history_user = User.objects.get(username="admin")
        entry.save()
    page = admin_client_zh.get(url)
    changed_by = page.content.decode()
    assert changed_by.count(admin_name) >= 3
    assert "<td>\n              admin\n" not in changed_by

    # One more change in the list costs no further query: the names and what each row's
    # description reads (the entry's task and department) come with the rows.
    def people_queries(captured):
        return [
            q["sql"]
            for q in captured
            if q["sql"].split(" FROM ")[1].startswith(('"auth_user"', '"departments_membership"'))
        ]

    with CaptureQueriesContext(connection) as before:
        admin_client_zh.get(url)
    entry.summary = "第四次更正"
    entry._history_user = User.objects.get(username="admin")
    entry.save()
    with CaptureQueriesContext(connection) as after:
        admin_client_zh.get(url)
    assert people_queries(after) == people_queries(before)
    assert len(after) == len(before)

    department = entry.department
    LogEntry.objects.log_actions(
        User.objects.get(username="admin").pk, [department], CHANGE, change_message="改名"
    )
    log = admin_client_zh.get(
        reverse("admin:departments_department_history", args=[department.pk])
    ).content.decode()
    assert admin_name in log


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["reviewer", "policy-law", "policy-law-head"])
def test_nobody_else_gets_in(client, demo_accounts, username):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("admin:plan_plan_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url
    assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
