import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from departments.models import Department, Membership
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tasks_ledger.plan.models import Task

CODES = [
    "general-office",
    "policy-law",
    "admin-service",
    "safety",
    "planning",
    "construction",
    "finance",
    "political",
]


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_without_demo_data_creates_no_accounts():
    seed()
    assert Department.objects.count() == 8
    assert Task.objects.count() == 17
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_demo_accounts_as_the_design_names_them(settings):
    seed("--accounts")
    expected = {"admin", "reviewer", "secrecy"} | set(CODES) | {f"{c}-head" for c in CODES}
    assert set(User.objects.values_list("username", flat=True)) == expected
    assert User.objects.get(username="safety").check_password(settings.DEMO_PASSWORD)
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles["admin"] == "admin" and roles["reviewer"] == "reviewer"
    assert roles["safety"] == "staff" and roles["safety-head"] == "head"
    assert roles["secrecy"] == "confidentiality"
    assert Membership.objects.get(user__username="finance-head").department.code == "finance"
    assert User.objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_demo_people_have_chinese_names_and_valid_phones():
    seed("--accounts")
    people = list(Membership.objects.select_related("user"))
    names = [m.name for m in people]
    assert len(set(names)) == len(people) == 19  # everyone named, no two alike
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", name) for name in names)
    for membership in people:
        membership.full_clean()  # the phone passes the one phone rule
        assert membership.phone
    # Seeding again keeps a name a demo person changed.
    Membership.objects.filter(user__username="safety").update(name="安全员")
    seed("--accounts")
    assert Membership.objects.get(user__username="safety").name == "安全员"


@pytest.mark.django_db
def test_seeding_twice_changes_nothing():
    seed("--accounts")
    before = (User.objects.count(), Task.objects.count(), Task.history.count())
    output = seed("--accounts")
    assert "0 created, 0 updated, 53 unchanged" in output
    assert (User.objects.count(), Task.objects.count(), Task.history.count()) == before


@pytest.mark.django_db
def test_synthetic_entries_are_deterministic_realistic_and_in_history():
    seed("--accounts", "--entries", "300")
    first = list(
        LedgerEntry.objects.order_by("id").values_list(
            "task__title", "department__code", "happened_on", "summary", "status", "state"
        )
    )
    assert len(first) == 300
    assert LedgerEntry.history.count() == 300
    assert Evidence.objects.count() > 0
    # Every entry belongs to a department actually assigned to its task.
    for entry in LedgerEntry.objects.select_related("task")[:50]:
        assert entry.task.assignments.filter(department=entry.department_id).exists()
        assert entry.happened_on.year == 2016

    LedgerEntry.objects.all().delete()
    seed("--entries", "300")
    again = list(
        LedgerEntry.objects.order_by("id").values_list(
            "task__title", "department__code", "happened_on", "summary", "status", "state"
        )
    )
    assert again == first
