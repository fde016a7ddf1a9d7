"""/search/: the page, its filters in the URL, escaped highlighting, a fixed number of queries."""

import pytest
from django.urls import reverse

from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.search import selectors
from tasks_ledger.search.selectors import TASKS_PER_PAGE
from tests.factories import AssignmentFactory, TaskFactory

State = LedgerEntry.State
URL = "/search/"


def test_the_contract_url():
    assert reverse("search:search") == URL


def test_signing_in_is_required(client, world):
    response = client.get(URL, {"q": "公开"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_lists_what_was_found(client, world):
    entry = world.entry(State.SUBMITTED, summary="公开权力清单的进展")
    client.force_login(world.other)
    page = client.get(URL, {"q": "进展"}).content.decode()
    assert f'data-task="{world.task.pk}"' in page
    assert f'data-entry="{entry.pk}"' in page
    assert "<mark>进展</mark>" in page
    assert "找到 1 项任务。" in page  # zh-hans by default


def test_another_departments_draft_is_not_on_the_page(client, world):
    draft = world.entry(State.DRAFT, summary="草稿秘密进展")
    client.force_login(world.b_head)
    page = client.get(URL, {"q": "秘密进展"}).content.decode()
    assert f'data-entry="{draft.pk}"' not in page
    assert "秘密进展</mark>" not in page


def test_highlighting_escapes_the_text_and_the_query(client, world):
    world.entry(State.SUBMITTED, summary='<script>alert("x")</script> & 公开')
    client.force_login(world.staff)
    page = client.get(URL, {"q": "<script>"}).content.decode()
    assert "<script>alert" not in page
    assert "<mark>&lt;script&gt;</mark>alert(&quot;x&quot;)" in page
    # The query is echoed in the box escaped too.
    assert 'value="&lt;script&gt;"' in page


def test_highlighting_does_not_cut_an_entity(client, world):
    world.entry(State.SUBMITTED, summary="甲 & 乙 amp")
    client.force_login(world.staff)
    page = client.get(URL, {"q": "amp"}).content.decode()
    assert "甲 &amp; 乙 <mark>amp</mark>" in page


def test_a_doc_number_is_highlighted(client, world):
    entry = world.entry(State.SUBMITTED, summary="发文")
    Evidence.objects.create(entry=entry, kind="doc_number", doc_number="宿交发〔2030〕12号")
    client.force_login(world.staff)
    page = client.get(URL, {"q": "12号"}).content.decode()
    assert "宿交发〔2030〕<mark>12号</mark>" in page


def test_the_filters_stay_in_the_pager_links(client, world):
    for n in range(TASKS_PER_PAGE + 1):
        task = TaskFactory(section=world.section, title=f"第{n}项工作要点", order=10 + n)
        AssignmentFactory(task=task, department=world.a)
    client.force_login(world.staff)
    response = client.get(URL, {"q": "工作要点"})
    assert response.context["page"].paginator.count == TASKS_PER_PAGE + 1
    page = response.content.decode()
    assert "?q=%E5%B7%A5%E4%BD%9C%E8%A6%81%E7%82%B9&amp;page=2" in page
    second = client.get(URL, {"q": "工作要点", "page": 2})
    assert len(second.context["page"]) == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [({"from": "2030-13-01"}, "from"), ({"to": "昨天"}, "to"), ({"state": "lost"}, "state")],
)
def test_a_bad_filter_is_named_and_searches_nothing(client, world, params, field):
    client.force_login(world.staff)
    response = client.get(URL, {"q": "公开", **params})
    assert response.status_code == 400
    assert response.context["page"] is None
    assert f"“{field}”" in response.content.decode()


def test_the_header_has_a_search_box(client, world):
    client.force_login(world.staff)
    page = client.get(reverse("ledger:home")).content.decode()
    assert f'action="{URL}"' in page and 'name="q"' in page


def grow(world, size):
    """`size` more tasks, each with matching entries of every state, evidence and all."""
    for n in range(size):
        task = TaskFactory(section=world.section, title=f"增加的任务{n}", order=10 + n)
        AssignmentFactory(task=task, department=world.a)
        AssignmentFactory(task=task, department=world.b, order=1)
        for state in (State.DRAFT, State.SUBMITTED, State.ACCEPTED, State.RETURNED):
            world.task, keep = task, world.task
            entry = world.entry(state, summary=f"查询次数{n}")
            entry_b = world.entry(state, department=world.b, summary=f"查询次数{n}")
            world.task = keep
            for e in (entry, entry_b):
                Evidence.objects.create(entry=e, kind="doc_number", doc_number=f"文号{n}")


@pytest.mark.parametrize("persona", ["staff", "reviewer", "other"])
@pytest.mark.parametrize("size", [1, 8])
@pytest.mark.parametrize("q", ["查询次数", "查询", "询"])
def test_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries, persona, size, q, monkeypatch
):
    grow(world, size)
    # Few matches (all read at once) and many (each task's newest read by index).
    monkeypatch.setattr(selectors, "ALL_MATCHES", 3 if size > 1 else 100)
    client.force_login(getattr(world, persona))
    # The session, the user (with membership and department), the inbox badge; and the
    # search's at most thirteen: the departments named, whether a short word is common and
    # how many matches are expected (PostgreSQL), the first matches; with many, on
    # PostgreSQL the two walks of the tasks and, for the tasks they could not tell, their
    # matches from the index keyed by task (with a setting before and after it), on SQLite
    # the other tasks with matches and the page's tasks' newest; the count of tasks, the
    # page of tasks, the entries shown, their evidence.
    with django_assert_max_num_queries(16):
        response = client.get(URL, {"q": q})
    assert response.context["page"].paginator.count == size


def test_a_task_with_more_matches_than_counted_says_so(client, world, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_COUNTED", 2)
    for day in range(1, 4):
        world.entry(State.SUBMITTED, summary="周报", happened_on=f"2030-05-0{day}")
    client.force_login(world.staff)
    page = client.get(URL, {"q": "周报"}).content.decode()
    assert "匹配的台账超过2条，可按状态或日期缩小范围。" in page
    assert page.count("data-entry=") == 3
