"""Evidence through an S3 store in Chromium (moto in server mode, tests/object_store.py): a
file attached in the entry form lands in the bucket and downloads back; when the store
cannot be reached the download is a page saying so, which fits a phone."""

from pathlib import Path

import pytest

from departments.models import Department
from tasks_ledger.ledger.models import Evidence
from tasks_ledger.plan.models import Assignment
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_phone_width import HEIGHT, OFF_SCREEN, WIDTH
from tests.object_store import s3_environment, storages_from

pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
DEAD_PORT = 8125  # nothing listens here during the tests


def test_a_file_goes_to_the_bucket_and_back_and_a_lost_store_is_said_in_words(
    new_page, demo_accounts, s3_store, settings, monkeypatch, tmp_path
):
    Department.objects.filter(code="policy-law").update(staff_may_submit=True)
    assignment = Assignment.objects.filter(department__code="policy-law")[0]
    page = new_page()
    sign_in(page, "policy-law", demo_accounts)
    page.goto(f"/ledger/tasks/{assignment.task_id}/new/")
    page.fill("#id_happened_on", "2016-06-15")
    page.fill("#id_summary", "在局门户网站公开权力清单")
    evidence_file = tmp_path / "权力清单.pdf"
    evidence_file.write_bytes(PDF)
    page.set_input_files("#id_files", str(evidence_file))
    page.click("#save")
    page.wait_for_load_state()

    evidence = Evidence.objects.get(filename="权力清单.pdf")
    assert s3_store.names() == [evidence.file.name]
    with page.expect_download() as download:
        page.click("text=权力清单.pdf")
    assert Path(download.value.path()).read_bytes() == PDF

    environment = s3_environment(endpoint=f"http://127.0.0.1:{DEAD_PORT}", bucket=s3_store.bucket)
    settings.STORAGES = storages_from(environment | {"S3_CONNECT_TIMEOUT": "1"}, monkeypatch)
    phone = new_page(width=WIDTH, height=HEIGHT)
    sign_in(phone, "policy-law", demo_accounts)
    response = phone.goto(f"/ledger/evidence/{evidence.pk}/download/")
    assert response.status == 503
    assert phone.locator("h1").inner_text() == "文件存储不可用"
    assert phone.locator("[role=alert]").inner_text() == "文件存储暂时无法连接，请稍后再试。"
    assert phone.evaluate(OFF_SCREEN, WIDTH) == []
    screenshot(phone, "store-unavailable-phone")
