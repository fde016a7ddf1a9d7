"""Other bureaus' published plans (../shared/plans, an optional corpus) scored by their own
scorer against a clerk's reading, as printed by `import_plan --dry-run --json`, in the ASCII
punctuation they are stored in and in the fullwidth punctuation documents are issued in."""

import json
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from tests.tasks_ledger.plan.corpus import SHARED_PLANS
from tests.tasks_ledger.plan.forms import in_form

TEXTS = sorted(SHARED_PLANS.glob("*.txt")) if SHARED_PLANS.is_dir() else []

pytestmark = pytest.mark.skipif(not TEXTS, reason="../shared/plans is absent")


def score(text_path, form, tmp_path) -> tuple[float, str]:
    source = tmp_path / text_path.name
    source.write_text(in_form(text_path.read_text(encoding="utf-8"), form), encoding="utf-8")
    out = StringIO()
    call_command("import_plan", str(source), "--dry-run", "--json", stdout=out)
    actual = tmp_path / "actual.json"
    actual.write_text(out.getvalue(), encoding="utf-8")
    expected = SHARED_PLANS / "expected" / f"{text_path.stem}.json"
    result = subprocess.run(
        [sys.executable, str(SHARED_PLANS / "score_plan.py"), str(expected), str(actual)],
        capture_output=True,
        text=True,
        check=False,
    )
    return float(re.search(r"overall ([\d.]+)", result.stdout)[1]), result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["ascii", "fullwidth"])
@pytest.mark.parametrize("text_path", TEXTS, ids=[p.stem for p in TEXTS])
def test_each_plan_scores_at_least_095(text_path, form, tmp_path):
    overall, report = score(text_path, form, tmp_path)
    assert overall >= 0.95, report


@pytest.mark.django_db
@pytest.mark.parametrize("text_path", TEXTS, ids=[p.stem for p in TEXTS])
def test_punctuation_form_changes_nothing_but_the_punctuation(text_path, tmp_path):
    readings = []
    for form in ("ascii", "fullwidth"):
        source = tmp_path / f"{form}.txt"
        source.write_text(in_form(text_path.read_text(encoding="utf-8"), form), encoding="utf-8")
        out = StringIO()
        call_command("import_plan", str(source), "--dry-run", "--json", stdout=out)
        readings.append(json.loads(out.getvalue()))
    assert readings[0] == readings[1]
