"""The checks every imported or uploaded file passes before a parser opens it."""

import io
import json
import zipfile

import pytest
from django.utils import translation

from disclosure.uploads import (
    UnsafeFile,
    check_import,
    check_office_xml,
    check_size,
    check_zip_container,
    load_json,
)
from tests.tasks_ledger.plan.documents import blank_xlsx, plan_docx, rezip, zip_bomb

SHEET = "xl/worksheets/sheet1.xml"
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def xlsx_bomb():
    """A 1 MB .xlsx whose sheet inflates to 300 MB."""
    return zip_bomb(blank_xlsx(), SHEET, 300)


def test_a_file_over_the_size_limit_is_refused_from_its_size(settings):
    settings.IMPORT_MAX_BYTES = 1024
    with pytest.raises(UnsafeFile, match="big.txt.*1024|big.txt") as caught:
        check_size(name="big.txt", size=1025)
    assert caught.value.name == "big.txt"
    check_size(name="ok.txt", size=1024)


def test_the_default_size_limit_is_20_mb(settings):
    assert settings.IMPORT_MAX_BYTES == 20 * 1024 * 1024


def test_an_empty_file_is_refused():
    with pytest.raises(UnsafeFile):
        check_size(name="empty.txt", size=0)


def test_a_zip_bomb_is_refused_by_its_uncompressed_size(xlsx_bomb):
    assert len(xlsx_bomb) < 2 * 1024 * 1024
    with pytest.raises(UnsafeFile, match="300") as caught:
        check_import(name="plan.xlsx", data=xlsx_bomb)
    assert caught.value.name == "plan.xlsx"


def test_a_part_compressed_past_the_ratio_is_refused_though_the_total_is_allowed():
    data = zip_bomb(blank_xlsx(), SHEET, 20)
    with pytest.raises(UnsafeFile, match=SHEET):
        check_zip_container(name="plan.xlsx", file=io.BytesIO(data))


def test_ordinary_office_files_pass():
    check_import(name="plan.docx", data=plan_docx())
    check_import(name="plan.xlsx", data=blank_xlsx())


@pytest.mark.parametrize("data", [b"PK\x03\x04 cut short", b"not a zip at all"])
def test_a_damaged_zip_is_refused(data):
    with pytest.raises(UnsafeFile, match="damaged"):
        check_import(name="plan.docx", data=data)


def test_a_truncated_docx_is_refused():
    data = plan_docx()
    with pytest.raises(UnsafeFile):
        check_import(name="plan.docx", data=data[: len(data) // 2])


def test_xml_entities_in_an_office_part_are_refused_before_parsing():
    docx = plan_docx()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = archive.read("word/document.xml")
    body = body.split(b"?>", 1)[1]  # the part without its XML declaration
    bomb = rezip(docx, {"word/document.xml": LAUGHS + body.replace(b"<w:t>", b"<w:t>&lol9;", 1)})
    with pytest.raises(UnsafeFile, match="word/document.xml"):
        check_office_xml(name="bomb.docx", file=io.BytesIO(bomb))


def test_an_external_entity_in_a_sheet_is_refused():
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(UnsafeFile, match=SHEET):
        check_import(name="plan.xlsx", data=rezip(blank_xlsx(), {SHEET: xxe}))


def test_deeply_nested_json_is_refused_without_a_recursion_error():
    with pytest.raises(UnsafeFile, match="nested"):
        load_json(name="deep.json", text="[" * 200_000 + "]" * 200_000)
    with pytest.raises(UnsafeFile, match="nested"):
        load_json(name="deep.json", text='{"a":' * 100 + "1" + "}" * 100)


def test_json_strings_holding_nul_are_refused():
    with pytest.raises(UnsafeFile, match="NUL"):
        load_json(name="plan.json", text=json.dumps({"title": "a\x00b"}))


def test_ordinary_json_loads():
    assert load_json(name="plan.json", text='{"sections": [{"tasks": [{"tasks": []}]}]}')
