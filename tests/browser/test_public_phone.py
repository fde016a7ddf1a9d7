"""The public pages on a phone (390 px wide, the WeChat browser's width on most phones)
with JavaScript off: readable, nothing wider than the screen, headings in order, the
keyboard reaches the content."""

import pytest

from tasks_ledger.publishing import services
from tests.browser_fixtures import ARTIFACTS
from tests.tasks_ledger.publishing.data import make_people, make_plan, publish_text

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def published(transactional_db):
    people = make_people()
    small = make_plan(lead=people.staff.membership.department)
    services.plan_publish(plan=small.plan, by=people.reviewer)
    publish_text(
        task=small.done_task,
        text="已在局门户网站政府信息公开专栏公开重大行政决策目录，并对社会公众关注的事项进行了解读。",
        people=people,
        evidence=[small.evidence],
    )
    return small


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        java_script_enabled=False,
        locale="zh-CN",
        # The WeChat in-app browser on Android announces itself like this.
        user_agent=(
            "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.40"
        ),
    )
    yield context.new_page()
    context.close()


def test_the_year_page_on_a_phone_without_javascript(phone, published):
    response = phone.goto("/public/2031/")
    assert response.status == 200
    assert phone.locator("html").get_attribute("lang") == "zh-CN"
    assert phone.locator("h1").inner_text() == "2031年政务公开工作实施方案"
    task = phone.locator(f"#task-{published.done_task.pk}")
    assert "已完成" in task.inner_text()
    assert "重大行政决策目录" in task.inner_text()
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Headings go h1 → h2 → h3 without skipping a level.
    levels = phone.evaluate(
        "[...document.querySelectorAll('h1,h2,h3,h4')].map(h => Number(h.tagName[1]))"
    )
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    # The keyboard: the first Tab reaches the skip link, which shows itself.
    phone.keyboard.press("Tab")
    focused = phone.evaluate("document.activeElement.className")
    assert focused == "skip"
    assert phone.locator(".skip").bounding_box()["x"] >= 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "public_year_phone.png"), full_page=True)


def test_the_task_text_opens_without_javascript(phone, published):
    phone.goto("/public/2031/")
    details = phone.locator(f"#task-{published.done_task.pk} details")
    assert not details.evaluate("d => d.open")
    details.locator("summary").focus()
    phone.keyboard.press("Enter")
    assert details.evaluate("d => d.open")
