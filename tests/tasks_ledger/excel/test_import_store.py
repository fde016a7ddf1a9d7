"""A ledger import keeps its upload between the preview and the apply in the file store: in
an S3 bucket when one is configured (moto in server mode, tests/object_store.py), so that
the apply may reach another web server than the preview did; gone from the bucket once
applied; a store that fails refused in words on the file field."""

import pytest
from django.contrib.auth import get_user_model

from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Plan, Task
from tests.object_store import s3_environment, storages_from
from tests.tasks_ledger.excel.ledger_books import hand_made
from tests.tasks_ledger.excel.test_views_import import URL, upload

User = get_user_model()


@pytest.fixture
def current(plan_2016, demo_accounts):
    Plan.objects.filter(pk=plan_2016.pk).update(status=Plan.Status.ACTIVE)
    return Task.objects.get(plan=plan_2016, section__number="二", number="一")


def workbook(task):
    row = [1, task.title, "政策法规处", "", "召开会议", "", "", "", "2016-06-01"]
    return hand_made([row])


def test_the_upload_waits_in_the_bucket_and_leaves_it_when_applied(client, current, s3_store):
    client.force_login(User.objects.get(username="policy-law"))
    data = workbook(current)
    page = upload(client, data, default_date="2016-06-30")
    assert page.status_code == 200 and "导入预览" in page.content.decode()
    (name,) = s3_store.names()
    assert name.startswith("ledger-imports/") and s3_store.read(name) == data

    done = client.post(URL, {"action": "apply"})
    assert done.status_code == 302
    assert LedgerEntry.objects.get().summary == "召开会议"
    assert s3_store.names() == []


def test_a_missing_bucket_refuses_the_upload_on_its_field(
    client, current, s3_store, settings, monkeypatch
):
    environment = s3_environment(endpoint=s3_store.endpoint, bucket="no-such-bucket")
    settings.STORAGES = storages_from(environment, monkeypatch)
    client.force_login(User.objects.get(username="policy-law"))
    page = upload(client, workbook(current)).content.decode()
    assert "文件存储暂时无法连接，请稍后再试。" in page and "导入预览" not in page
    assert "ledger_import" not in client.session
