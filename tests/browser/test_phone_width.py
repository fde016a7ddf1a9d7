"""Every page, as every role, on a 390×844 phone: nothing is off screen.

The page never scrolls sideways (a wide table scrolls inside its own frame), every button is
on screen, a link is either on screen or inside such a frame, and the menu wraps by whole
items, never inside a word. Screenshots of each page go to ARTIFACTS_DIR (phone-<role>-…).
"""

import pytest

from tests.browser_fixtures import ARTIFACTS, sign_in
from tests.factories import UserFactory
from tests.site_pages import ANONYMOUS_PAGES, ROLES, build_world, pages_for

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH, HEIGHT = 390, 844

# What is off screen: controls whose box leaves the viewport sideways, unless an ancestor
# scrolls sideways itself (then the control is reached by scrolling that frame, not the
# page). Buttons must be on screen even then: an action hidden in a frame is not seen.
# Menu links that wrap inside their text (more than one line box) are reported too.
OFF_SCREEN = """(width) => {
  const problems = [];
  const scroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && p.scrollWidth > p.clientWidth)
        return p;
    }
    return null;
  };
  const describe = (el) => (el.tagName + ' "' + (el.innerText || el.value || '').trim()
                            .slice(0, 30) + '"');
  if (document.documentElement.scrollWidth > width)
    problems.push('page scrolls sideways: ' + document.documentElement.scrollWidth + 'px');
  const controls = document.querySelectorAll(
    'a[href], button, input[type=submit], select, .button');
  for (const el of controls) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.closest('details:not([open])')) continue;
    if (box.left >= -1 && box.right <= width + 1) continue;
    const isButton = el.matches('button, input[type=submit], .button');
    if (!isButton && scroller(el)) continue;
    problems.push(describe(el) + ' at ' + Math.round(box.left) + '..' + Math.round(box.right));
  }
  for (const link of document.querySelectorAll('.mainnav a')) {
    if (link.getClientRects().length > 1 ||
        link.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(link).lineHeight))
      problems.push('menu item wraps: ' + link.innerText);
  }
  return problems;
}"""


def watch(page):
    """The page's own requests (icons, styles, scripts) that failed: none may (the missing
    favicon was a console 404 on every page). Returns the list and a function that stops
    watching. A request the browser itself aborted (net::ERR_ABORTED: Chromium cancels a
    late icon request when the next navigation starts, and sometimes on its own) is not a
    failure of the page: what it asked for is checked by the status of the requests that
    were answered."""
    failed = []

    def on_response(r):
        if r.status >= 400 and not r.request.is_navigation_request():
            failed.append(f"{r.status} {r.url}")

    def on_failed(r):
        if r.failure != "net::ERR_ABORTED":
            failed.append(f"failed {r.url} ({r.failure})")

    page.on("response", on_response)
    page.on("requestfailed", on_failed)

    def stop():
        page.remove_listener("response", on_response)
        page.remove_listener("requestfailed", on_failed)

    return failed, stop


def check(page, url, name):
    failed, stop = watch(page)
    response = page.goto(url)
    assert response.status in (200, 403, 404), (url, response.status)
    page.wait_for_load_state("networkidle")
    problems = page.evaluate(OFF_SCREEN, WIDTH)
    stop()
    # The first screen, as the phone shows it: a whole page is too tall to read at once.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    # One line per distinct problem: a table's hundred rows have the same one.
    return [f"{url}: {problem}" for problem in dict.fromkeys(problems + failed)]


def test_every_page_fits_a_phone_for_every_role(new_page, demo_accounts):
    world = build_world(demo_accounts)
    problems = []
    page = new_page(width=WIDTH, height=HEIGHT)
    for name, url in ANONYMOUS_PAGES.items():
        problems += check(page, url, f"phone-anonymous-{name}")
    for role in ROLES:
        page = new_page(width=WIDTH, height=HEIGHT)
        sign_in(page, role, demo_accounts)
        for name, url in pages_for(world, role).items():
            problems += check(page, url, f"phone-{role}-{name.replace(':', '-')}")
    # An account with no role meets one page wherever it goes ("no role yet").
    UserFactory(username="no-role", password=demo_accounts)
    page = new_page(width=WIDTH, height=HEIGHT)
    sign_in(page, "no-role", demo_accounts)
    problems += check(page, "/", "phone-no-role")
    assert not problems, "\n".join(problems)


def test_the_named_controls_are_on_a_phone_screen(new_page, demo_accounts):
    """The four the office met: the queue's 采纳, the board's due times, the round's
    actions, the menu on one screen width."""
    world = build_world(demo_accounts)
    page = new_page(width=WIDTH, height=HEIGHT)
    sign_in(page, "reviewer", demo_accounts)

    def on_screen(locator):
        box = locator.bounding_box()
        return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH

    page.goto("/ledger/review/")
    accept = page.get_by_role("button", name="采纳").first
    assert on_screen(accept)
    page.goto("/clocks/")
    due = page.locator(".clock-due").first
    assert due.is_visible() and on_screen(due)
    page.goto(f"/reviews/{world.review_round.pk}/")
    for button in page.locator(".actions .button, .actions button").all():
        assert on_screen(button)
    for link in page.locator(".mainnav a").all():
        assert on_screen(link)


def test_the_admins_entry_page_does_not_scroll_sideways(new_page, demo_accounts):
    """An entry with a long link and several pieces of evidence, on a desktop and a phone."""
    world = build_world(demo_accounts)
    for kind, value in [
        (
            "link",
            "https://jt.suqian.gov.cn/col/col12345/index.html?uid=6789"
            "&pageNum=2&keyword=" + "政务公开" * 12,
        ),
        ("doc_number", "宿交发〔2016〕12号"),
    ]:
        field = "url" if kind == "link" else "doc_number"
        world.submitted.evidence.create(kind=kind, **{field: value})
    for width in (1280, WIDTH):
        page = new_page(width=width, height=HEIGHT)
        sign_in(page, "admin", demo_accounts)
        page.goto(f"/admin/ledger/ledgerentry/{world.submitted.pk}/change/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(ARTIFACTS / f"admin-entry-{width}.png"))


def test_the_account_page_is_reached_from_the_header_on_a_phone(new_page, demo_accounts):
    """The person's name in the header is the way to /account/: on a phone it stays, cut
    short if need be, on screen."""
    build_world(demo_accounts)
    for role in ROLES:
        page = new_page(width=WIDTH, height=HEIGHT)
        sign_in(page, role, demo_accounts)
        page.goto("/")
        who = page.locator("header a.who")
        box = who.bounding_box()
        assert who.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, role
        who.click()
        page.wait_for_load_state()
        assert page.url.endswith("/account/"), role
