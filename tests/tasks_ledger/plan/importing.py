"""Driving the plan import page in the tests: the start URL, an upload, a draft's URLs,
and a plan already stored to import over."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks_ledger.plan.services import plan_import
from tests.tasks_ledger.plan.intake import as_file, plan_json

START = reverse("plans:import")


def upload(client, data, name="plan.json"):
    return client.post(
        START, {"file": SimpleUploadedFile(name, as_file(data) if isinstance(data, dict) else data)}
    )


def draft_url(draft, name="plans:draft"):
    return reverse(name, args=[draft.pk])


def stored_plan(by=None):
    plan, _summary = plan_import(data=plan_json(), by=by)
    return plan
