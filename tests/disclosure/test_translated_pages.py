"""Every page, as every role, speaks Chinese: no English word left in what a reader sees.

Pages are walked as tests/site_pages.py lists them (the same walk as the phone-width test).
English words of three letters or more in the visible text fail the test, except names that
are data or proper names (usernames, department codes, file names, addresses) and the
allow-list below."""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from departments.models import Department
from tests.factories import UserFactory
from tests.site_pages import (
    ANONYMOUS_PAGES,
    NOT_PAGES,
    ROLES,
    build_world,
    named_pages,
    pages_for,
)

# Words that stay as they are in a Chinese product: the other language's own name on the
# language switch, product, key and format names; and the alt texts Django's admin writes
# literally, untranslatable ("Search" on the search icon, "True"/"False" on yes/no icons).
ALLOWED = {
    "Control",
    "Command",
    "Mac",
    "JPG",
    "PNG",
    "ZIP",
    "OFD",
    "Cookie",
    "Search",
    "True",
    "False",
    "English",
    "Excel",
    "API",
    "REST",
    "OpenAPI",
    "Token",
    "PDF",
    "Word",
    "URL",
    "Asia",
    "Shanghai",
    "http",
    "https",
    "www",
    "Atom",
    "JSON",
    "txt",
    # Words of the plan's own published text (PPP项目), shown as published.
    "PPP",
}
# Text that is data, not interface: links, addresses, file names, e-mail addresses, and
# the admin's masked password hash (its salt's first letters, then asterisks: random).
DATA = re.compile(
    r"https?://\S+|[\w.+-]+@[\w.-]+|\S+\.(?:pdf|docx?|xlsx?|zip|png|jpe?g|ofd)\b|"
    r"/[\w/.-]*|\S*\*{4,}\S*"
)
WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")
SKIP = {"script", "style", "template", "noscript", "head"}


class VisibleText(HTMLParser):
    """The text a reader sees, plus the words a reader hears or hovers: titles, placeholders,
    labels for assistive technology, button values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in SKIP:
            self.hidden.append(tag)
        for name in ("title", "placeholder", "aria-label", "alt", "data-label"):
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def english_words(html: str, names: set[str]) -> set[str]:
    """The English words a reader meets on a page."""
    parser = VisibleText()
    parser.feed(html)
    text = DATA.sub(" ", " ".join(parser.parts))
    words = {
        word
        for word in WORD.findall(text)
        if word not in ALLOWED and word not in names and word.lower() not in names
    }
    # Django's empty choice, which reads as nothing to a clerk: it asks 请选择 instead.
    return words | ({"---------"} if "---------" in text else set())


def data_names() -> set[str]:
    names = set(get_user_model().objects.values_list("username", flat=True))
    names |= set(Department.objects.values_list("code", flat=True))
    # A username or code is read whole and in its parts (policy-law-head).
    return names | {part for name in list(names) for part in re.split(r"[-_.@]", name)}


@pytest.fixture
def world(demo_accounts):
    return build_world(demo_accounts)


def test_anonymous_pages_are_chinese(client, world):
    names = data_names()
    found = {}
    for url in ANONYMOUS_PAGES.values():
        response = client.get(url)
        if words := english_words(response.content.decode(), names):
            found[url] = sorted(words)
    assert found == {}, "\n".join(f"{url}: {' '.join(words)}" for url, words in found.items())


@pytest.mark.parametrize("role", ROLES)
def test_every_page_is_chinese_for(role, client, world):
    client.force_login(get_user_model().objects.get(username=role))
    names = data_names()
    found = {}
    for url in pages_for(world, role).values():
        response = client.get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        if words := english_words(response.content.decode(), names):
            found[url] = sorted(words)
    assert found == {}, "\n".join(f"{url}: {' '.join(words)}" for url, words in found.items())


def test_the_no_role_page_is_chinese(client, world):
    client.force_login(UserFactory(username="no-role"))
    response = client.get("/")
    assert response.status_code == 403
    assert english_words(response.content.decode(), data_names()) == set()


def test_every_named_page_is_walked(world):
    """A new page joins the walks (tests/site_pages.py), or is named there as no page."""
    walked = set(ANONYMOUS_PAGES) | set(pages_for(world, "admin")) | NOT_PAGES
    assert named_pages() - walked == set()


def test_chinese_translations_use_fullwidth_punctuation():
    """Every Chinese sentence of the catalogue, placeholders and addresses aside. (The plan's
    own text is shown as published, so the pages are not checked for this.)"""
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.po"))
    halfwidth = []
    for entry in catalogue:
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            bare = re.sub(r"%\(\w+\)[sdf]|https?://\S*", "", text)
            if re.search(r"[\u4e00-\u9fff]", bare) and re.search(r"[,:;?!()]", bare):
                halfwidth.append(text)
    assert halfwidth == []
