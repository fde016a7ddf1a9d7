"""The print view in Chromium (print media): no menus, buttons or forms, and on every A4
page a running header with the page's title and date. Each page is printed to a PDF (and
screenshot) in ARTIFACTS_DIR, and the PDF's pages are read back."""

import pypdfium2 as pdfium
from django.urls import reverse

from tasks_ledger import demo
from tasks_ledger.plan.models import Task
from tasks_ledger.reviews.models import ReviewRound
from tests.browser.conftest import screenshot, sign_in
from tests.browser_fixtures import ARTIFACTS

# Whatever a clerk cannot use on paper.
HIDDEN = ".topbar, .mainnav, button, .button, form, select, input, .pager, .crumbs"
A4_POINTS = (595, 842)


def visible_count(page, selector: str) -> int:
    return page.locator(selector).evaluate_all(
        "els => els.filter(e => e.getClientRects().length > 0"
        " && getComputedStyle(e).visibility !== 'hidden').length"
    )


def print_and_read(page, name: str) -> list[str]:
    """Print the page to ARTIFACTS_DIR/<name>.pdf (A4 from the stylesheet) and return
    each page's text."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    page.pdf(path=str(path), prefer_css_page_size=True, display_header_footer=False)
    document = pdfium.PdfDocument(str(path))
    try:
        width, height = document[0].get_size()
        assert (round(width), round(height)) == A4_POINTS
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def check_print_view(page, name: str, *, title: str, date: str, pages_at_least: int = 1):
    page.emulate_media(media="print")
    assert visible_count(page, HIDDEN) == 0
    assert page.locator("main").is_visible()
    screenshot(page, f"print-{name}")
    texts = print_and_read(page, f"print-{name}")
    assert len(texts) >= pages_at_least
    for number, text in enumerate(texts, 1):
        # The running header on every page, the page number at the foot.
        assert title in text, (number, text[:200])
        assert date in text, (number, text[:200])
        assert f"{number} / {len(texts)}" in text
    page.emulate_media(media="screen")
    assert page.locator(".topbar").is_visible()


def test_print_views_of_the_ledger_a_task_the_dashboard_and_the_round_sheet(
    new_page, demo_accounts
):
    demo.seed_entries(300)
    staff = new_page()
    sign_in(staff, "policy-law", demo_accounts)
    staff.goto(reverse("ledger:home"))
    title = staff.locator("html").get_attribute("data-print-title")
    assert title.startswith("政策法规处")
    check_print_view(staff, "ledger", title="政策法规处", date="打印日期")

    task = Task.objects.filter(assignments__department__code="policy-law").first()
    staff.goto(reverse("ledger:task", args=[task.pk]))
    check_print_view(staff, "task", title=task.code, date="打印日期")

    office = new_page()
    sign_in(office, "reviewer", demo_accounts)
    # Every department's ledger runs over several pages: the header is on each.
    office.goto(reverse("ledger:home"))
    check_print_view(
        office, "ledger-all", title="各处室工作台账", date="打印日期", pages_at_least=2
    )
    office.goto(reverse("dashboard:dashboard"))
    check_print_view(office, "dashboard", title="工作看板", date="打印日期", pages_at_least=2)
    office.goto(reverse("dashboard:dashboard") + "?as_of=2016-10-15")
    check_print_view(office, "dashboard-as-of", title="工作看板", date="2016-10-15")

    review_round = ReviewRound.objects.order_by("date").first()
    office.goto(reverse("reviews:round", args=[review_round.pk]))
    check_print_view(office, "round", title=str(review_round), date=f"{review_round.date:%Y-%m-%d}")
