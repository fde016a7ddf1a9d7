"""The ledger pages as a clerk uses them: forms that keep what was typed, the conflict shown
beside one's own text, evidence in one go, and a fixed number of queries per page."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import translation

from departments.models import Membership
from tasks_ledger.ledger import selectors, services
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tests.factories import AssignmentFactory, DeadlineFactory, TaskFactory, member
from tests.tasks_ledger.ledger.conftest import PDF

State = LedgerEntry.State


def test_new_entry_with_links_numbers_and_files_in_one_save(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("ledger:entry-create", args=[world.task.pk]),
        {
            "happened_on": "2030-05-07",
            "summary": "在门户网站公开权力清单",
            "status": "in_progress",
            "links": "https://jt.suqian.gov.cn/a.html\n\n https://jt.suqian.gov.cn/b.html ",
            "doc_numbers": "宿交发〔2030〕12号",
            "files": [SimpleUploadedFile("清单.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)],
        },
    )
    entry = LedgerEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "ledger:entry", args=[entry.pk]
    )
    kinds = sorted(entry.evidence.values_list("kind", flat=True))
    assert kinds == ["doc_number", "file", "file", "link", "link"]
    page = client.get(response["Location"]).content.decode()
    assert "宿交发〔2030〕12号" in page and "清单.pdf" in page


def test_a_bad_file_saves_nothing_and_keeps_the_text(client, world):
    client.force_login(world.staff)
    with translation.override("zh-hans"):
        response = client.post(
            reverse("ledger:entry-create", args=[world.task.pk]),
            {
                "happened_on": "2030-05-07",
                "summary": "我写了很长一段话",
                "status": "in_progress",
                "links": "https://jt.suqian.gov.cn/a.html",
                "files": [SimpleUploadedFile("virus.exe", b"MZ\x90\x00")],
            },
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 400
    assert not LedgerEntry.objects.exists() and not Evidence.objects.exists()
    page = response.content.decode()
    assert "我写了很长一段话" in page and "https://jt.suqian.gov.cn/a.html" in page
    assert "virus.exe" in page


def test_form_errors_name_the_field_in_chinese(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("ledger:entry-create", args=[world.task.pk]),
        {"happened_on": "", "summary": "", "status": "in_progress", "links": "not a link"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    errors = re.findall(r'<p class="errorlist"[^>]*>(.*?)</p>', response.content.decode(), re.S)
    labels = [e.split("：")[0] for e in errors]
    assert labels == ["工作日期", "进展情况", "链接"], errors


def test_the_second_save_is_refused_shows_the_other_change_and_keeps_the_text(client, world):
    entry = world.entry(summary="原来的记录")
    url = reverse("ledger:entry-edit", args=[entry.pk])
    form = {"version": entry.version, "happened_on": "2030-05-06", "status": "in_progress"}
    client.force_login(world.staff)
    assert client.post(url, dict(form, summary="同事先保存的内容")).status_code == 302
    client.force_login(world.staff2)
    response = client.post(url, dict(form, summary="我后保存的内容"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    page = response.content.decode()
    conflict = page[page.index('id="conflict"') : page.index("</section>")]
    assert "同事先保存的内容" in conflict and "我后保存的内容" in conflict
    textarea = re.search(r'<textarea name="summary"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert textarea.strip() == "我后保存的内容"
    # The form moved on to the stored version: saving again is a deliberate overwrite.
    assert f'name="version" value="{entry.version + 1}"' in page
    entry.refresh_from_db()
    assert (entry.summary, entry.version) == ("同事先保存的内容", 2)
    response = client.post(url, dict(form, version=2, summary="我后保存的内容"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.summary, entry.version, entry.history.count()) == ("我后保存的内容", 3, 3)


def test_history_shows_who_changed_what(client, world, now):
    entry = world.entry(summary="第一稿")
    now.shift(60)
    services.ledger_entry_update(entry=entry, by=world.staff, version=1, data={"summary": "第二稿"})
    now.shift(60)
    services.evidence_add(entry=entry, by=world.staff2, kind="doc_number", doc_number="1号")
    client.force_login(world.head)
    response = client.get(reverse("ledger:entry-history", args=[entry.pk]))
    page = response.content.decode()
    page = page[page.index('<ol class="history">') :]
    assert response.status_code == 200
    assert page.index("a-staff2") < page.index("第二稿") < page.index("a-head")
    assert re.search(r'class="old">第一稿</td><td class="new">第二稿', page)


def test_evidence_removal_by_htmx_returns_the_list(client, world):
    entry = world.entry()
    keep = services.evidence_add(entry=entry, by=world.staff, kind="link", url="https://a.cn/1")
    gone = services.evidence_add(entry=entry, by=world.staff, kind="link", url="https://a.cn/2")
    client.force_login(world.staff)
    response = client.post(
        reverse("ledger:evidence-remove", args=[gone.pk]), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.startswith('<ul class="evidence" id="evidence">')
    assert keep.url in page and gone.url not in page


def test_another_department_gets_no_edit_button_or_form(client, world):
    entry = world.entry(State.SUBMITTED)
    client.force_login(world.other)
    page = client.get(reverse("ledger:entry", args=[entry.pk])).content.decode()
    assert "edit-entry" not in page and "submit-entry" not in page and "accept-entry" not in page
    task_page = client.get(reverse("ledger:task", args=[world.task.pk])).content.decode()
    assert "new-entry" not in task_page


def test_office_sees_accept_and_return(client, world):
    entry = world.entry(State.SUBMITTED)
    client.force_login(world.reviewer)
    page = client.get(reverse("ledger:entry", args=[entry.pk])).content.decode()
    assert "accept-entry" in page and "return-entry" in page and "edit-entry" not in page


def test_ledger_home_lists_the_departments_tasks_with_latest_entry(client, world):
    world.entry(summary="最新的一条草稿")
    other_task = TaskFactory(section=world.section, number="二", title="别处的任务", order=2)
    AssignmentFactory(task=other_task, department=world.c)
    client.force_login(world.staff)
    page = client.get(reverse("ledger:home")).content.decode()
    assert "推进权力清单公开" in page and "别处的任务" not in page
    assert "最新的一条草稿" in page and "2030年6月底前" in page
    filtered = client.get(reverse("ledger:home"), {"light": "overdue"}).content.decode()
    assert "推进权力清单公开" not in filtered


def test_the_ledger_rows_latest_entry_is_the_one_changed_last_that_the_reader_may_see(world):
    """department_tasks' latest entry per assignment: the department's own drafts count in
    its own ledger, never in the office's; another department's entries never in a row."""
    submitted = world.entry(State.SUBMITTED, summary="早先报送的")
    draft = world.entry(summary="后来的草稿")
    theirs = world.entry(State.SUBMITTED, department=world.b, summary="乙处报送的")
    world.entry(department=world.b, summary="乙处更新的草稿")
    today = datetime.date(2030, 5, 8)

    def latest(user):
        rows = selectors.department_tasks(user=user, plan=world.task.plan, today=today)
        return {
            row.department_id: (
                row.latest_entry_id,
                row.latest_entry_summary,
                row.latest_entry_state,
                row.latest_entry_at,
            )
            for row in rows
            if row.task_id == world.task.pk
        }

    draft.refresh_from_db()
    submitted.refresh_from_db()
    theirs.refresh_from_db()
    assert latest(world.staff) == {
        world.a.pk: (draft.pk, "后来的草稿", State.DRAFT, draft.updated_at)
    }
    office = latest(world.reviewer)
    assert office[world.a.pk] == (submitted.pk, "早先报送的", State.SUBMITTED, submitted.updated_at)
    assert office[world.b.pk] == (theirs.pk, "乙处报送的", State.SUBMITTED, theirs.updated_at)


def test_task_page_shows_days_left(client, world):
    client.force_login(world.other)
    page = client.get(reverse("ledger:task", args=[world.task.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Days left: 53" in page.content.decode()  # 2030-05-08 → 2030-06-30


def grow(world, n):
    """`n` more tasks for department A, each with a deadline and entries of every state by
    both A and B, with evidence: the sizes the query counts are compared at."""
    for i in range(n):
        task = TaskFactory(section=world.section, number=f"{i + 2}", order=i + 2)
        DeadlineFactory(task=task, text=f"2030年{i % 12 + 1}月", due=f"2030-{i % 12 + 1:02}-28")
        AssignmentFactory(task=task, department=world.a)
        AssignmentFactory(task=task, department=world.b, role="partner")
    for state in State:
        for _ in range(n):
            e = world.entry(state)
            services.ledger_entry_update(
                entry=e, by=world.staff, version=e.version, data={"summary": "x"}
            ) if state in (State.DRAFT, State.RETURNED) else None
            world.entry(state, department=world.b)
    for e in LedgerEntry.objects.filter(state__in=[State.DRAFT, State.RETURNED])[: n * 2]:
        services.evidence_add(
            entry=e,
            by=world.head if e.department == world.a else world.b_head,
            kind="doc_number",
            doc_number="1号",
        )


# Every signed-in page starts with three queries: the session, the user joined with their
# membership and department (departments.backends.MemberBackend; the access helpers and
# base.html's header share them), and the unread-reminders count of the header. The rest is
# listed per page.
@pytest.mark.parametrize("size", [1, 6])
@pytest.mark.parametrize(
    ("persona", "name", "args", "expected"),
    [
        # + the current plan; the assignments with their lights and latest entries; their
        # tasks' deadlines.
        ("staff", "ledger:home", "none", 3 + 3),
        ("reviewer", "ledger:home", "none", 3 + 3),
        # + the task; its assignments with lights; its deadlines; the timeline's count, its
        # page of entries, their evidence.
        ("staff", "ledger:task", "task", 3 + 6),
        ("reviewer", "ledger:task", "task", 3 + 6),
        # + the entry (task, department, author joined); its evidence.
        ("staff", "ledger:entry", "entry", 3 + 2),
        # + the entry; its historical records; its evidence's historical records.
        ("staff", "ledger:entry-history", "entry", 3 + 3),
        # + the entry; its evidence.
        ("staff", "ledger:entry-edit", "entry", 3 + 2),
        # + the task; whether the user's department is assigned to it.
        ("staff", "ledger:entry-create", "task", 3 + 2),
        # + the current plan; the waiting count per department; the page's count; the
        # page of entries (task, department, author joined, evidence counted).
        ("reviewer", "ledger:review-queue", "none", 3 + 4),
    ],
)
def test_a_fixed_number_of_queries(
    client, world, django_assert_num_queries, persona, name, args, expected, size
):
    grow(world, size)
    entry = LedgerEntry.objects.filter(department=world.a, state=State.DRAFT).first()
    for _ in range(size):
        services.ledger_entry_update(
            entry=entry, by=world.staff, version=entry.version, data={"problems": f"{_}"}
        )
    client.force_login(getattr(world, persona))
    arg = {"none": [], "task": [world.task.pk], "entry": [entry.pk]}[args]
    with django_assert_num_queries(expected):
        response = client.get(reverse(name, args=arg))
    assert response.status_code == 200


def test_the_new_entry_form_starts_on_today(client, world):
    client.force_login(world.staff)
    page = client.get(reverse("ledger:entry-create", args=[world.task.pk])).content.decode()
    assert 'name="happened_on" value="2030-05-08"' in page


QUEUE = "/ledger/review/"


def test_review_queue_lists_submitted_entries_longest_waiting_first(client, world, now):
    first = world.entry(State.SUBMITTED, summary="第一条")
    now.shift(datetime.timedelta(hours=1))
    second = world.entry(department=world.b, summary="第二条")
    services.evidence_add(entry=second, by=world.b_head, kind="doc_number", doc_number="1号")
    services.ledger_entry_submit(entry=second, by=world.b_head)
    world.entry(State.DRAFT, summary="草稿")
    world.entry(State.ACCEPTED, summary="已采纳")
    world.entry(State.RETURNED, summary="已退回")
    client.force_login(world.reviewer)
    html = client.get(QUEUE).content.decode()
    assert re.findall(r'data-entry="(\d+)"', html) == [str(first.id), str(second.id)]
    assert "草稿" not in html and "已采纳" not in html and "已退回" not in html
    # The chips count per department.
    assert re.search(r'data-department="dept-a">甲处 <b>1</b>', html)
    assert re.search(r'data-department="dept-b">乙处 <b>1</b>', html)
    counted = selectors.awaiting_review(plan=world.plan)
    assert [(e.id, e.evidence_count) for e in counted] == [(first.id, 0), (second.id, 1)]
    html_b = client.get(QUEUE, {"department": "dept-b"}).content.decode()
    assert re.findall(r'data-entry="(\d+)"', html_b) == [str(second.id)]
    assert client.get(QUEUE, {"department": "no-such"}).status_code == 404


@pytest.mark.postgres
def test_the_review_queue_s_page_walks_the_waiting_in_order_and_sorts_nothing(world):
    # Under load the queue held 8,000 submitted entries: counting evidence with a GROUP BY
    # sorted all of them for each page of 50 (benchmarks/load.py). The page now reads the
    # partial index in the queue's order and stops at the page's end.
    for n in range(5):
        world.entry(State.SUBMITTED, summary=f"第{n}条")
    with connection.cursor() as cursor:
        # On a few rows a sort costs nothing, and other tests' statistics linger: the
        # planner is told to avoid sorts and table scans where it can, as it does by itself
        # on thousands of rows (benchmarks/load.py). A GROUP BY or a missing index leaves
        # it no way round a sort.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    plan = selectors.awaiting_review(plan=world.plan)[:50].explain()
    assert "entry_awaiting_review" in plan
    assert "Sort" not in plan and "HashAggregate" not in plan


def test_accepting_from_the_queue_comes_back_to_it(client, world):
    entry = world.entry(State.SUBMITTED)
    client.force_login(world.reviewer)
    back = f"{QUEUE}?department=dept-a"
    response = client.post(
        reverse("ledger:entry-accept", args=[entry.pk]),
        {"version": entry.version, "next": back, "confirm": "yes"},
    )
    assert response["Location"] == back
    entry.refresh_from_db()
    assert entry.state == State.ACCEPTED
    assert f'data-entry="{entry.id}"' not in client.get(back).content.decode()


def test_accept_ignores_a_foreign_next(client, world):
    entry = world.entry(State.SUBMITTED)
    client.force_login(world.reviewer)
    response = client.post(
        reverse("ledger:entry-accept", args=[entry.pk]),
        {"version": entry.version, "next": "https://evil.example/", "confirm": "yes"},
    )
    assert response["Location"] == reverse("ledger:entry", args=[entry.pk])


def test_an_empty_queue_says_so(client, world):
    client.force_login(world.reviewer)
    html = client.get(QUEUE).content.decode()
    assert "没有等待审核的台账记录。" in html
    assert "data-entry=" not in html


TIMELINE_ITEM = re.compile(r'<li class="timeline-item [^"]*" id="entry-(\d+)">(.*?)</p></li>', re.S)


def test_the_task_timeline_shows_each_entry_with_its_own_names_and_evidence(client, world):
    """The timeline's rows are read as values and built in Python (ledger/markup.py): each
    entry keeps its own department, author's name, progress and evidence, and what anyone
    typed is escaped."""
    mine = world.entry(summary="<script>alert(1)</script>甲处的记录", status="done")
    services.evidence_add(entry=mine, by=world.head, kind="doc_number", doc_number="甲文1号")
    services.ledger_entry_submit(entry=mine, by=world.head)
    theirs = world.entry(department=world.b, summary="乙处的记录")
    services.evidence_add(entry=theirs, by=world.b_head, kind="link", url="https://b.example/1")
    services.ledger_entry_submit(entry=theirs, by=world.b_head)
    b_draft = world.entry(department=world.b, summary="乙处的草稿")
    member(world.b, Membership.Role.HEAD, name="乙处处长", username=world.b_head.username)
    client.force_login(world.staff)
    page = client.get(reverse("ledger:task", args=[world.task.pk])).content.decode()
    items = dict(TIMELINE_ITEM.findall(page))
    assert set(items) == {str(mine.pk), str(theirs.pk)}  # B's draft stays in B
    assert f"entry-{b_draft.pk}" not in page and "乙处的草稿" not in page
    ours, b_s = items[str(mine.pk)], items[str(theirs.pk)]
    assert "<b>甲处</b>" in ours and "已完成" in ours and "甲文1号" in ours
    assert "&lt;script&gt;" in ours and "<script>alert" not in page
    assert world.head.username in ours  # no membership name: the username
    assert "<b>乙处</b>" in b_s and "乙处处长" in b_s and "https://b.example/1" in b_s
    assert "甲文" not in b_s and "b.example" not in ours


def test_the_task_timeline_pages_count_only_what_the_reader_may_see(client, world):
    """The pager's count is read apart from the rows (selectors.task_timeline): it counts
    the same entries the rows show, so another department's drafts add no empty page."""
    from tasks_ledger.ledger.views import TIMELINE_PAGE

    for n in range(TIMELINE_PAGE):
        world.entry(summary=f"甲处草稿{n}")
    for n in range(5):
        world.entry(department=world.b, summary=f"乙处草稿{n}")
    client.force_login(world.staff)
    url = reverse("ledger:task", args=[world.task.pk])
    page = client.get(url).content.decode()
    assert len(TIMELINE_ITEM.findall(page)) == TIMELINE_PAGE
    assert 'class="pager"' not in page  # 30 readable: one page, B's five drafts not counted
    world.entry(LedgerEntry.State.SUBMITTED, department=world.b, summary="乙处已报送")
    first = client.get(url).content.decode()
    assert "<span>1 / 2</span>" in first
    last = client.get(url, {"page": 99}).content.decode()  # past the end: the last page
    assert "<span>2 / 2</span>" in last and len(TIMELINE_ITEM.findall(last)) == 1
