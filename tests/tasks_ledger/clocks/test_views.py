"""The clock pages: who may do what (a permission matrix), recording an event and a
fulfilment in the browser, the clock board and its query counts, the task fragment."""

import datetime

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tasks_ledger.clocks.models import Event, Obligation
from tasks_ledger.clocks.selectors import may_record_event, recordable_tasks, task_clock_context
from tests.factories import AssignmentFactory, TaskFactory
from tests.tasks_ledger.clocks.conftest import at
from tests.tasks_ledger.clocks.factories import entry_with_evidence
from tests.tasks_ledger.clocks.test_services import record_document, record_emergency

NOW = at(2016, 10, 4, 2, 45)
PERSONAS = ["anonymous", "staff", "head", "b_staff", "other", "reviewer", "admin", "nobody"]


@pytest.fixture(autouse=True)
def _fixed_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def events(document_task, emergency_task, people):
    return {
        # Due Fri 2016-09-23: breached by NOW.
        "document": record_document(document_task, people["staff"], at(2016, 9, 20, 16, 0)),
        "emergency": record_emergency(emergency_task, people["staff"], at(2016, 10, 3, 22, 30)),
    }


@pytest.fixture
def client_as(client, people):
    def sign_in(persona):
        if persona != "anonymous":
            client.force_login(people[persona])
        return client

    return sign_in


EMERGENCY_FORM = {
    "kind": "emergency",
    "title": "京杭运河宿迁段船舶碰撞",
    "location": "京杭运河宿迁段",
    "severity": "major",
    "occurred_at": "2016-10-04T01:15",
}


# Who may open the pages: the owning department, and the partner on the document task
# (it owes the document's clock too); another department gets 404; the office everything;
# an account with no role the same 403 on every page.
@pytest.mark.parametrize(
    ("persona", "board", "record_emergency_task", "see_emergency"),
    [
        ("anonymous", 302, 302, 302),
        ("staff", 200, 200, 200),
        ("head", 200, 200, 200),
        ("b_staff", 200, 404, 404),
        ("other", 200, 404, 404),
        ("reviewer", 200, 200, 200),
        ("admin", 200, 200, 200),
        ("nobody", 403, 403, 403),
    ],
)
def test_page_permissions(client_as, events, persona, board, record_emergency_task, see_emergency):
    client = client_as(persona)
    emergency = events["emergency"]
    assert client.get(reverse("clocks:board")).status_code == board
    record = reverse("clocks:event-record", args=[emergency.task_id])
    assert client.get(record).status_code == record_emergency_task
    detail = reverse("clocks:event-detail", args=[emergency.pk])
    assert client.get(detail).status_code == see_emergency


@pytest.mark.parametrize(
    ("persona", "status", "recorded"),
    [("staff", 302, True), ("other", 404, False), ("b_staff", 404, False), ("reviewer", 302, True)],
)
def test_recording_an_event_in_the_browser(
    client_as, emergency_task, people, persona, status, recorded
):
    response = client_as(persona).post(
        reverse("clocks:event-record", args=[emergency_task.pk]), EMERGENCY_FORM
    )
    assert response.status_code == status
    assert Event.objects.exists() == recorded
    if recorded:
        event = Event.objects.get()
        assert response["Location"] == reverse("clocks:event-detail", args=[event.pk])
        assert sorted(event.obligations.values_list("deadline_text", "due_at")) == [
            ("24小时内", at(2016, 10, 5, 1, 15)),
            ("5小时内", at(2016, 10, 4, 6, 15)),
        ]


def test_a_bad_event_form_names_the_fields(client_as, emergency_task):
    url = reverse("clocks:event-record", args=[emergency_task.pk])
    form = EMERGENCY_FORM | {"severity": "", "occurred_at": "2016-10-05T09:00"}
    response = client_as("staff").post(url, form)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"severity", "occurred_at"}
    response = client_as("staff").post(
        url, {"kind": "document", "title": "某文件", "occurred_at": "2016-10-01T09:00"}
    )
    assert set(response.context["form"].errors) == {"url"}
    assert not Event.objects.exists()


def fulfil_url(obligation):
    return reverse("clocks:obligation-fulfil", args=[obligation.pk])


def fulfil_form(obligation, entry, when="2016-10-04T02:40"):
    return {f"o{obligation.pk}-entry": entry.pk, f"o{obligation.pk}-at": when}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("staff", 302),
        ("head", 302),
        ("reviewer", 302),
        ("admin", 302),
        ("b_staff", 403),  # sees the document's obligations, may not close another's
        ("other", 404),
        ("anonymous", 302),
    ],
)
def test_fulfilment_permissions(client_as, events, departments, persona, status):
    obligation = events["document"].obligations.get(department=departments["own"])
    entry = entry_with_evidence(task=obligation.event.task, department=departments["own"])
    response = client_as(persona).post(fulfil_url(obligation), fulfil_form(obligation, entry))
    assert response.status_code == status
    obligation.refresh_from_db()
    assert (obligation.fulfilled_by == entry) == (status == 302 and persona != "anonymous")


def test_fulfilment_in_the_browser_shows_on_time_or_late(client_as, events, departments):
    client = client_as("staff")
    five = events["emergency"].obligations.get(deadline_text="5小时内")
    entry = entry_with_evidence(task=five.event.task, department=departments["own"])
    page = client.get(reverse("clocks:event-detail", args=[five.event_id]))
    assert entry.summary[:20] in page.content.decode()  # offered in the fulfilment form
    response = client.post(fulfil_url(five), fulfil_form(five, entry, "2016-10-04T02:40"))
    assert response.status_code == 302
    five = Obligation.objects.with_state(NOW).get(pk=five.pk)
    assert (five.state, five.fulfilled_at) == ("met", at(2016, 10, 4, 2, 40))


def test_a_refused_fulfilment_names_the_field(client_as, events, departments):
    five = events["emergency"].obligations.get(deadline_text="5小时内")
    entry = entry_with_evidence(task=five.event.task, department=departments["own"])
    response = client_as("staff").post(
        fulfil_url(five), fulfil_form(five, entry, "2016-10-03T20:00")
    )
    assert response.status_code == 400
    [form] = [o.form for o in response.context["obligations"] if o.pk == five.pk]
    assert list(form.errors) == ["at"]


def test_the_board_for_a_department_and_for_the_office(client_as, events, departments):
    page = client_as("b_staff").get(reverse("clocks:board")).context
    # The partner owes only the document's clock, long breached by now.
    assert [(o.department, o.state) for o in page["board"].breached] == [
        (departments["partner"], "overdue")
    ]
    assert page["board"].open == []
    office = client_as("reviewer").get(reverse("clocks:board")).context
    assert [(o.deadline_text, o.state) for o in office["board"].open] == [
        ("5小时内", "due_soon"),
        ("24小时内", "open"),
    ]
    assert len(office["board"].breached) == 2
    body = client_as("reviewer").get(reverse("clocks:board")).content.decode()
    assert "45" in body and "分钟" in body  # 45 minutes left on the 5-hour clock


def test_on_time_rates_per_department_and_kind_over_a_period(client_as, events, departments):
    five = events["emergency"].obligations.get(deadline_text="5小时内")
    five.fulfilled_by = entry_with_evidence(task=five.event.task, department=departments["own"])
    five.fulfilled_at = at(2016, 10, 4, 2, 0)
    five.save()
    client = client_as("reviewer")
    rates = client.get(reverse("clocks:board"), {"since": "2016-09-01", "until": "2016-10-31"})
    by_department = {
        r.label: (r.met, r.late, r.overdue, r.pending, r.percent)
        for r in rates.context["rates"]["department"]
    }
    assert by_department == {
        "政策法规处": (1, 0, 1, 1, 50.0),
        "政治处": (0, 0, 1, 0, 0.0),
    }
    by_kind = {r.label: (r.met, r.overdue, r.pending) for r in rates.context["rates"]["kind"]}
    document, emergency = str(Event.Kind.DOCUMENT.label), str(Event.Kind.EMERGENCY.label)
    assert by_kind == {
        f"{document} · 3个工作日内": (0, 2, 0),
        f"{emergency} · 24小时内": (0, 0, 1),
        f"{emergency} · 5小时内": (1, 0, 0),
    }
    # A period before anything was due counts nothing; the office may pick a department.
    empty = client.get(reverse("clocks:board"), {"since": "2016-08-01", "until": "2016-08-31"})
    assert empty.context["rates"]["department"] == []
    one = client.get(reverse("clocks:board"), {"department": "political"})
    assert {o.department.code for o in one.context["board"].breached} == {"political"}


def test_a_bad_period_is_said_and_the_default_used(client_as, events):
    response = client_as("reviewer").get(
        reverse("clocks:board"), {"since": "2016-10-31", "until": "2016-10-01"}
    )
    assert response.status_code == 200
    assert "until" in response.context["form"].errors
    assert response.context["since"] == datetime.date(2016, 1, 1)


def test_the_board_runs_a_fixed_number_of_queries(
    client_as, events, document_task, people, django_assert_num_queries
):
    client = client_as("reviewer")

    def count():
        # Warm the session and the header's 待办 counts (kept in the cache once counted).
        client.get(reverse("clocks:board"))
        with django_assert_num_queries(9) as captured:
            client.get(reverse("clocks:board"))
        return captured

    count()
    for day in (1, 2, 3):
        record_document(document_task, people["staff"], at(2016, 10, day, 9, 0))
    # 1 session, 2 user with membership and department (MemberBackend), 3 open,
    # 4 breached, 5 closed, 6 rates by department, 7 rates by kind, 8 departments for the
    # filter, 9 tasks the user may record events for.
    count()


def test_the_task_fragment(
    rf: RequestFactory, events, people, emergency_task, django_assert_num_queries
):
    user = type(people["staff"]).objects.get(pk=people["staff"].pk)  # nothing cached
    with django_assert_num_queries(5):
        # 1 membership, 2 its department, 3 events, 4 their obligations, 5 may the user
        # record events for this task
        context = task_clock_context(task=emergency_task, user=user, now=NOW)
    html = render_to_string("clocks/_task_events.html", context)
    assert "京杭运河宿迁段船舶碰撞" in html
    assert "5小时内" in html and "24小时内" in html
    assert reverse("clocks:event-record", args=[emergency_task.pk]) in html
    other = task_clock_context(task=emergency_task, user=people["other"], now=NOW)
    assert other["clock_events"] == [] and not other["clock_can_record"]


def test_the_task_page_asks_who_may_record_as_the_whole_rule_answers(
    people, emergency_task, document_task, section
):
    """may_record_event (one task, one plain read) agrees with recordable_tasks (the
    rule as a query) for every persona, on tasks assigned or not, with or without a
    deadline that counts from an event."""
    no_clock = TaskFactory(section=section, number="三", title="没有事件时限的任务")
    AssignmentFactory(task=no_clock, department=people.a)
    tasks = [emergency_task, document_task, no_clock]
    seen = set()
    for persona in ("staff", "head", "b_staff", "other", "reviewer", "admin", "nobody"):
        user = people[persona]
        may = {task.pk for task in tasks if may_record_event(user, task)}
        assert may == set(
            recordable_tasks(user).filter(pk__in=[t.pk for t in tasks]).values_list("pk", flat=True)
        ), persona
        seen.add(frozenset(may))
    assert len(seen) >= 3  # some may record both, some one, some none


def test_recent_events_fragment_for_the_dashboard(client_as, events, django_assert_num_queries):
    client = client_as("reviewer")
    client.get(reverse("clocks:board"))  # warm the session
    # 1 session, 2 user with membership and department, 3 events, 4 their obligations
    with django_assert_num_queries(4):
        response = client.get(reverse("clocks:recent-events"))
    html = response.content.decode()
    assert "京杭运河宿迁段船舶碰撞" in html and "24小时内" in html
    assert client_as("other").get(reverse("clocks:recent-events")).status_code == 200
    assert (
        "京杭运河宿迁段船舶碰撞"
        not in client_as("other").get(reverse("clocks:recent-events")).content.decode()
    )
