"""The search, as each role uses it in real headless Chromium: typed into the header's box,
results grouped by task, narrowed by state; another department's draft never shows, and
the office never sees a draft. Screenshots (desktop and a 390 px phone) go to artifacts/."""

import pytest
from django.contrib.auth import get_user_model

from tasks_ledger.ledger import services
from tasks_ledger.ledger.models import Evidence
from tasks_ledger.plan.models import Assignment
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_phone_width import OFF_SCREEN

Q = "预算公开"


@pytest.fixture
def ledger(demo_accounts):
    """政策法规处 (policy-law) on two tasks: a draft, a submitted and an accepted entry, one
    with a 文号; 安全处 (safety) on a third: a draft and a submitted entry. All say 预算公开."""
    users = {u.username: u for u in get_user_model().objects.all()}
    own = list(
        Assignment.objects.filter(department__code="policy-law").select_related(
            "task", "department"
        )[:2]
    )
    (other,) = (
        Assignment.objects.filter(department__code="safety")
        .exclude(task__in=[a.task_id for a in own])
        .select_related("task", "department")[:1]
    )

    def entry(assignment, head, summary, day):
        return services.ledger_entry_create(
            task=assignment.task,
            department=assignment.department,
            by=users[head],
            data={"happened_on": f"2016-06-{day:02}", "summary": summary},
        )

    made = {
        "own draft": entry(own[0], "policy-law-head", "法规处草稿：预算公开进展", 1),
        "own submitted": entry(own[0], "policy-law-head", "法规处已报送：预算公开进展", 2),
        "own accepted": entry(own[1], "policy-law-head", "法规处已采纳：预算公开专栏", 3),
        "other draft": entry(other, "safety-head", "安全处草稿：预算公开秘密", 4),
        "other submitted": entry(other, "safety-head", "安全处已报送：预算公开", 5),
    }
    for name in ("own submitted", "own accepted", "other submitted"):
        head = "safety-head" if name.startswith("other") else "policy-law-head"
        services.ledger_entry_submit(entry=made[name], by=users[head])
    services.ledger_entry_accept(entry=made["own accepted"], by=users["reviewer"])
    Evidence.objects.create(
        entry=made["own accepted"], kind="doc_number", doc_number="宿交发〔2016〕88号"
    )
    return made


def shown(page) -> dict[int, set[int]]:
    """{task id: {entry ids}} as the page shows them."""
    groups = {}
    for section in page.locator("section.search-task").all():
        entries = section.locator("li[data-entry]").all()
        groups[int(section.get_attribute("data-task"))] = {
            int(li.get_attribute("data-entry")) for li in entries
        }
    return groups


def search_from_the_header(page, q):
    box = page.locator(".header-search input[name=q]")
    box.fill(q)
    box.press("Enter")
    page.wait_for_load_state()


@pytest.mark.parametrize(
    ("username", "expected", "state", "in_state"),
    [
        (
            "policy-law",
            ["own draft", "own submitted", "own accepted", "other submitted"],
            "draft",
            ["own draft"],
        ),
        (
            "policy-law-head",
            ["own draft", "own submitted", "own accepted", "other submitted"],
            "accepted",
            ["own accepted"],
        ),
        (
            "reviewer",
            ["own submitted", "own accepted", "other submitted"],
            "submitted",
            ["own submitted", "other submitted"],
        ),
    ],
)
def test_each_role_finds_what_it_may_read(
    page, ledger, demo_accounts, username, expected, state, in_state
):
    sign_in(page, username, demo_accounts)
    search_from_the_header(page, Q)
    assert "/search/" in page.url
    groups = shown(page)
    assert groups == {
        task_id: {e.pk for e in ledger.values() if e.task_id == task_id and e.pk in ids}
        for task_id, ids in groups.items()
    }, "an entry shown under another task than its own"
    assert set().union(*groups.values()) == {ledger[name].pk for name in expected}
    # Grouped by task: the two tasks of 政策法规处 and the one of 安全处.
    assert len(groups) == 3
    assert "秘密" not in page.locator("main").inner_text()
    assert page.locator("mark", has_text=Q).count() >= len(expected)
    screenshot(page, f"search-{username}")

    page.select_option("select[name=state]", state)
    page.locator("form.search-form button[type=submit]").click()
    page.wait_for_load_state()
    assert f"state={state}" in page.url
    assert set().union(*shown(page).values()) == {ledger[name].pk for name in in_state}
    assert page.locator("select[name=state]").input_value() == state


def test_a_doc_number_is_found_and_marked(page, ledger, demo_accounts):
    sign_in(page, "safety", demo_accounts)
    search_from_the_header(page, "〔2016〕88号")
    assert set().union(*shown(page).values()) == {ledger["own accepted"].pk}
    assert page.locator("mark").first.inner_text() == "〔2016〕88号"


def test_the_results_fit_a_phone(new_page, ledger, demo_accounts):
    page = new_page(width=390, height=844)
    sign_in(page, "policy-law-head", demo_accounts)
    page.goto(f"/search/?q={Q}")
    assert len(shown(page)) == 3
    assert page.evaluate(OFF_SCREEN, 390) == []
    screenshot(page, "search-phone-policy-law-head")
