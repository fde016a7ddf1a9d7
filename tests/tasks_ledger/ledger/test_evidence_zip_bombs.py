"""Evidence files that are zip containers pass the import's zip-bomb check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tasks_ledger.ledger import services
from tasks_ledger.ledger.models import Evidence
from tests.tasks_ledger.plan.documents import blank_xlsx, plan_docx, zip_bomb


@pytest.mark.parametrize(
    ("name", "template", "part"),
    [
        ("台账.xlsx", blank_xlsx, "xl/worksheets/sheet1.xml"),
        ("报告.docx", plan_docx, "word/document.xml"),
        ("材料.zip", plan_docx, "word/document.xml"),
    ],
)
def test_a_zip_bomb_as_evidence_is_refused_and_nothing_stored(world, name, template, part):
    entry = world.entry()
    bomb = zip_bomb(template(), part, 250)
    with pytest.raises(services.EntryInvalid) as caught:
        services.evidence_add(
            entry=entry, by=world.staff, kind="file", file=SimpleUploadedFile(name, bomb)
        )
    assert name in caught.value.errors["file"][0]
    assert not Evidence.objects.exists()


def test_an_ordinary_docx_is_still_accepted_as_evidence(world):
    entry = world.entry()
    evidence = services.evidence_add(
        entry=entry, by=world.staff, kind="file", file=SimpleUploadedFile("报告.docx", plan_docx())
    )
    assert evidence.filename == "报告.docx"
