"""The public pages: what they show (the published plan, public statuses, passed texts,
completion rates), what they never show, and that withdrawal hides at once."""

import pytest
from django.urls import reverse

from tasks_ledger.publishing import services
from tests.tasks_ledger.publishing.data import publish_text


@pytest.fixture
def published(small, people):
    services.plan_publish(plan=small.plan, by=people.reviewer)
    return small


def test_nothing_is_public_before_the_plan_is_published(client, small):
    assert client.get("/public/2031/").status_code == 404
    page = client.get("/public/").content.decode()
    assert small.plan.title not in page
    assert "公开重大决策" not in page


def test_the_plan_page_shows_tasks_departments_deadlines_and_public_status(client, published):
    page = client.get("/public/2031/").content.decode()
    assert 'lang="zh-CN"' in page
    assert "2031年政务公开工作实施方案" in page
    assert "某市交通运输局" in page
    for text in (
        "一、推进决策公开",
        "一(一)",
        "公开重大决策",
        "政策法规处",
        "安全处",
        "2031年9月底前",
    ):
        assert text in page
    # Accepted entries only: the idle task has only a submitted entry saying done.
    assert _status_of(page, published.done_task) == "已完成"
    assert _status_of(page, published.busy_task) == "推进中"
    assert _status_of(page, published.idle_task) == "未开始"


def _status_of(page: str, task) -> str:
    article = page.split(f'id="task-{task.pk}"', 1)[1].split("</article>", 1)[0]
    return article.split('class="status status-', 1)[1].split(">", 1)[1].split("<", 1)[0]


def test_completion_rates_per_section_and_department(client, published):
    page = client.get("/public/2031/").content.decode()
    # Section 一: one of two tasks done; section 二: none of one.
    assert "一、推进决策公开</th><td>1/2（50%）" in page
    assert "二、推进服务公开</th><td>0/1（0%）" in page
    # 政策法规处 leads three tasks, one done; 安全处 is a partner of the done one.
    assert "政策法规处</th><td>1/3（33%）" in page
    assert "安全处</th><td>1/1（100%）" in page


def test_ongoing_task_reads_ongoing_once_started(client, published):
    from tasks_ledger.public import selectors

    if not selectors._HAS_ONGOING:
        pytest.skip("Task has no ongoing flag in this tree")
    type(published.busy_task).objects.filter(pk=published.busy_task.pk).update(ongoing=True)
    page = client.get("/public/2031/").content.decode()
    assert _status_of(page, published.busy_task) == "持续推进"


def test_passed_texts_are_shown_by_date_with_their_evidence(client, published, people):
    publish_text(
        task=published.done_task,
        text="已在门户网站公开重大决策目录。",
        people=people,
        evidence=[published.evidence],
    )
    page = client.get("/public/2031/").content.decode()
    assert "已在门户网站公开重大决策目录。" in page
    assert published.evidence.url in page


def test_a_pending_or_refused_text_is_not_shown(client, published, people):
    pending = services.proposal_create(
        task=published.done_task, text="待审文本甲", by=people.reviewer
    )
    refused = services.proposal_create(
        task=published.busy_task, text="被拒文本乙", by=people.reviewer
    )
    services.proposal_review(
        proposal=refused, decision="refused", opinion="涉密", by=people.secrecy
    )
    page = client.get("/public/2031/").content.decode()
    assert pending.text not in page and refused.text not in page and "涉密" not in page


def test_withdrawal_hides_the_text_at_once(client, published, people):
    proposal = publish_text(task=published.done_task, text="即将撤回的文本", people=people)
    for url in (
        "/public/",
        "/public/2031/",
        "/public/feed.atom",
        "/public/feed.json",
        "/public/embed/",
    ):
        assert "即将撤回的文本" in client.get(url).content.decode(), url
    services.proposal_withdraw(proposal=proposal, reason="数据有误", by=people.reviewer)
    for url in (
        "/public/",
        "/public/2031/",
        "/public/feed.atom",
        "/public/feed.json",
        "/public/embed/",
    ):
        body = client.get(url).content.decode()
        assert "即将撤回的文本" not in body, url
        assert "数据有误" not in body, url


def test_a_changed_text_replaces_the_old_one_only_once_passed(client, published, people):
    first = publish_text(task=published.done_task, text="旧版本文字", people=people)
    second = services.proposal_create(
        task=published.done_task, text="新版本文字", revises=first, by=people.reviewer
    )
    page = client.get("/public/2031/").content.decode()
    assert "旧版本文字" in page and "新版本文字" not in page
    services.proposal_review(proposal=second, decision="passed", by=people.secrecy)
    page = client.get("/public/2031/").content.decode()
    assert "新版本文字" in page and "旧版本文字" not in page


def test_a_passed_file_is_downloadable_while_public(client, published, people, settings):
    from django.core.files.base import ContentFile

    from tasks_ledger.ledger.models import Evidence

    entry = published.done_task.entries.first()
    item = Evidence(entry=entry, kind=Evidence.Kind.FILE, filename="决策目录.pdf")
    item.file.save("x.pdf", ContentFile(b"%PDF-1.4 public"), save=True)
    proposal = publish_text(task=published.done_task, text="附件", people=people, evidence=[item])
    url = reverse("public:evidence-file", args=[proposal.review.pk, item.pk])
    assert url in client.get("/public/2031/").content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 public"
    # Not passed with this review: refused.
    assert (
        client.get(
            reverse("public:evidence-file", args=[proposal.review.pk, published.evidence.pk])
        ).status_code
        == 404
    )
    services.proposal_withdraw(proposal=proposal, reason="撤回", by=people.reviewer)
    assert client.get(url).status_code == 404


def test_the_plan_page_runs_a_fixed_number_of_queries(
    client, published, people, django_assert_num_queries
):
    publish_text(task=published.done_task, text="一", people=people)
    publish_text(task=published.busy_task, text="二", people=people)
    with django_assert_num_queries(7):
        # 1 the edition, 2 the plan, 3 tasks, 4 their deadlines, 5 assignments,
        # 6 passed texts, 7 the published plans for the year menu
        client.get("/public/2031/")
    # Cached: only the edition is read.
    with django_assert_num_queries(1):
        client.get("/public/2031/")
