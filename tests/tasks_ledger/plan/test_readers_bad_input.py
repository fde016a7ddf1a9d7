"""Bad plan files: each refused with the file's name and the reason, no traceback, no write."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tasks_ledger.plan.models import Plan
from tasks_ledger.plan.plan_json import PlanFormatError
from tasks_ledger.plan.sources import read_plan_bytes, read_plan_file
from tests.tasks_ledger.plan.documents import (
    blank_xlsx,
    plan_docx,
    plan_pdf,
    rezip,
    scanned_pdf,
    zip_bomb,
)

ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _refused(name: str, data: bytes, reason: str) -> PlanFormatError:
    with pytest.raises(PlanFormatError, match=reason) as caught:
        read_plan_bytes(name=name, data=data)
    assert str(caught.value).startswith(name)
    return caught.value


def test_a_file_over_the_limit_is_refused_before_it_is_read(settings, tmp_path):
    settings.IMPORT_MAX_BYTES = 1000
    path = tmp_path / "big.txt"
    path.write_bytes("一、总体要求\n".encode() * 100)
    with pytest.raises(PlanFormatError, match="larger than the limit") as caught:
        read_plan_file(path)
    assert caught.value.where == "big.txt"


@pytest.mark.parametrize(
    ("name", "template", "part"),
    [
        ("plan.xlsx", blank_xlsx, "xl/worksheets/sheet1.xml"),
        ("plan.docx", plan_docx, "word/document.xml"),
    ],
)
def test_a_zip_bomb_is_refused_before_any_parser_opens_it(name, template, part):
    bomb = zip_bomb(template(), part, 250)
    _refused(name, bomb, "uncompressed")


def test_a_docx_with_an_entity_bomb_is_refused():
    docx = plan_docx()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = archive.read("word/document.xml").split(b"?>", 1)[1]
    bomb = rezip(docx, {"word/document.xml": ENTITY_BOMB + body.replace(b"<w:t>", b"<w:t>&c;")})
    _refused("plan.docx", bomb, "entities")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("plan.txt", b"\x00\x00\x00\x00" + bytes(range(256)) * 4, "not text|NUL|binary"),
        ("plan.json", b"[" * 100_000 + b"]" * 100_000, "nested"),
        ("plan.json", b'{"title": "\\u0000"}', "NUL"),
        ("plan.json", b'{"title": \x00}', "not valid JSON"),
        ("plan.docx", plan_docx()[:3000], "damaged"),
        ("plan.html", b"<html><head><title>x</title></head></html>", "no body|no text"),
        ("plan.pdf", scanned_pdf(), "^plan.pdf: no text layer in this PDF$"),
        ("plan.pdf", plan_pdf()[:500], "not a readable PDF"),
        ("plan.doc", b"\xd0\xcf\x11\xe0", "must be one of"),
        ("plan.txt", b"", "empty"),
    ],
    ids=[
        "nul-txt",
        "nested-json",
        "nul-in-json",
        "raw-nul-json",
        "truncated-docx",
        "html-without-body",
        "scanned-pdf",
        "truncated-pdf",
        "doc",
        "empty",
    ],
)
def test_malformed_files_are_refused_naming_the_file_and_reason(name, data, reason):
    _refused(name, data, reason)


@pytest.mark.django_db
def test_the_command_refuses_a_bad_document_and_writes_nothing(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf())
    with pytest.raises(CommandError, match="no text layer in this PDF"):
        call_command("import_plan", str(path))
    assert Plan.objects.count() == 0


def test_refusals_read_in_chinese_in_the_browser():
    with translation.override("zh-hans"), pytest.raises(PlanFormatError) as caught:
        read_plan_bytes(name="scan.pdf", data=scanned_pdf())
    assert caught.value.message == "此 PDF 没有文字层"
