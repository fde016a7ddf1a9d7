"""One look: one stylesheet, the lights' colours said once (and used by the charts), every
form field through one template."""

import re
from pathlib import Path

from django.conf import settings

from tasks_ledger.dashboard import charts
from tasks_ledger.reviews.forms import FindingForm

TEMPLATES = Path(settings.BASE_DIR) / "templates"
CSS = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text(encoding="utf-8")
LIGHTS = ["done", "on_track", "due_soon", "overdue", "blocked"]


def test_no_template_carries_its_own_styles():
    inline = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "<style" in path.read_text(encoding="utf-8")
    ]
    assert inline == []


def test_each_light_has_one_colour_used_everywhere():
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", CSS)
    for light in LIGHTS:
        assert len(re.findall(rf"--light-{light}:", CSS)) == 1
        used = [body for selector, body in rules if re.search(rf"light-{light}\b", selector)]
        assert used
        for body in used:
            # A light's colour is its variable; only a badge's pale tint behind it is a literal.
            colours = re.findall(r"([\w-]+):\s*(var\(--[\w-]+\)|#[0-9a-f]{3,6})", body)
            for prop, value in colours:
                assert value == f"var(--light-{light})" or prop == "background", (light, body)
        assert f".chart .fill-{light} {{ fill: var(--light-{light}); }}" in CSS


def test_charts_name_the_stylesheets_classes_not_colours():
    source = Path(charts.__file__).read_text(encoding="utf-8")
    assert not re.search(r"#[0-9a-fA-F]{6}\b", source)
    svg = charts.status_split([("已完成", 3, "done"), ("受阻", 1, "blocked")])
    assert 'class="fill-done"' in svg and 'class="fill-blocked"' in svg and "fill=" not in svg
    weekly = charts.weekly_entries(
        weeks=[__import__("datetime").date(2016, 9, 5)], series=[("政策法规处", [2])]
    )
    assert 'class="series-0"' in weekly and "style=" not in weekly
    assert ".chart .series-0 { fill: var(--series-0); }" in CSS


def test_form_fields_render_through_the_shared_field_template():
    form = FindingForm(data={"rating": ""})
    html = str(form["comment"].as_field_group()) + str(form["rating"].as_field_group())
    assert 'class="field field-comment' in html
    assert 'class="field field-rating has-error' in html and 'class="errorlist"' in html
    by_hand = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"\.label_tag|_field\.html", path.read_text(encoding="utf-8"))
    ]
    assert by_hand == []
