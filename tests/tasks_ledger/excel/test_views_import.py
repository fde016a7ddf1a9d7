"""The ledger import pages: upload, preview, change a row's task, apply; unsafe files refused
before parsing; who may import."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tasks_ledger.ledger.models import LedgerEntry
from tasks_ledger.plan.models import Plan, Task
from tests.factories import UserFactory
from tests.tasks_ledger.excel.ledger_books import hand_made
from tests.tasks_ledger.plan import documents

URL = "/ledger/import/"
User = get_user_model()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def current(plan_2016, demo_accounts):
    Plan.objects.filter(pk=plan_2016.pk).update(status=Plan.Status.ACTIVE)
    return Task.objects.get(plan=plan_2016, section__number="二", number="一")


def upload(client, data, name="台账.xlsx", **fields):
    return client.post(URL, {"file": SimpleUploadedFile(name, data, content_type=XLSX), **fields})


def test_upload_preview_change_a_task_and_apply(client, current):
    client.force_login(User.objects.get(username="policy-law"))
    data = hand_made(
        [
            [
                1,
                current.title,
                "政策法规处",
                "",
                "召开会议",
                "",
                "",
                "宿交发〔2016〕9号",
                "2016-06-01",
            ],
            [2, "某项不存在的工作内容", "政策法规处", "", "另一项工作", "", "", "", "2016-06-02"],
        ]
    )
    page = upload(client, data, default_date="2016-06-30")
    body = page.content.decode()
    assert page.status_code == 200 and "导入预览" in body
    assert "2016年台账 · 行 5 · 列 B" in body  # the unknown task, by sheet, row and column
    assert "按标题推测" in body
    assert not LedgerEntry.objects.exists()  # a preview writes nothing

    chosen = {"action": "preview", "task:2016年台账!5": str(current.pk)}
    again = client.post(URL, chosen).content.decode()
    assert "确认导入：新增2条，修改0条" in again

    done = client.post(URL, chosen | {"action": "apply"})
    assert done.status_code == 302 and done["Location"] == reverse("ledger:home")
    entries = LedgerEntry.objects.order_by("happened_on")
    assert [e.summary for e in entries] == ["召开会议", "另一项工作"]
    assert entries[0].evidence.get().doc_number == "宿交发〔2016〕9号"
    assert entries[0].history.get().history_change_reason == "导入自 台账.xlsx"
    # The stored upload is gone with the session's key: applying twice does nothing more.
    client.post(URL, chosen | {"action": "apply"})
    assert LedgerEntry.objects.count() == 2


def test_an_oversized_file_is_refused_before_parsing(client, current, settings):
    settings.IMPORT_MAX_BYTES = 1000
    client.force_login(User.objects.get(username="policy-law"))
    page = upload(client, b"x" * 2000).content.decode()
    assert "文件超过 0.00 MB 的上限" in page and "导入预览" not in page


def test_a_zip_bomb_is_refused_before_parsing(client, current):
    client.force_login(User.objects.get(username="reviewer"))
    bomb = documents.zip_bomb(documents.blank_xlsx(), "xl/worksheets/sheet1.xml", 300)
    page = upload(client, bomb, name="bomb.xlsx")
    body = page.content.decode()
    assert page.status_code == 200 and "导入预览" not in body
    assert "bomb.xlsx" in body and "MB" in body


def test_not_an_xlsx_is_refused(client, current):
    client.force_login(User.objects.get(username="policy-law"))
    page = upload(client, b"a,b\n", name="ledger.csv")
    assert ".xlsx" in page.content.decode() and "导入预览" not in page.content.decode()


def test_the_upload_page_and_who_may_see_it(client, current):
    client.force_login(User.objects.get(username="policy-law"))
    page = client.get(URL).content.decode()
    assert "导入Excel台账" in page and 'name="department"' not in page
    assert timezone.localdate().isoformat() in page  # the date of the work, by default today
    client.force_login(User.objects.get(username="reviewer"))
    assert 'name="department"' in client.get(URL).content.decode()
    client.force_login(UserFactory(username="nobody"))
    assert client.get(URL).status_code == 403
