"""Evidence files in an S3-compatible store (moto in server mode, tests/object_store.py):
uploaded through the entry form into the bucket, streamed back through the views that
check access, previewed, deleted from the bucket when a draft's evidence is removed (kept
when a submitted version held it), and a store that is missing or unreachable refused in
words, with no row written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks_ledger.ledger import services
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tests.object_store import port_is_free, s3_environment, storages_from
from tests.tasks_ledger.ledger.conftest import PDF
from tests.tasks_ledger.ledger.test_previews import PNG

State = LedgerEntry.State
# Nothing listens here during the tests (checked): a store that cannot be reached.
DEAD_PORT = 8124


def new_entry_with_file(client, world, name="通知 2030.pdf", content=PDF):
    client.force_login(world.staff)
    return client.post(
        reverse("ledger:entry-create", args=[world.task.pk]),
        {
            "happened_on": "2030-05-07",
            "summary": "在门户网站公开权力清单",
            "status": "in_progress",
            "files": [SimpleUploadedFile(name, content)],
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def add_file(world, entry, name="通知 2030.pdf", content=PDF):
    return services.evidence_add(
        entry=entry, by=world.staff, kind="file", file=SimpleUploadedFile(name, content)
    )


def download(client, evidence):
    return client.get(reverse("ledger:evidence-download", args=[evidence.pk]))


def test_an_upload_lands_in_the_bucket_and_only_its_readers_get_it_back(
    client, world, s3_store, settings
):
    response = new_entry_with_file(client, world)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert s3_store.names() == [evidence.file.name]
    assert evidence.file.name.startswith("evidence/") and evidence.file.name.endswith(".pdf")
    assert s3_store.read(evidence.file.name) == PDF
    # Nothing was written to this machine's disk.
    assert not (settings.MEDIA_ROOT).exists()

    mine = download(client, evidence)
    assert mine.status_code == 200
    assert b"".join(mine.streaming_content) == PDF
    assert mine["Content-Disposition"].startswith("attachment;")
    assert "''%E9%80%9A%E7%9F%A5%202030.pdf" in mine["Content-Disposition"]  # 通知 2030.pdf

    # Another department's staff: as if it did not exist (the draft is not theirs to see).
    client.force_login(world.other)
    assert download(client, evidence).status_code == 404
    client.logout()
    assert download(client, evidence)["Location"].startswith("/accounts/login/")


def test_a_submitted_file_is_read_by_other_departments_through_the_view(client, world, s3_store):
    entry = world.entry()
    evidence = add_file(world, entry)
    services.ledger_entry_submit(entry=entry, by=world.head)
    client.force_login(world.other)
    response = download(client, evidence)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_a_preview_comes_from_the_bucket_with_its_safe_headers(client, world, s3_store):
    evidence = add_file(world, world.entry(), "现场.png", PNG)
    client.force_login(world.staff)
    response = client.get(reverse("ledger:evidence-preview", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PNG
    client.force_login(world.other)
    assert client.get(reverse("ledger:evidence-preview", args=[evidence.pk])).status_code == 404


def test_removing_a_drafts_file_deletes_it_from_the_bucket_after_commit(
    client, world, s3_store, django_capture_on_commit_callbacks
):
    entry = world.entry()
    keep, gone = add_file(world, entry, "a.pdf"), add_file(world, entry, "b.pdf")
    client.force_login(world.staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("ledger:evidence-remove", args=[gone.pk]))
        # Not before the removal commits: a rolled-back removal keeps its file.
        assert gone.file.name in s3_store.names()
    for callback in callbacks:
        callback()
    assert s3_store.names() == [keep.file.name]
    assert not Evidence.objects.filter(pk=gone.pk).exists()


def test_a_file_a_submitted_version_held_stays_in_the_bucket_when_removed(
    world, now, s3_store, django_capture_on_commit_callbacks
):
    entry = world.entry()
    seen = add_file(world, entry, "报送时的材料.pdf")
    now.shift(60)
    services.ledger_entry_submit(entry=entry, by=world.head)
    now.shift(60)
    entry = services.ledger_entry_return(entry=entry, by=world.reviewer, reason="请补充")
    now.shift(60)
    added_after = add_file(world, entry, "补充.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_remove(evidence=Evidence.objects.get(pk=seen.pk), by=world.staff)
        services.evidence_remove(evidence=Evidence.objects.get(pk=added_after.pk), by=world.staff)
    # What the office reviewed stays on record; the correction nobody saw leaves.
    assert s3_store.names() == [seen.file.name]
    history = Evidence.history.filter(id=seen.pk, history_type="-").get()
    assert history.file == seen.file.name


def test_a_file_refused_because_the_entry_was_submitted_meanwhile_leaves_no_object(world, s3_store):
    entry = world.entry()
    services.ledger_entry_submit(entry=LedgerEntry.objects.get(pk=entry.pk), by=world.head)
    with pytest.raises(services.EntryLocked):
        add_file(world, entry)
    assert s3_store.names() == []


def test_files_stored_before_a_later_file_is_refused_leave_the_store_with_the_entry(
    world, s3_store
):
    """The entry and its first file are written, the second file is refused: the whole
    write is rolled back, and the first file does not stay behind in the bucket unnamed."""
    with pytest.raises(services.EntryInvalid) as refused:
        services.ledger_entry_record(
            task=world.task,
            department=world.a,
            by=world.staff,
            data={"happened_on": "2030-05-07", "summary": "公开权力清单", "status": "in_progress"},
            evidence=[
                {"kind": "file", "file": SimpleUploadedFile("通知.pdf", PDF)},
                {"kind": "file", "file": SimpleUploadedFile("程序.exe", b"MZ\x90\x00")},
            ],
        )
    assert "evidence.1.file" in refused.value.errors
    assert LedgerEntry.objects.count() == 0 and Evidence.objects.count() == 0
    assert s3_store.names() == []


def test_files_of_a_revision_whose_submit_is_refused_leave_the_disk_store(world, settings):
    """The same on this machine's disk: a correction with a file, submitted by someone who
    may not submit, is refused whole, and its file is gone from MEDIA_ROOT."""
    entry = world.entry()
    assert not world.a.staff_may_submit
    with pytest.raises(services.NotAllowed):
        services.ledger_entry_revise(
            entry=entry,
            by=world.staff,
            version=entry.version,
            data={"happened_on": "2030-05-08", "summary": "补充材料", "status": "in_progress"},
            evidence=[{"kind": "file", "file": SimpleUploadedFile("通知.pdf", PDF)}],
            submit=True,
        )
    assert Evidence.objects.count() == 0
    stored = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
    assert stored == []


def refused_upload_saves_nothing(response, name, *, entries=0, evidence=0):
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{name}未保存：文件存储暂时无法连接，请稍后再试。" in page
    assert "在门户网站公开权力清单" in page  # the text typed is kept in the form
    # The entry's row and its evidence's were rolled back with the upload.
    assert LedgerEntry.objects.count() == entries and Evidence.objects.count() == evidence


def test_a_missing_bucket_refuses_the_upload_in_words_and_writes_no_row(
    client, world, s3_store, settings, monkeypatch
):
    environment = s3_environment(endpoint=s3_store.endpoint, bucket="no-such-bucket")
    settings.STORAGES = storages_from(environment, monkeypatch)
    refused_upload_saves_nothing(new_entry_with_file(client, world), "通知 2030.pdf")


def test_an_unreachable_store_refuses_the_upload_and_the_download_in_words(
    client, world, s3_store, settings, monkeypatch
):
    assert port_is_free(DEAD_PORT)
    evidence = add_file(world, world.entry())
    environment = s3_environment(endpoint=f"http://127.0.0.1:{DEAD_PORT}", bucket=s3_store.bucket)
    settings.STORAGES = storages_from(environment | {"S3_CONNECT_TIMEOUT": "1"}, monkeypatch)

    response = new_entry_with_file(client, world, "第二份.pdf")
    refused_upload_saves_nothing(response, "第二份.pdf", entries=1, evidence=1)

    response = download(client, evidence)
    assert response.status_code == 503
    page = response.content.decode()
    assert "文件存储不可用" in page and "文件存储暂时无法连接，请稍后再试。" in page
    assert "Traceback" not in page and "botocore" not in page


def test_a_file_gone_from_the_bucket_is_not_found(client, world, s3_store):
    evidence = add_file(world, world.entry())
    s3_store.client.delete_object(Bucket=s3_store.bucket, Key=evidence.file.name)
    client.force_login(world.staff)
    assert download(client, evidence).status_code == 404
    assert client.get(reverse("ledger:evidence-preview", args=[evidence.pk])).status_code == 404


def test_the_admin_links_the_checked_download_never_the_store(client, world, s3_store):
    evidence = add_file(world, world.entry())
    client.force_login(world.admin)
    for url in (
        reverse("admin:ledger_evidence_change", args=[evidence.pk]),
        reverse("admin:ledger_ledgerentry_change", args=[evidence.entry_id]),
    ):
        page = client.get(url).content.decode()
        assert reverse("ledger:evidence-download", args=[evidence.pk]) in page
        assert s3_store.endpoint not in page and "X-Amz-Signature" not in page
        assert 'type="file"' not in page  # files come only through the checked upload
