"""The search selector: what it finds, for whom, grouped and filtered, on either database."""

import datetime

import pytest
from django.db import connection

from tasks_ledger.ledger import services
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.search import per_task, selectors
from tasks_ledger.search.selectors import (
    ENTRIES_PER_TASK,
    SearchFilters,
    matching_entries,
    search,
)
from tests.factories import AssignmentFactory, TaskFactory

State = LedgerEntry.State


# How deep the walks go (per_task.SHALLOW, WALKED), on PostgreSQL with many matches: as
# set; the first walk too short to tell, the second long enough; both too short (the
# index keyed by task then reads the tasks' matches).
DEPTHS = [(200, 1000), (1, 1000), (1, 1)]


def walk_depths(monkeypatch, depths):
    monkeypatch.setattr(per_task, "SHALLOW", depths[0])
    monkeypatch.setattr(per_task, "WALKED", depths[1])


def found(user, q, **filters):
    """{task id: [entry ids shown]} for a search by `user`."""
    page = search(user=user, filters=SearchFilters(q=q, **filters))
    return {task.pk: [entry.pk for entry in task.hits] for task in page}


def entry_ids(user, q, **filters):
    return {pk for hits in found(user, q, **filters).values() for pk in hits}


def test_another_departments_draft_is_never_found(world):
    draft = world.entry(State.DRAFT, summary="甲处草稿独有内容")
    assert entry_ids(world.staff, "独有内容") == {draft.pk}
    assert entry_ids(world.head, "独有内容") == {draft.pk}
    assert entry_ids(world.b_head, "独有内容") == set()
    assert entry_ids(world.other, "独有内容") == set()


def test_the_office_never_finds_drafts_but_finds_what_it_returned(world):
    world.entry(State.DRAFT, summary="草稿里的进展")
    returned = world.entry(State.RETURNED, summary="退回里的进展")
    for office in (world.reviewer, world.admin):
        assert entry_ids(office, "里的进展") == {returned.pk}
    # A return is between the department and the office.
    assert entry_ids(world.b_head, "里的进展") == set()


def test_submitted_and_accepted_entries_are_found_by_every_department(world):
    submitted = world.entry(State.SUBMITTED, summary="已报送的台账")
    accepted = world.entry(State.ACCEPTED, summary="已采纳的台账")
    assert entry_ids(world.other, "的台账") == {submitted.pk, accepted.pk}


def test_someone_without_a_place_in_the_bureau_finds_nothing(world):
    world.entry(State.ACCEPTED, summary="公开内容")
    assert search(user=world.nobody, filters=SearchFilters(q="公开")) is None


def test_an_empty_query_searches_nothing(world):
    assert search(user=world.reviewer, filters=SearchFilters(q="   ")) is None


def test_results_are_grouped_by_task(world):
    second = TaskFactory(section=world.section, number="二", title="推进财政预算公开", order=2)
    AssignmentFactory(task=second, department=world.a, role="lead")
    first_hits = [world.entry(State.SUBMITTED, summary=f"台账第{n}条") for n in range(2)]
    second_hit = services.ledger_entry_create(
        task=second,
        department=world.a,
        by=world.head,
        data={"happened_on": "2030-05-07", "summary": "台账另一任务"},
    )
    groups = found(world.staff, "台账")
    assert list(groups) == [world.task.pk, second.pk]  # the plan's order
    assert set(groups[world.task.pk]) == {e.pk for e in first_hits}
    assert groups[second.pk] == [second_hit.pk]


def test_a_task_shows_a_few_entries_and_counts_the_rest(world):
    for n in range(ENTRIES_PER_TASK + 2):
        world.entry(State.SUBMITTED, summary=f"月度报告{n}", happened_on=f"2030-05-0{n + 1}")
    (task,) = search(user=world.staff, filters=SearchFilters(q="月度报告"))
    assert task.entry_hits == ENTRIES_PER_TASK + 2
    assert len(task.hits) == ENTRIES_PER_TASK
    # Newest first.
    assert [e.happened_on.day for e in task.hits] == [7, 6, 5, 4, 3]


def test_a_task_is_found_by_its_own_text_without_entries(world):
    (task,) = search(user=world.other, filters=SearchFilters(q="权力清单公开"))
    assert task.pk == world.task.pk and task.task_hit and task.hits == []


def test_a_state_filter_keeps_only_entries_in_that_state(world):
    submitted = world.entry(State.SUBMITTED, summary="状态筛选")
    accepted = world.entry(State.ACCEPTED, summary="状态筛选")
    assert entry_ids(world.staff, "状态筛选", state=State.ACCEPTED) == {accepted.pk}
    assert entry_ids(world.staff, "状态筛选", state=State.SUBMITTED) == {submitted.pk}
    # A state is of entries: the task found by its own text alone is not listed.
    assert found(world.staff, "权力清单公开", state=State.ACCEPTED) == {}


def test_a_date_range_keeps_only_entries_of_those_days(world):
    early = world.entry(State.SUBMITTED, summary="日期筛选", happened_on="2030-05-01")
    late = world.entry(State.SUBMITTED, summary="日期筛选", happened_on="2030-05-06")
    may = datetime.date(2030, 5, 1)
    assert entry_ids(world.staff, "日期筛选", date_from=may.replace(day=2)) == {late.pk}
    assert entry_ids(world.staff, "日期筛选", date_to=may.replace(day=5)) == {early.pk}
    assert entry_ids(world.staff, "日期筛选", date_from=may, date_to=may) == {early.pk}


def test_two_character_chinese_words_are_found(world):
    # Too short for a trigram index: the plain substring fallback answers.
    entry = world.entry(State.SUBMITTED, summary="按时公开了预算")
    assert entry_ids(world.staff, "公开") == {entry.pk}
    assert entry_ids(world.staff, "预") == {entry.pk}


def test_four_character_chinese_words_are_found_in_every_text_field(world):
    in_summary = world.entry(State.SUBMITTED, summary="完成预算公开工作")
    in_problems = world.entry(State.SUBMITTED, summary="其他", problems="预算公开滞后")
    in_next = world.entry(State.SUBMITTED, summary="其他", next_steps="继续预算公开")
    world.entry(State.SUBMITTED, summary="预算未公开")
    assert entry_ids(world.staff, "预算公开") == {in_summary.pk, in_problems.pk, in_next.pk}


def test_a_doc_number_a_links_title_and_a_department_are_found(world):
    with_number = world.entry(State.SUBMITTED, summary="发文")
    Evidence.objects.create(entry=with_number, kind="doc_number", doc_number="宿交发〔2030〕12号")
    with_link = world.entry(State.SUBMITTED, summary="上网")
    Evidence.objects.create(
        entry=with_link, kind="link", url="https://example.gov.cn/a", note="政务公开专栏首页"
    )
    of_b = world.entry(State.SUBMITTED, department=world.b, summary="乙的工作")
    assert entry_ids(world.other, "〔2030〕12号") == {with_number.pk}
    assert entry_ids(world.other, "专栏首页") == {with_link.pk}
    assert entry_ids(world.other, "乙处") == {of_b.pk}


@pytest.mark.parametrize("q", ["%", "_", "100%", "a_b", '"', "'", "\\", "'; DROP", '" OR "'])
def test_special_characters_are_searched_as_written(world, q):
    plain = world.entry(State.SUBMITTED, summary="平常文字 abb")
    odd = world.entry(State.SUBMITTED, summary='完成率100% a_b 引号"\'\\ \'; DROP " OR " 结束')
    assert plain.pk not in entry_ids(world.staff, q)
    assert entry_ids(world.staff, q) == {odd.pk}


def test_the_search_follows_an_entry_after_it_is_corrected(world):
    # On SQLite the trigram table is kept by triggers: an edited entry is found by its
    # new words only.
    entry = world.entry(State.DRAFT, summary="原来的说法")
    services.ledger_entry_update(
        entry=entry, by=world.staff, version=entry.version, data={"summary": "改过的说法"}
    )
    assert entry_ids(world.staff, "原来的说法") == set()
    assert entry_ids(world.staff, "改过的说法") == {entry.pk}


def test_matching_ignores_latin_case(world):
    entry = world.entry(State.SUBMITTED, summary="上传 PDF 附件")
    assert entry_ids(world.staff, "pdf 附件") == {entry.pk}


def test_sqlite_answers_a_three_character_query_from_the_trigram_table(world):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 table")
    entries = matching_entries(user=world.staff, filters=SearchFilters(q="算公开"))
    assert "search_entry_fts" in str(entries.query)
    with connection.cursor() as cursor:
        world.entry(State.DRAFT, summary="预算公开")
        cursor.execute(
            "SELECT count(*) FROM search_entry_fts WHERE search_entry_fts MATCH %s", ['"算公开"']
        )
        assert cursor.fetchone() == (1,)


def test_one_character_is_found_on_either_database(world):
    entry = world.entry(State.SUBMITTED, summary="按时公开了预算", problems="ABC")
    world.entry(State.SUBMITTED, summary="其他")
    assert entry_ids(world.staff, "算") == {entry.pk}
    assert entry_ids(world.staff, "b") == {entry.pk}
    assert entry_ids(world.staff, "Bc") == {entry.pk}


def test_evidence_added_changed_and_removed_is_followed(world):
    # On PostgreSQL the entry's search text holds its evidence, kept by triggers.
    entry = world.entry(State.SUBMITTED, summary="发文")
    number = Evidence.objects.create(entry=entry, kind="doc_number", doc_number="宿交发〔2030〕7号")
    link = Evidence.objects.create(
        entry=entry, kind="link", url="https://example.gov.cn/", note="专栏首页"
    )
    assert entry_ids(world.other, "〔2030〕7号") == {entry.pk}
    assert entry_ids(world.other, "首页") == {entry.pk}
    number.doc_number = "宿交发〔2030〕8号"
    number.save()
    assert entry_ids(world.other, "〔2030〕7号") == set()
    assert entry_ids(world.other, "〔2030〕8号") == {entry.pk}
    link.delete()
    assert entry_ids(world.other, "首页") == set()
    assert entry_ids(world.other, "8号") == {entry.pk}


def test_counts_stop_at_the_cap_and_say_so(world, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_COUNTED", 3)
    for n in range(4):
        world.entry(State.SUBMITTED, summary=f"季度报告{n}", happened_on=f"2030-05-0{n + 1}")
    (task,) = search(user=world.staff, filters=SearchFilters(q="季度报告"))
    assert (task.entry_hits, task.more_than_counted) == (3, True)
    assert [e.happened_on.day for e in task.hits] == [4, 3, 2, 1]
    world.entry(State.DRAFT, summary="半年报告")
    (task,) = search(user=world.staff, filters=SearchFilters(q="半年报告"))
    assert (task.entry_hits, task.more_than_counted) == (1, False)


@pytest.mark.parametrize("walked", DEPTHS)
def test_filters_stay_exact_with_many_matches(world, monkeypatch, walked):
    # The newest matches are taken per task after the state and date filters, not before.
    monkeypatch.setattr(selectors, "ENTRIES_PER_TASK", 2)
    monkeypatch.setattr(selectors, "ALL_MATCHES", 1)
    walk_depths(monkeypatch, walked)
    old = world.entry(State.ACCEPTED, summary="通报公开", happened_on="2030-01-02")
    for day in range(3, 8):
        world.entry(State.SUBMITTED, summary="通报公开", happened_on=f"2030-05-0{day}")
    assert entry_ids(world.staff, "通报", state=State.ACCEPTED) == {old.pk}
    until = datetime.date(2030, 1, 31)
    assert entry_ids(world.staff, "通报", date_to=until) == {old.pk}
    # The office still never sees a draft, however many there are.
    for _ in range(3):
        world.entry(State.DRAFT, summary="通报公开", happened_on="2030-06-01")
    office = search(user=world.reviewer, filters=SearchFilters(q="通报"))
    assert {e.state for task in office for e in task.hits} == {State.SUBMITTED}


@pytest.mark.parametrize("walked", DEPTHS)
@pytest.mark.parametrize("all_matches", [1, 2, 1000])
def test_few_or_many_matches_give_the_same_page(world, monkeypatch, all_matches, walked):
    # Few matches are read at once; many, task by task (walked, or on PostgreSQL from the
    # index keyed by task when the walk is cut short): the same answer.
    walk_depths(monkeypatch, walked)
    second = TaskFactory(section=world.section, number="二", title="推进财政预算公开", order=2)
    AssignmentFactory(task=second, department=world.a, role="lead")
    AssignmentFactory(task=second, department=world.b, role="partner", order=1)
    empty = TaskFactory(section=world.section, number="三", title="无关任务", order=3)
    AssignmentFactory(task=empty, department=world.a, role="lead")
    made = {}
    for n, (task, department, state) in enumerate(
        [
            (world.task, world.a, State.DRAFT),
            (world.task, world.a, State.SUBMITTED),
            (world.task, world.b, State.DRAFT),
            (second, world.b, State.RETURNED),
            (second, world.a, State.ACCEPTED),
        ]
    ):
        world.task, keep = task, world.task
        made[n] = world.entry(state, department=department, summary=f"汇总材料{n}").pk
        world.task = keep
    monkeypatch.setattr(selectors, "ALL_MATCHES", all_matches)
    assert found(world.staff, "汇总材料") == {
        world.task.pk: [made[1], made[0]],
        second.pk: [made[4]],
    }
    assert found(world.reviewer, "汇总材料") == {
        world.task.pk: [made[1]],
        second.pk: [made[4], made[3]],
    }
    assert found(world.b_head, "汇总", state=State.DRAFT) == {world.task.pk: [made[2]]}


@pytest.mark.parametrize(("all_matches", "walked"), [(1, d) for d in DEPTHS] + [(1000, DEPTHS[0])])
def test_a_word_of_one_task_s_entries_finds_that_task_and_what_the_user_may_see(
    world, monkeypatch, all_matches, walked
):
    # A task's title word: in its own task's entries, absent from the others' (on
    # PostgreSQL the other tasks are shown to have none by the indexes keyed by task).
    second = TaskFactory(section=world.section, number="二", title="推进预算公开", order=2)
    AssignmentFactory(task=second, department=world.a, role="lead")
    AssignmentFactory(task=second, department=world.b, role="partner", order=1)
    own = [
        world.entry(State.SUBMITTED, summary=f"权力清单第{n}批", happened_on=f"2030-05-0{n + 1}")
        for n in range(3)
    ]
    world.task, keep = second, world.task
    world.entry(State.SUBMITTED, summary="预算公开")
    draft = world.entry(State.DRAFT, department=world.b, summary="权力清单草稿")
    world.task = keep
    monkeypatch.setattr(selectors, "ALL_MATCHES", all_matches)
    # Walks cut short after one entry: the rest read from the index keyed by task.
    walk_depths(monkeypatch, walked)
    newest = [own[2].pk, own[1].pk, own[0].pk]
    assert found(world.staff, "权力清单") == {world.task.pk: newest}
    assert found(world.reviewer, "权力清单") == {world.task.pk: newest}
    # B's own draft is B's to find, in the task it belongs to.
    assert found(world.b_head, "权力清单") == {world.task.pk: newest, second.pk: [draft.pk]}
    assert found(world.b_head, "权力清单", state=State.DRAFT) == {second.pk: [draft.pk]}


@pytest.mark.parametrize("walked", DEPTHS)
def test_with_many_matches_every_page_counts_its_tasks_as_with_few(world, monkeypatch, walked):
    """With many matches the tasks with one are found for all, and the matches read and
    counted for the page's tasks only: each page as the few-matches path makes it."""
    walk_depths(monkeypatch, walked)
    monkeypatch.setattr(selectors, "TASKS_PER_PAGE", 2)
    monkeypatch.setattr(selectors, "MAX_COUNTED", 3)
    tasks = [world.task]
    for n in range(2, 6):
        task = TaskFactory(section=world.section, number=str(n), title=f"任务{n}", order=n)
        AssignmentFactory(task=task, department=world.a, role="lead")
        tasks.append(task)
    keep = world.task
    for n, task in enumerate(tasks):
        world.task = task
        for m in range(n):  # 0 to 4 matches: the first task has none, the last passes the cap
            world.entry(State.SUBMITTED, summary=f"专项督查{m}", happened_on=f"2030-05-0{m + 1}")
    world.task = keep

    def pages(all_matches):
        monkeypatch.setattr(selectors, "ALL_MATCHES", all_matches)
        shown = []
        for number in (1, 2):
            page = search(user=world.staff, filters=SearchFilters(q="专项督查"), page_number=number)
            shown.append(
                [(t.pk, t.entry_hits, t.more_than_counted, [e.pk for e in t.hits]) for t in page]
            )
        return shown

    few, many = pages(1000), pages(1)
    assert many == few
    # The task without a match is not found; the others, two to a page.
    assert [row[1:3] for page in few for row in page] == [
        (1, False),
        (2, False),
        (3, False),
        (3, True),
    ]
