"""Acting in bulk: the head submits the department's drafts many at a time, the office
accepts many at a time; each entry through its service, one refusal stopping nothing, and
nothing done without the confirmation."""

from django.urls import reverse

from tasks_ledger.ledger import services
from tasks_ledger.ledger.models import LedgerEntry
from tests.factories import AssignmentFactory, TaskFactory

State = LedgerEntry.State
UNSENT = reverse("ledger:unsent")


def _post(client, url, entries, **extra):
    data = {"entry": [e.pk for e in entries], **extra}
    for e in entries:
        data.setdefault(f"version-{e.pk}", e.version)
    return client.post(url, data, follow=True)


def _messages(response):
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def test_bulk_submit_with_a_stale_and_a_smuggled_entry_submits_the_others(client, world):
    first = world.entry(summary="第一条")
    stale = world.entry(summary="过时的一条")
    third = world.entry(summary="第三条")
    # B's submitted entry is visible to A, but not A's to submit; B's draft is not visible.
    foreign = world.entry(State.SUBMITTED, department=world.b, summary="乙处的")
    foreign_draft = world.entry(department=world.b, summary="乙处草稿")
    old_version = stale.version
    services.ledger_entry_update(
        entry=stale, by=world.staff, version=stale.version, data={"problems": "有人刚改过"}
    )
    client.force_login(world.head)
    data = {
        "entry": [first.pk, stale.pk, third.pk, foreign.pk, foreign_draft.pk],
        f"version-{first.pk}": first.version,
        f"version-{stale.pk}": old_version,
        f"version-{third.pk}": third.version,
        "confirm": "yes",
        "next": UNSENT,
    }
    response = client.post(reverse("ledger:bulk-submit"), data, follow=True)
    assert response.redirect_chain[-1][0] == UNSENT
    states = dict(LedgerEntry.objects.values_list("summary", "state"))
    assert states["第一条"] == states["第三条"] == State.SUBMITTED
    assert states["过时的一条"] == State.DRAFT
    assert states["乙处的"] == State.SUBMITTED  # untouched: still B's, still submitted once
    assert states["乙处草稿"] == State.DRAFT
    said = _messages(response)
    assert said[0] == ("success", "已将 2 条台账记录报送局办公室。")
    refused = [text for level, text in said if level == "error"]
    assert len(refused) == 3
    assert "过时的一条" in refused[0] and "您打开这条台账记录后，已有其他人保存了修改" in refused[0]
    assert "乙处的" in refused[1] and "只有本处室人员可以修改本处室的台账" in refused[1]
    assert f"#{foreign_draft.pk}" in refused[2]
    # The list now holds only the refused draft.
    page = response.content.decode()
    assert f'data-entry="{stale.pk}"' in page
    assert f'data-entry="{first.pk}"' not in page


def test_bulk_submit_without_confirmation_changes_nothing_and_asks(client, world):
    entries = [world.entry(summary="一"), world.entry(summary="二")]
    client.force_login(world.head)
    response = _post(client, reverse("ledger:bulk-submit"), entries)
    assert response.status_code == 200
    assert not LedgerEntry.objects.exclude(state=State.DRAFT).exists()
    page = response.content.decode()
    assert "报送 2 条台账记录" in page
    assert 'name="confirm" value="yes"' in page
    # The page posts the same choice again: doing so submits both.
    for e in entries:
        assert f'name="entry" value="{e.pk}"' in page
    _post(client, reverse("ledger:bulk-submit"), entries, confirm="yes")
    assert set(LedgerEntry.objects.values_list("state", flat=True)) == {State.SUBMITTED}


def test_bulk_submit_with_nothing_ticked_says_so(client, world):
    client.force_login(world.head)
    response = client.post(reverse("ledger:bulk-submit"), {"confirm": "yes"}, follow=True)
    assert _messages(response) == [("error", "请先勾选至少一条记录。")]


def test_staff_who_may_submit_alone_still_do_not_submit_in_bulk(client, world):
    world.a.staff_may_submit = True
    world.a.save()
    entry = world.entry()
    client.force_login(world.staff)
    response = _post(client, reverse("ledger:bulk-submit"), [entry], confirm="yes")
    assert response.status_code == 403
    assert LedgerEntry.objects.get(pk=entry.pk).state == State.DRAFT


def test_the_unsent_list_filters_by_task_author_and_state(client, world):
    other_task = TaskFactory(section=world.section, number="二", title="另一项", order=2)
    AssignmentFactory(task=other_task, department=world.a)
    by_staff = world.entry(summary="经办人写的")
    by_staff.author = world.staff
    by_staff.save()
    by_head = world.entry(summary="负责人写的")
    on_other = services.ledger_entry_create(
        task=other_task,
        department=world.a,
        by=world.staff2,
        data={"happened_on": "2030-05-06", "summary": "另一项的"},
    )
    returned = world.entry(State.RETURNED, summary="退回的")
    client.force_login(world.head)

    def shown(**query):
        page = client.get(UNSENT, query).content.decode()
        return {
            e.summary
            for e in (by_staff, by_head, on_other, returned)
            if f'data-entry="{e.pk}"' in page
        }

    assert shown() == {"经办人写的", "负责人写的", "另一项的"}
    assert shown(task=other_task.pk) == {"另一项的"}
    assert shown(author=world.staff.pk) == {"经办人写的"}
    assert shown(state="returned") == {"退回的"}
    # Junk in the filters is ignored, never a traceback.
    assert shown(task="x", author="", state="nonsense") == {"经办人写的", "负责人写的", "另一项的"}


def test_the_unsent_list_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    def load():
        client.force_login(world.head)
        with django_assert_num_queries(3 + 5) as captured:
            # session, user with membership, the 待办 counts; + the current plan; the tasks
            # and the authors of the filters; the page's count; the page of entries.
            response = client.get(UNSENT)
        assert response.status_code == 200
        return len(captured)

    world.entry()
    few = load()
    for n in range(12):
        world.entry(summary=f"第{n}条")
    assert load() == few


def test_bulk_accept_accepts_the_ticked_and_reports_a_stale_one(client, world):
    fine = world.entry(State.SUBMITTED, summary="可以采纳")
    stale = world.entry(State.SUBMITTED, department=world.b, summary="已被退回")
    untouched = world.entry(State.SUBMITTED, summary="没勾选")
    version = stale.version
    services.ledger_entry_return(entry=stale, by=world.reviewer, reason="缺少文号")
    client.force_login(world.reviewer)
    queue = reverse("ledger:review-queue")
    response = client.post(
        reverse("ledger:bulk-accept"),
        {
            "entry": [fine.pk, stale.pk],
            f"version-{fine.pk}": fine.version,
            f"version-{stale.pk}": version,
            "confirm": "yes",
            "next": queue,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == queue
    states = dict(LedgerEntry.objects.values_list("summary", "state"))
    assert states == {
        "可以采纳": State.ACCEPTED,
        "已被退回": State.RETURNED,
        "没勾选": State.SUBMITTED,
    }
    said = _messages(response)
    assert said[0] == ("success", "已采纳 1 条台账记录。")
    assert said[1][0] == "error" and "已被退回" in said[1][1]
    assert f'data-entry="{untouched.pk}"' in response.content.decode()


def test_bulk_accept_without_confirmation_changes_nothing(client, world):
    entry = world.entry(State.SUBMITTED)
    client.force_login(world.reviewer)
    response = _post(client, reverse("ledger:bulk-accept"), [entry])
    assert response.status_code == 200
    assert "采纳 1 条台账记录" in response.content.decode()
    assert LedgerEntry.objects.get(pk=entry.pk).state == State.SUBMITTED


def test_single_submit_and_accept_ask_first(client, world):
    draft = world.entry()
    client.force_login(world.head)
    url = reverse("ledger:entry-submit", args=[draft.pk])
    response = client.post(url, {"version": draft.version})
    assert response.status_code == 200 and 'name="confirm" value="yes"' in response.content.decode()
    assert LedgerEntry.objects.get(pk=draft.pk).state == State.DRAFT
    submitted = world.entry(State.SUBMITTED)
    client.force_login(world.reviewer)
    response = client.post(reverse("ledger:entry-accept", args=[submitted.pk]))
    assert response.status_code == 200
    assert LedgerEntry.objects.get(pk=submitted.pk).state == State.SUBMITTED


def test_save_and_submit_without_confirmation_keeps_a_draft(client, world):
    client.force_login(world.head)
    response = client.post(
        reverse("ledger:entry-create", args=[world.task.pk]),
        {
            "happened_on": "2030-05-07",
            "summary": "写完就报",
            "status": "in_progress",
            "submit": "1",
        },
        follow=True,
    )
    assert LedgerEntry.objects.get().state == State.DRAFT
    assert _messages(response) == [("warning", "草稿已保存，尚未报送：请在下方报送。")]
