"""The project's widgets. Dates survive a save: every date and time picker writes its value in the ISO form the
browser reads. With the localised format ("03.12.2026") the browser's picker shows an empty field and the next save
wipes the date. The select writes Django's HTML in one template."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone, translation

from ngo_platform.core.widgets import DateInput, DateTimeInput
from ngo_platform.organisations.forms import OrganisationEditForm
from tests.organisations.factories import OrganisationFactory

SRC = Path(__file__).resolve().parents[2] / "src" / "ngo_platform"


def test_no_form_builds_its_own_date_picker():
    """Django's bare date widgets render the localised format; the project's (core.widgets) render ISO."""
    found = [
        f"{path.relative_to(SRC)}: {line.strip()}"
        for path in SRC.rglob("*.py")
        if path.name != "widgets.py"
        for line in path.read_text().splitlines()
        if re.search(r"forms\.(DateInput|DateTimeInput|SplitDateTimeWidget)\(", line)
    ]
    assert found == []


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_pickers_render_iso_values_in_every_language(language):
    day = timezone.localdate() - datetime.timedelta(days=400)
    moment = datetime.datetime.combine(day, datetime.time(23, 59, 59))
    with translation.override(language):
        assert f'type="date" name="d" value="{day.isoformat()}"' in DateInput().render("d", day)
        assert f'value="{day.isoformat()}T23:59"' in DateTimeInput().render("t", moment)
        seconds = DateTimeInput(seconds=True).render("t", moment)
        assert f'value="{day.isoformat()}T23:59:59"' in seconds and 'step="1"' in seconds


@pytest.mark.django_db
def test_an_organisations_dates_are_shown_as_saved_and_come_back_unchanged(reference_data):
    founded = timezone.localdate() - datetime.timedelta(days=3650)
    opp = founded + datetime.timedelta(days=700)
    organisation = OrganisationFactory(founded_on=founded, opp_since=opp, is_opp=True)
    with translation.override("pl"):
        html = str(OrganisationEditForm(instance=organisation)["founded_on"])
        assert f'value="{founded.isoformat()}"' in html
        html = str(OrganisationEditForm(instance=organisation)["opp_since"])
        assert f'value="{opp.isoformat()}"' in html
    # What the browser sends back is what it was shown: the field reads it as the same day.
    field = OrganisationEditForm(instance=organisation).fields["founded_on"]
    assert field.clean(founded.isoformat()) == founded


def test_the_select_writes_the_same_options_as_djangos_in_one_template():
    from django import forms

    from ngo_platform.core.widgets import Select

    choices = [
        ("", "dowolny"),
        ("a", "Gmina „Ząb” & okolice"),
        ("Powiaty", [("1601", "brzeski"), ("1602", "głubczycki")]),
    ]

    def rendered(widget):
        field = forms.ChoiceField(choices=choices, required=False, widget=widget)
        html = field.widget.render("organ", "1602", attrs={"id": "id_organ", "aria-describedby": "organ_hint"})
        return re.sub(r">\s+<", "><", html.strip())

    ours = rendered(Select)
    assert ours == rendered(forms.Select)
    assert '<option value="1602" selected>głubczycki</option>' in ours and "„Ząb” &amp; okolice" in ours
