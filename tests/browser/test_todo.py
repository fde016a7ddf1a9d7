"""Each role sees its 待办 counted in the header and on its landing page, in real headless
Chromium; the head submits the drafts in bulk after the browser's confirmation. Screenshots
go to the artifacts folder."""

import pytest
from django.contrib.auth import get_user_model

from tasks_ledger.ledger import services
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Assignment
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def waiting(demo_accounts):
    """政策法规处: three drafts, one returned entry; one entry waiting for the office."""
    users = {u.username: u for u in get_user_model().objects.all()}
    assignment = Assignment.objects.filter(department__code="policy-law").select_related(
        "task", "department"
    )[0]

    def entry(summary):
        return services.ledger_entry_create(
            task=assignment.task,
            department=assignment.department,
            by=users["policy-law-head"],
            data={"happened_on": "2016-06-01", "summary": summary},
        )

    drafts = [entry(f"草稿{n}") for n in range(3)]
    returned = entry("被退回的记录")
    services.ledger_entry_submit(entry=returned, by=users["policy-law-head"])
    services.ledger_entry_return(entry=returned, by=users["reviewer"], reason="请补充文号")
    services.ledger_entry_submit(entry=entry("待审核的记录"), by=users["policy-law-head"])
    return drafts


def counts(page, where):
    found = {}
    for link in page.locator(f"{where} [data-todo]").all():
        badge = link.locator(".todo-count, .badge")
        found[link.get_attribute("data-todo")] = badge.inner_text() if badge.count() else "0"
    return found


@pytest.mark.parametrize(
    ("username", "header", "landing"),
    [
        # The head is told of the return, the office of the two submissions (unread).
        (
            "policy-law-head",
            {"to_submit": "3", "returned": "1", "unread": "1"},
            {"to_submit": "3", "returned": "1", "unread": "1"},
        ),
        (
            "policy-law",
            {"returned": "1", "unread": "0"},
            {"returned": "1", "unread": "0"},
        ),
        ("reviewer", {"to_review": "1", "unread": "2"}, {"to_review": "1", "unread": "2"}),
    ],
)
def test_each_role_sees_its_todo(page, waiting, demo_accounts, username, header, landing):
    sign_in(page, username, demo_accounts)
    assert page.url.endswith("/ledger/")
    assert counts(page, ".topbar") == header
    assert counts(page, "main") == landing
    screenshot(page, f"todo-{username}")


def test_the_head_submits_the_drafts_in_bulk(page, waiting, demo_accounts):
    sign_in(page, "policy-law-head", demo_accounts)
    page.locator("main [data-todo=to_submit]").click()
    page.wait_for_load_state()
    assert page.locator("#unsent tbody tr[data-entry]").count() == 3
    # Leave one unticked: only the ticked go.
    page.locator(f'input[name=entry][value="{waiting[2].pk}"]').uncheck()
    questions = []

    def agree(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", agree)
    page.get_by_role("button", name="报送所选记录").click()
    page.wait_for_load_state()
    assert questions and "报送后不能再修改" in questions[0]
    assert page.locator(".messages").inner_text() == "已将 2 条台账记录报送局办公室。"
    assert counts(page, ".topbar")["to_submit"] == "1"
    screenshot(page, "todo-bulk-submitted")
    states = dict(
        LedgerEntry.objects.filter(pk__in=[e.pk for e in waiting]).values_list("pk", "state")
    )
    assert sorted(states.values()) == ["draft", "submitted", "submitted"]
