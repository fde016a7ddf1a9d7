"""factory_boy factories for test data (the seed plan comes from the `plan_2016` fixture)."""

import datetime

import factory
from django.contrib.auth import get_user_model

from departments.models import Department, Membership
from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Assignment, Deadline, Plan, Section, Task


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"测试处{n}")
    code = factory.Sequence(lambda n: f"dept-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.cn")
    password = factory.django.Password("pw-for-tests")


def member(department=None, role=Membership.Role.STAFF, *, name="", phone="", **user_fields):
    """A user with a membership: the persona of a test (unnamed unless `name` is given, so
    pages show the username in its place)."""
    user = UserFactory(**user_fields)
    Membership.objects.update_or_create(
        user=user, defaults={"department": department, "role": role, "name": name, "phone": phone}
    )
    return user


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    year = factory.Sequence(lambda n: 2030 + n)
    title = factory.LazyAttribute(lambda p: f"{p.year}年政务公开工作实施方案")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    plan = factory.SubFactory(PlanFactory)
    # Numbers as written are short (一, 二, …); a sequence keeps them unique and short.
    number = factory.Sequence(lambda n: f"S{n}")
    title = "围绕深化改革推进公开"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    section = factory.SubFactory(SectionFactory)
    plan = factory.LazyAttribute(lambda t: t.section.plan)
    number = factory.Sequence(lambda n: f"T{n}")
    title = "推进政务服务公开"
    body = "推进公共企事业单位办事公开。"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    task = factory.SubFactory(TaskFactory)
    department = factory.SubFactory(DepartmentFactory)
    role = Assignment.Role.LEAD


class DeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deadline

    task = factory.SubFactory(TaskFactory)
    text = "2030年9月底前"
    kind = Deadline.Kind.DATE
    due = datetime.date(2030, 9, 30)


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerEntry

    task = factory.SubFactory(TaskFactory)
    department = factory.SubFactory(DepartmentFactory)
    author = factory.SubFactory(UserFactory)
    happened_on = datetime.date(2016, 6, 1)
    summary = "在门户网站公开权力清单"
