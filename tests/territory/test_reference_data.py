"""German names, lists of spheres and the shipped reference data as a whole."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from ngo_platform.territory.models import Authority, Sphere, SphereCatalogue, TerritorialUnit, UnitLevel
from ngo_platform.territory.services import (
    REFERENCE_GERMAN_NAMES_FILE,
    REFERENCE_SPHERES_VERSION,
    REFERENCE_TERC_FILE,
    ReferenceDataError,
    german_names_apply,
    reference_data_load,
    sphere_catalogue_load,
    terc_import,
)

EXPECTED_SPHERE_NUMBERS = (
    ["1", "1a", "1b"] + [str(n) for n in range(2, 5)] + ["5", "5a"] + [str(n) for n in range(6, 33)] + ["32a", "33"]
)


def catalogue_kwargs(**overrides):
    kwargs = {
        "version": "TEST-1",
        "effective_from": timezone.localdate() - timedelta(days=365),
        "legal_basis": "art. 4 ust. 1 UDPP",
        "note": "test",
    }
    return kwargs | overrides


def csv_file(text: str) -> io.BytesIO:
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "test.csv"
    return upload


@pytest.mark.usefixtures("empty_territory")
class TestReferenceDataLoad:
    def test_loads_opole_voivodeship_german_names_and_spheres(self):
        result = reference_data_load()

        assert result.terc.units_created == 84
        assert result.terc.authorities_created == 83
        assert result.german_names.units_updated == 28
        assert result.spheres.created
        units = TerritorialUnit.objects.all()
        assert units.filter(level=UnitLevel.VOIVODESHIP).count() == 1
        assert units.filter(level=UnitLevel.POWIAT).count() == 12
        assert units.filter(level=UnitLevel.GMINA).count() == 71
        assert [units.filter(gmina_type=code).count() for code in (1, 2, 3)] == [3, 34, 34]
        assert Authority.objects.count() == 83
        assert units.filter(german_auxiliary_language=True).count() == 22
        assert units.exclude(name_de="").count() == 28
        assert not units.filter(german_auxiliary_language=True, name_de="").exists()

    def test_german_names_of_particular_gminas(self):
        reference_data_load()

        names = {
            unit.name: (unit.name_de, unit.german_auxiliary_language)
            for unit in TerritorialUnit.objects.exclude(name_de="")
        }
        assert names["Biała"] == ("Zülz", True)
        assert names["Dobrzeń Wielki"] == ("Groß Döbern", True)
        assert names["Murów"] == ("Murow", True)
        assert names["Turawa"] == ("Turawa", True)
        assert names["Cisek"] == ("Czissek", False)
        assert names["Gogolin"] == ("Gogolin", False)
        assert names["Łubniany"] == ("Lugnian", False)
        assert names["Pawłowiczki"] == ("Gnadenfeld", False)
        assert names["Polska Cerekiew"] == ("Groß Neukirch", False)
        assert names["Popielów"] == ("Poppelau", False)
        assert TerritorialUnit.objects.get(teryt="1661011").name_de == ""

    def test_spheres_in_statute_order(self):
        reference_data_load()

        catalogue = SphereCatalogue.objects.get()
        assert catalogue.version == REFERENCE_SPHERES_VERSION
        # The shipped catalogue's own date: the act it follows (Dz.U. 2024 poz. 1491), a fact, not the test's today.
        assert catalogue.effective_from == date(2024, 1, 1)
        assert "Dz.U. 2024 poz. 1491" in catalogue.legal_basis
        assert "niezweryfikowane" in catalogue.note
        spheres = list(catalogue.spheres.order_by("position"))
        assert [sphere.number for sphere in spheres] == EXPECTED_SPHERE_NUMBERS
        assert [sphere.position for sphere in spheres] == list(range(1, 38))
        by_number = {sphere.number: sphere.name for sphere in spheres}
        assert by_number["1"].startswith("pomocy społecznej")
        assert by_number["16"] == "kultury, sztuki, ochrony dóbr kultury i dziedzictwa narodowego"
        assert by_number["32a"] == "rewitalizacji"
        assert by_number["33"].startswith("działalności na rzecz organizacji pozarządowych")

    def test_second_load_creates_and_changes_nothing(self, new_audit_entries):
        reference_data_load()
        first_entries = new_audit_entries().count()
        snapshot = list(TerritorialUnit.objects.order_by("teryt").values())

        result = reference_data_load()

        assert (result.terc.units_created, result.terc.units_updated, result.terc.authorities_created) == (0, 0, 0)
        assert result.terc.units_unchanged == 84
        assert result.german_names.units_updated == 0
        assert not result.spheres.created
        assert list(TerritorialUnit.objects.order_by("teryt").values()) == snapshot
        assert Authority.objects.count() == 83
        assert SphereCatalogue.objects.count() == 1
        assert Sphere.objects.count() == 37
        # Only the TERC import records every run; nothing else changed, so nothing else is logged.
        assert first_entries == 3
        assert new_audit_entries().count() == 4
        assert new_audit_entries().first().action == "territory.terc_import"

    def test_audit_entries_name_the_actor(self, django_user_model, new_audit_entries):
        admin = django_user_model.objects.create_user(email="admin@example.org", password="x", is_staff=True)

        reference_data_load(actor=admin)

        entries = new_audit_entries()
        assert sorted(entries.values_list("action", flat=True)) == [
            "territory.german_names_apply",
            "territory.sphere_catalogue_load",
            "territory.terc_import",
        ]
        assert {entry.actor for entry in entries} == {admin}
        spheres_entry = entries.get(action="territory.sphere_catalogue_load")
        assert spheres_entry.target_repr.startswith(REFERENCE_SPHERES_VERSION)


@pytest.mark.usefixtures("empty_territory")
class TestGermanNames:
    def test_unknown_unit_is_an_error(self):
        with pytest.raises(ReferenceDataError, match="linia 2: nie ma jednostki o kodzie TERYT „1603022”"):
            german_names_apply(source=REFERENCE_GERMAN_NAMES_FILE)

    def test_bad_flag_saves_nothing(self):
        terc_import(source=REFERENCE_TERC_FILE)
        text = "teryt;name_de;german_auxiliary_language\n1610013;Zülz;1\n1603022;Birawa;tak\n"

        with pytest.raises(ReferenceDataError, match="linia 3: german_auxiliary_language musi mieć wartość 0 albo 1"):
            german_names_apply(source=csv_file(text))
        assert not TerritorialUnit.objects.exclude(name_de="").exists()

    def test_changed_name_is_updated(self):
        terc_import(source=REFERENCE_TERC_FILE)
        german_names_apply(source=REFERENCE_GERMAN_NAMES_FILE)

        result = german_names_apply(source=csv_file("teryt;name_de;german_auxiliary_language\n1611063;Ujest O.S.;0\n"))

        assert (result.units_updated, result.units_unchanged) == (1, 0)
        ujazd = TerritorialUnit.objects.get(teryt="1611063")
        assert (ujazd.name_de, ujazd.german_auxiliary_language) == ("Ujest O.S.", False)


@pytest.mark.usefixtures("empty_territory")
class TestSphereCatalogue:
    SPHERES = "number;name\n1;pomocy społecznej\n1a;wspierania rodziny\n2;działalności charytatywnej\n"

    def test_same_version_twice_changes_nothing(self, new_audit_entries):
        first = sphere_catalogue_load(source=csv_file(self.SPHERES), **catalogue_kwargs())
        second = sphere_catalogue_load(source=csv_file(self.SPHERES), **catalogue_kwargs())

        assert (first.created, second.created) == (True, False)
        assert first.catalogue == second.catalogue
        assert Sphere.objects.count() == 3
        assert new_audit_entries().count() == 1

    def test_new_version_leaves_the_old_one_intact(self):
        old = sphere_catalogue_load(source=csv_file(self.SPHERES), **catalogue_kwargs()).catalogue
        changed = self.SPHERES.replace("działalności charytatywnej", "działalności charytatywnej i dobroczynnej")

        new = sphere_catalogue_load(
            source=csv_file(changed), **catalogue_kwargs(version="TEST-2", effective_from=timezone.localdate())
        ).catalogue

        assert new != old
        assert old.spheres.get(number="2").name == "działalności charytatywnej"
        assert new.spheres.get(number="2").name == "działalności charytatywnej i dobroczynnej"
        assert list(SphereCatalogue.objects.values_list("version", flat=True)) == ["TEST-2", "TEST-1"]

    def test_same_version_with_other_content_is_refused(self):
        sphere_catalogue_load(source=csv_file(self.SPHERES), **catalogue_kwargs())

        with pytest.raises(ReferenceDataError, match="TEST-1 już istnieje i różni się"):
            sphere_catalogue_load(source=csv_file(self.SPHERES + "3;nowa\n"), **catalogue_kwargs())
        with pytest.raises(ReferenceDataError, match="różni się"):
            sphere_catalogue_load(source=csv_file(self.SPHERES), **catalogue_kwargs(note="inna"))
        assert Sphere.objects.count() == 3

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("number;name\n1;a\n1;b\n", "linia 3: punkt 1 występuje dwukrotnie"),
            ("number;name\n1)\u00a0;a\n", "linia 2: numer punktu"),
            ("number;name\n1;\n", "linia 2: brak nazwy"),
            ("number;name\n", "nie zawiera żadnej sfery"),
            ("numer;nazwa\n1;a\n", "linia 1: w nagłówku brakuje kolumn number, name"),
        ],
    )
    def test_malformed_file(self, text, message):
        with pytest.raises(ReferenceDataError, match=message):
            sphere_catalogue_load(source=csv_file(text), **catalogue_kwargs())
        assert not SphereCatalogue.objects.exists()
