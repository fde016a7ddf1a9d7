"""Who may use the plan import page, and who sees it in the navigation."""

import pytest
from django.urls import reverse

from tasks_ledger.plan.models import ImportDraft, Plan
from tests.factories import UserFactory
from tests.tasks_ledger.plan.importing import START, draft_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "expected"), [("staff", 403), ("head", 403), ("reviewer", 200), ("admin", 200)]
)
def test_only_the_office_and_the_administrator_may_import(client, people, draft, persona, expected):
    client.force_login(people[persona])
    assert client.get(START).status_code == expected
    if persona == "reviewer":
        assert client.get(draft_url(draft)).status_code == 200
    elif expected == 403:
        assert client.get(draft_url(draft)).status_code == 403
        for name in (
            "plans:draft-commit",
            "plans:draft-year",
            "plans:draft-map",
            "plans:draft-discard",
        ):
            assert client.post(draft_url(draft, name)).status_code == 403
    assert ImportDraft.objects.count() == 1 and not Plan.objects.exists()


def test_a_signed_in_user_without_a_role_is_refused(client, draft):
    client.force_login(UserFactory())
    assert client.get(START).status_code == 403


def test_a_superuser_may_import(client, draft):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(START).status_code == 200


@pytest.mark.parametrize("name", ["plans:draft", "plans:draft-commit"])
def test_anonymous_is_sent_to_sign_in(client, draft, name):
    response = client.get(START) if name == "plans:draft" else client.post(draft_url(draft, name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert ImportDraft.objects.count() == 1


def test_another_office_members_draft_is_not_found(client, people, draft):
    client.force_login(people["admin"])
    assert client.get(draft_url(draft)).status_code == 404
    assert client.post(draft_url(draft, "plans:draft-commit")).status_code == 404
    assert ImportDraft.objects.filter(pk=draft.pk).exists()


def test_the_office_sees_the_link_in_the_navigation(client, people):
    client.force_login(people["reviewer"])
    assert START in client.get(reverse("plan-overview")).content.decode()
    client.force_login(people["staff"])
    assert START not in client.get(reverse("plan-overview")).content.decode()
