"""The public pages served for crowds: anonymous, cacheable, never touching the session;
the Atom feed is valid Atom; robots, sitemap, JSON feed and the embeddable block."""

import json

import pytest
from defusedxml import ElementTree

from tasks_ledger.publishing import services
from tests.tasks_ledger.publishing.data import publish_text

PUBLIC_URLS = [
    "/public/",
    "/public/2031/",
    "/public/feed.atom",
    "/public/feed.json",
    "/public/embed/",
    "/robots.txt",
    "/sitemap.xml",
]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def published(small, people):
    services.plan_publish(plan=small.plan, by=people.reviewer)
    publish_text(task=small.done_task, text="已公开重大决策目录。", people=people)
    return small


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_every_public_url_answers_the_anonymous(client, published, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_never_touch_the_session(client, published, url):
    response = client.get(url)
    assert not response.cookies, response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert not response.wsgi_request.session.accessed


def test_a_signed_in_visitor_gets_the_same_page_without_the_session_read(client, published, people):
    client.force_login(people.reviewer)
    response = client.get("/public/2031/")
    assert response.status_code == 200
    assert not response.wsgi_request.session.accessed
    assert people.reviewer.username not in response.content.decode()


def test_conditional_get_answers_304(client, published):
    first = client.get("/public/2031/")
    again = client.get("/public/2031/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get("/public/2031/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_publication_changes_the_validators(client, published, people):
    first = client.get("/public/2031/")
    publish_text(task=published.busy_task, text="第二条公开进展。", people=people)
    after = client.get("/public/2031/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert "第二条公开进展。" in after.content.decode()
    assert after["ETag"] != first["ETag"]


def test_writes_are_refused(client, published):
    assert client.post("/public/2031/").status_code == 405


def test_an_unpublished_year_is_a_404(client, published):
    response = client.get("/public/2099/")
    assert response.status_code == 404
    assert 'lang="zh-CN"' in response.content.decode()


def test_the_atom_feed_is_well_formed_atom(client, published):
    response = client.get("/public/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    # RFC 4287 4.1.1: a feed has exactly one id, title and updated, and an author (or every
    # entry has one); a link rel="self" is recommended.
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
    assert root.find(f"{ATOM}author/{ATOM}name").text
    assert any(link.get("rel") == "self" for link in root.findall(f"{ATOM}link"))
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2  # the passed text and the plan's publication
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert entry.find(f"{ATOM}id").text.startswith("tag:")
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/public/")
    texts = [e.find(f"{ATOM}summary").text for e in entries]
    assert "已公开重大决策目录。" in texts
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == len(ids)


def test_the_json_feed(client, published):
    response = client.get("/public/feed.json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["content_text"] for item in feed["items"]][0] == "已公开重大决策目录。"
    assert all(item["url"].startswith("http://testserver/public/") for item in feed["items"])


def test_robots_and_sitemap(client, published):
    robots = client.get("/robots.txt").content.decode()
    assert "Allow: /public/" in robots and "Disallow: /\n" in robots
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    locs = [el.text for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs == ["http://testserver/public/", "http://testserver/public/2031/"]


def test_the_embed_may_be_framed_and_the_pages_not(client, published):
    embed = client.get("/public/embed/")
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in client.get("/public/2031/")["Content-Security-Policy"]
    assert "已公开重大决策目录。" in embed.content.decode()
    assert client.get("/public/2031/")["X-Frame-Options"] == "DENY"
