"""Evidence previews: the download's access rule, and headers that keep a file from
running as a page (the Content-Type of the checked kind only, nosniff, a sandbox)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks_ledger.ledger import services
from tasks_ledger.ledger.models import LedgerEntry
from tests.tasks_ledger.ledger.conftest import PDF
from tests.tasks_ledger.ledger.test_permissions import (
    PERSONAS,
    VISIBLE_BY_STATE,
    check,
    client_for,
)

State = LedgerEntry.State
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
DOCX_NAME = "说明.docx"


def add_file(world, entry, name, content):
    return services.evidence_add(
        entry=entry, by=world.staff, kind="file", file=SimpleUploadedFile(name, content)
    )


def preview(client, evidence):
    return client.get(reverse("ledger:evidence-preview", args=[evidence.pk]))


@pytest.mark.parametrize("state", [State.DRAFT, State.SUBMITTED, State.RETURNED])
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_preview_is_who_may_download(client, world, persona, state):
    entry = world.entry()
    evidence = add_file(world, entry, "通知 2030.pdf", PDF)
    if state != State.DRAFT:
        services.ledger_entry_submit(entry=entry, by=world.head)
    if state == State.RETURNED:
        services.ledger_entry_return(entry=entry, by=world.reviewer, reason="x")
    response = preview(client_for(client, world, persona), evidence)
    check(response, VISIBLE_BY_STATE[state][persona])


@pytest.mark.parametrize(
    ("name", "content", "content_type", "policy"),
    [
        ("通知 2030.pdf", PDF, "application/pdf", "sandbox allow-scripts"),
        ("现场.png", PNG, "image/png", "sandbox"),
        ("现场.JPG", JPEG, "image/jpeg", "sandbox"),
    ],
)
def test_a_preview_is_inline_with_safe_headers(client, world, name, content, content_type, policy):
    evidence = add_file(world, world.entry(), name, content)
    client.force_login(world.staff)
    response = preview(client, evidence)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == policy
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == content


def test_other_kinds_have_no_preview(client, world):
    docx = add_file(world, world.entry(), DOCX_NAME, minimal_docx())
    link = services.evidence_add(
        entry=world.entry(), by=world.staff, kind="link", url="https://a.cn/"
    )
    client.force_login(world.staff)
    assert preview(client, docx).status_code == 404
    assert preview(client, link).status_code == 404


def test_a_stored_file_that_is_not_what_its_name_says_is_never_shown(client, world):
    """Should the stored bytes change (storage tampered with), the kind is checked again:
    HTML under a .png name is not sent inline as anything."""
    evidence = add_file(world, world.entry(), "现场.png", PNG)
    with evidence.file.storage.open(evidence.file.name, "wb") as stored:
        stored.write(b"<html><script>alert(1)</script></html>")
    client.force_login(world.staff)
    assert preview(client, evidence).status_code == 404


def test_the_entry_page_shows_images_inline_and_links_pdfs_to_the_viewer(client, world):
    entry = world.entry()
    image = add_file(world, entry, "现场.png", PNG)
    pdf = add_file(world, entry, "通知.pdf", PDF)
    docx = add_file(world, entry, DOCX_NAME, minimal_docx())
    client.force_login(world.staff)
    html = client.get(reverse("ledger:entry", args=[entry.pk])).content.decode()
    image_url = reverse("ledger:evidence-preview", args=[image.pk])
    assert f'<img class="ev-thumb" src="{image_url}"' in html
    pdf_url = reverse("ledger:evidence-preview", args=[pdf.pk])
    assert f'href="{pdf_url}" target="_blank"' in html
    assert reverse("ledger:evidence-preview", args=[docx.pk]) not in html


def minimal_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()
