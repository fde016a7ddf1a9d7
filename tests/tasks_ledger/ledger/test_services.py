"""The ledger's write rules, called as the views and the API call them."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tasks_ledger.ledger import services
from tasks_ledger.ledger.models import Evidence, LedgerEntry
from tests.factories import TaskFactory
from tests.tasks_ledger.ledger.conftest import PDF

State = LedgerEntry.State


def test_staff_saves_a_draft_with_history(world):
    entry = services.ledger_entry_create(
        task=world.task,
        department=world.a,
        by=world.staff,
        data={"happened_on": "2030-05-06", "summary": " 召开专题会议 ", "status": "in_progress"},
    )
    assert (entry.state, entry.version, entry.summary, entry.author) == (
        State.DRAFT,
        1,
        "召开专题会议",
        world.staff,
    )
    record = entry.history.get()
    assert (record.history_type, record.history_user) == ("+", world.staff)


@pytest.mark.parametrize("who", ["other", "reviewer", "admin", "b_head"])
def test_only_the_own_department_creates(world, who):
    with pytest.raises(services.NotAllowed):
        services.ledger_entry_create(
            task=world.task,
            department=world.a,
            by=getattr(world, who),
            data={"happened_on": "2030-05-06", "summary": "x"},
        )
    assert not LedgerEntry.objects.exists()


def test_a_task_not_assigned_to_the_department_is_refused(world):
    with pytest.raises(services.TaskNotAssigned):
        services.ledger_entry_create(
            task=TaskFactory(section=world.section, number="二"),
            department=world.a,
            by=world.staff,
            data={"happened_on": "2030-05-06", "summary": "x"},
        )


def test_bad_input_names_every_field(world):
    with pytest.raises(services.EntryInvalid) as caught:
        services.ledger_entry_create(
            task=world.task,
            department=world.a,
            by=world.staff,
            data={"happened_on": "not a date", "summary": "", "status": "finished"},
        )
    assert set(caught.value.errors) == {"happened_on", "summary", "status"}
    assert not LedgerEntry.objects.exists()


def test_update_bumps_the_version_and_keeps_one_history_row_per_change(world):
    entry = world.entry()
    services.ledger_entry_update(entry=entry, by=world.staff, version=1, data={"summary": "改"})
    services.ledger_entry_update(entry=entry, by=world.staff2, version=2, data={"problems": "无"})
    entry.refresh_from_db()
    assert (entry.version, entry.summary, entry.problems) == (3, "改", "无")
    users = [r.history_user.username for r in entry.history.order_by("history_id")]
    assert users == ["a-head", "a-staff", "a-staff2"]


def test_a_stale_version_is_a_conflict_carrying_the_stored_entry(world):
    entry = world.entry()
    services.ledger_entry_update(entry=entry, by=world.staff, version=1, data={"summary": "甲"})
    stale = LedgerEntry.objects.get(pk=entry.pk)
    with pytest.raises(services.EntryConflict) as caught:
        services.ledger_entry_update(entry=stale, by=world.head, version=1, data={"summary": "乙"})
    assert (caught.value.current.summary, caught.value.current.version) == ("甲", 2)
    entry.refresh_from_db()
    assert (entry.summary, entry.version, entry.history.count()) == ("甲", 2, 2)


def test_staff_may_not_submit_unless_the_department_allows_it(world):
    entry = world.entry()
    with pytest.raises(services.NotAllowed):
        services.ledger_entry_submit(entry=entry, by=world.staff)
    entry.refresh_from_db()
    assert entry.state == State.DRAFT
    world.a.staff_may_submit = True
    world.a.save()
    entry = LedgerEntry.objects.get(pk=entry.pk)
    services.ledger_entry_submit(entry=entry, by=world.staff)
    assert entry.state == State.SUBMITTED and entry.submitted_at is not None


def test_the_head_submits_and_the_office_accepts_then_it_is_locked(world):
    entry = world.entry()
    services.ledger_entry_submit(entry=entry, by=world.head)
    with pytest.raises(services.EntryLocked):
        services.ledger_entry_update(
            entry=entry, by=world.head, version=entry.version, data={"summary": "x"}
        )
    with pytest.raises(services.NotAllowed):
        services.ledger_entry_accept(entry=entry, by=world.head)
    services.ledger_entry_accept(entry=entry, by=world.reviewer)
    assert entry.state == State.ACCEPTED
    for action in (
        lambda: services.ledger_entry_update(
            entry=entry, by=world.head, version=entry.version, data={"summary": "x"}
        ),
        lambda: services.ledger_entry_submit(entry=entry, by=world.head),
        lambda: services.ledger_entry_return(entry=entry, by=world.reviewer, reason="x"),
        lambda: services.evidence_add(
            entry=entry, by=world.staff, kind=Evidence.Kind.DOC_NUMBER, doc_number="1号"
        ),
    ):
        with pytest.raises(services.EntryLocked):
            action()
    entry.refresh_from_db()
    assert (entry.state, entry.summary) == (State.ACCEPTED, "公开权力清单")


def test_a_returned_entry_is_corrected_and_resubmitted(world):
    entry = world.entry(State.RETURNED)
    assert entry.return_reason == "请补充材料"
    services.ledger_entry_update(
        entry=entry, by=world.staff, version=entry.version, data={"summary": "补充了材料"}
    )
    services.ledger_entry_submit(entry=entry, by=world.head, version=entry.version)
    entry.refresh_from_db()
    assert (entry.state, entry.summary) == (State.SUBMITTED, "补充了材料")


def test_return_needs_a_reason(world):
    entry = world.entry(State.SUBMITTED)
    with pytest.raises(services.EntryInvalid):
        services.ledger_entry_return(entry=entry, by=world.reviewer, reason="  ")
    entry.refresh_from_db()
    assert entry.state == State.SUBMITTED


def test_the_office_does_not_write_department_entries(world):
    entry = world.entry()
    with pytest.raises(services.NotAllowed):
        services.ledger_entry_update(
            entry=entry, by=world.reviewer, version=1, data={"summary": "x"}
        )
    with pytest.raises(services.NotAllowed):
        services.evidence_add(entry=entry, by=world.admin, kind="link", url="https://a.cn/")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("通知.pdf", PDF),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"0" * 20),
        ("shot.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
        ("台账.xlsx", _zip({"[Content_Types].xml": b"", "xl/workbook.xml": b""})),
        ("报告.docx", _zip({"[Content_Types].xml": b"", "word/document.xml": b""})),
        ("公文.ofd", _zip({"OFD.xml": b"<ofd/>"})),
        ("材料.zip", _zip({"a.txt": b"a"})),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 20),
    ],
)
def test_allowed_files_are_stored_under_a_random_name(world, name, content):
    entry = world.entry()
    evidence = services.evidence_add(
        entry=entry, by=world.staff, kind="file", file=SimpleUploadedFile(name, content)
    )
    assert evidence.filename == name
    assert evidence.file.name.startswith("evidence/") and name not in evidence.file.name
    with evidence.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("run.exe", b"MZ\x90\x00"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf"),
        ("fake.docx", _zip({"a.txt": b"a"})),
        ("page.html", b"<html><script>alert(1)</script>"),
        ("empty.pdf", b""),
    ],
)
def test_other_files_are_refused_by_their_content(world, name, content):
    entry = world.entry()
    with pytest.raises(services.EntryInvalid) as caught:
        services.evidence_add(
            entry=entry, by=world.staff, kind="file", file=SimpleUploadedFile(name, content)
        )
    assert "file" in caught.value.errors
    assert not Evidence.objects.exists()


def test_files_over_the_limit_are_refused(world, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    entry = world.entry()
    with pytest.raises(services.EntryInvalid):
        services.evidence_add(
            entry=entry, by=world.staff, kind="file", file=SimpleUploadedFile("a.pdf", PDF * 5)
        )


def test_links_and_document_numbers(world):
    entry = world.entry()
    services.evidence_add(entry=entry, by=world.staff, kind="link", url="https://jt.gov.cn/1")
    services.evidence_add(
        entry=entry, by=world.staff, kind="doc_number", doc_number="宿交发〔2030〕1号"
    )
    with pytest.raises(services.EntryInvalid):
        services.evidence_add(entry=entry, by=world.staff, kind="link", url="javascript:alert(1)")
    assert entry.evidence.count() == 2
    first = entry.evidence.first()
    services.evidence_remove(evidence=first, by=world.staff2)
    assert entry.evidence.count() == 1
    assert Evidence.history.filter(entry_id=entry.pk, history_type="-").get().history_user == (
        world.staff2
    )
