"""TERC import: units, authorities, formats, updates, errors and all-or-nothing behaviour."""

import io
import time
from datetime import date, timedelta

import pytest

from ngo_platform.territory.models import Authority, AuthorityKind, TerritorialUnit, UnitLevel
from ngo_platform.territory.selectors import authorities_by_powiat
from ngo_platform.territory.services import (
    REFERENCE_TERC_FILE,
    TercImportError,
    authority_slug,
    terc_import,
)

HEADER = "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n"

# A tiny synthetic voivodeship 02: one powiat with two gminas and one city with powiat rights.
DOLNOSLASKIE = HEADER + (
    "02;;;;DOLNOŚLĄSKIE;województwo;2024-01-01\n"
    "02;01;;;bolesławiecki;powiat;2024-01-01\n"
    "02;01;01;1;Bolesławiec;gmina miejska;2024-01-01\n"
    "02;01;02;2;Bolesławiec;gmina wiejska;2024-01-01\n"
    "02;64;;;Wrocław;miasto na prawach powiatu;2024-01-01\n"
    "02;64;01;1;Wrocław;gmina miejska, miasto na prawach powiatu;2024-01-01\n"
)


def write(tmp_path, text, name="terc.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def unit_snapshot(prefix):
    return list(
        TerritorialUnit.objects.filter(teryt__startswith=prefix)
        .order_by("teryt")
        .values_list("teryt", "name", "description", "gmina_type", "valid_as_of", "parent__teryt")
    )


def authority_snapshot(prefix):
    return list(
        Authority.objects.filter(unit__teryt__startswith=prefix)
        .order_by("unit__teryt")
        .values_list("unit__teryt", "kind", "name", "slug")
    )


@pytest.mark.usefixtures("empty_territory")
class TestOpoleImport:
    def test_counts_by_level_and_gmina_type(self):
        result = terc_import(source=REFERENCE_TERC_FILE)

        assert (result.units_created, result.units_updated, result.units_unchanged) == (84, 0, 0)
        assert result.state_date == date(2024, 1, 1)  # the STAN_NA of the shipped TERC file, a fact
        assert result.source_name == "terc_16_2024-01-01.csv"
        units = TerritorialUnit.objects.all()
        assert units.filter(level=UnitLevel.VOIVODESHIP).count() == 1
        assert units.filter(level=UnitLevel.POWIAT).count() == 12
        assert units.filter(level=UnitLevel.GMINA).count() == 71
        assert [units.filter(gmina_type=code).count() for code in (1, 2, 3)] == [3, 34, 34]
        assert set(units.values_list("valid_as_of", flat=True)) == {date(2024, 1, 1)}

    def test_units_hang_under_their_parents(self):
        terc_import(source=REFERENCE_TERC_FILE)

        brzeg = TerritorialUnit.objects.get(teryt="1601011")
        assert (brzeg.name, brzeg.description, brzeg.gmina_type) == ("Brzeg", "gmina miejska", 1)
        assert brzeg.parent.teryt == "1601"
        assert brzeg.parent.parent.teryt == "16"
        assert brzeg.parent.parent.parent is None
        voivodeship = TerritorialUnit.objects.get(teryt="16")
        assert (voivodeship.name, voivodeship.description) == ("opolskie", "województwo")
        assert TerritorialUnit.objects.filter(parent=voivodeship).count() == 12
        assert TerritorialUnit.objects.get(teryt="1609").children.count() == 13

    def test_one_authority_per_voivodeship_powiat_and_gmina(self):
        result = terc_import(source=REFERENCE_TERC_FILE)

        assert result.authorities_created == 83
        assert Authority.objects.count() == 83
        kinds = {kind: Authority.objects.filter(kind=kind).count() for kind in AuthorityKind.values}
        assert kinds == {"voivodeship": 1, "powiat": 11, "city": 1, "gmina": 70}
        assert Authority.objects.get(unit__teryt="16").name == "Województwo Opolskie"
        assert Authority.objects.get(unit__teryt="1601").name == "Powiat brzeski"
        assert Authority.objects.get(unit__teryt="1603").name == "Powiat kędzierzyńsko-kozielski"
        assert Authority.objects.get(unit__teryt="1601011").name == "Gmina Brzeg"

    def test_slugs_transliterate_polish_letters_and_carry_the_code(self):
        terc_import(source=REFERENCE_TERC_FILE)

        slugs = dict(Authority.objects.values_list("unit__teryt", "slug"))
        assert slugs["16"] == "wojewodztwo-opolskie-16"
        assert slugs["1601011"] == "gmina-brzeg-1601011"
        assert slugs["1609052"] == "gmina-lubniany-1609052"
        assert slugs["1602"] == "powiat-glubczycki-1602"
        assert slugs["1606042"] == "gmina-swierczow-1606042"
        assert slugs["1661"] == "miasto-opole-1661"
        assert authority_slug(name="Gmina Łambinowice", teryt="1607042") == "gmina-lambinowice-1607042"

    def test_opole_city_is_one_authority_governing_its_gmina(self):
        terc_import(source=REFERENCE_TERC_FILE)

        city = Authority.objects.get(unit__teryt="1661")
        assert (city.kind, city.name) == (AuthorityKind.CITY, "Miasto Opole")
        assert city.unit.is_city_with_powiat_rights
        assert not Authority.objects.filter(unit__teryt="1661011").exists()
        assert Authority.objects.filter(name__contains="Opole").count() == 1
        directory = authorities_by_powiat(voivodeship_teryt="16")
        opole_group = next(group for group in directory.groups if group.powiat.teryt == "1661")
        assert [(unit.teryt, governing) for unit, governing in opole_group.gminas] == [("1661011", city)]

    def test_second_import_creates_and_changes_nothing(self):
        terc_import(source=REFERENCE_TERC_FILE)
        units_before, authorities_before = unit_snapshot("16"), authority_snapshot("16")

        result = terc_import(source=REFERENCE_TERC_FILE)

        assert (result.units_created, result.units_updated, result.units_unchanged) == (0, 0, 84)
        assert result.authorities_created == 0
        assert unit_snapshot("16") == units_before
        assert authority_snapshot("16") == authorities_before

    def test_changed_file_updates_the_changed_unit(self, tmp_path):
        terc_import(source=REFERENCE_TERC_FILE)
        text = REFERENCE_TERC_FILE.read_text(encoding="utf-8")
        changed_on = date.today() - timedelta(days=30)  # a state date of the file, neither the shipped one nor today
        changed = text.replace(
            "16;01;05;2;Lubsza;gmina wiejska;2024-01-01",
            f"16;01;05;2;Lubsza Śląska;gmina wiejska (zmiana);{changed_on.isoformat()}",
        )
        assert changed != text

        result = terc_import(source=write(tmp_path, changed))

        assert (result.units_created, result.units_updated, result.units_unchanged) == (0, 1, 83)
        assert result.state_date == changed_on  # the date written into the changed file above, not today's
        lubsza = TerritorialUnit.objects.get(teryt="1601052")
        assert (lubsza.name, lubsza.description) == ("Lubsza Śląska", "gmina wiejska (zmiana)")
        assert lubsza.valid_as_of == changed_on
        assert lubsza.parent.teryt == "1601"
        assert Authority.objects.get(unit=lubsza).name == "Gmina Lubsza"

    def test_rename_keeps_the_authority_name_officers_may_have_edited(self, tmp_path):
        terc_import(source=REFERENCE_TERC_FILE)
        Authority.objects.filter(unit__teryt="1601062").update(name="Gmina Olszanka (edytowana)")
        renamed = REFERENCE_TERC_FILE.read_text(encoding="utf-8").replace(";Olszanka;", ";Olszanka Nowa;")

        result = terc_import(source=write(tmp_path, renamed))

        assert (result.units_updated, result.authorities_created) == (1, 0)
        assert TerritorialUnit.objects.get(teryt="1601062").name == "Olszanka Nowa"
        authority = Authority.objects.get(unit__teryt="1601062")
        assert (authority.name, authority.slug) == ("Gmina Olszanka (edytowana)", "gmina-olszanka-1601062")

    def test_german_names_survive_a_reimport(self):
        terc_import(source=REFERENCE_TERC_FILE)
        TerritorialUnit.objects.filter(teryt="1610013").update(name_de="Zülz", german_auxiliary_language=True)

        terc_import(source=REFERENCE_TERC_FILE)

        biala = TerritorialUnit.objects.get(teryt="1610013")
        assert (biala.name_de, biala.german_auxiliary_language) == ("Zülz", True)


@pytest.mark.usefixtures("empty_territory")
class TestFormats:
    def test_parts_of_gminas_are_skipped(self, tmp_path):
        text = DOLNOSLASKIE + (
            "02;01;03;3;Nowogrodziec;gmina miejsko-wiejska;2024-01-01\n"
            "02;01;03;4;Nowogrodziec;miasto;2024-01-01\n"
            "02;01;03;5;Nowogrodziec;obszar wiejski;2024-01-01\n"
            "02;64;02;9;Wrocław-Fabryczna;delegatura;2024-01-01\n"
            "02;64;03;8;Wrocław-Krzyki;dzielnica;2024-01-01\n"
        )

        result = terc_import(source=write(tmp_path, text))

        assert result.rows_skipped == 4
        assert result.units_created == 7
        gminas = TerritorialUnit.objects.filter(level=UnitLevel.GMINA)
        assert sorted(gminas.values_list("teryt", flat=True)) == ["0201011", "0201022", "0201033", "0264011"]

    def test_bom_crlf_and_binary_upload(self):
        data = ("\ufeff" + DOLNOSLASKIE.replace("\n", "\r\n")).encode("utf-8")
        upload = io.BytesIO(data)
        upload.name = "/tmp/uploads/TERC_Urzedowy_2024-01-01.csv"

        result = terc_import(source=upload)

        assert result.units_created == 6
        assert result.source_name == "TERC_Urzedowy_2024-01-01.csv"
        assert TerritorialUnit.objects.get(teryt="02").name == "dolnośląskie"
        assert Authority.objects.get(unit__teryt="02").name == "Województwo Dolnośląskie"

    def test_columns_in_another_order(self, tmp_path):
        text = "NAZWA;WOJ;POW;GMI;RODZ;NAZWA_DOD;STAN_NA\nOPOLSKIE;16;;;;województwo;2024-01-01\n"

        terc_import(source=write(tmp_path, text))

        assert TerritorialUnit.objects.get(teryt="16").name == "opolskie"

    def test_xml_with_element_per_column(self, tmp_path):
        xml = """<?xml version="1.0" encoding="utf-8"?>
<teryt>
  <catalog name="TERC" type="all" date="2024-01-01">
    <row><WOJ>16</WOJ><POW /><GMI /><RODZ /><NAZWA>OPOLSKIE</NAZWA><NAZWA_DOD>województwo</NAZWA_DOD><STAN_NA>2024-01-01</STAN_NA></row>
    <row><WOJ>16</WOJ><POW>09</POW><GMI /><RODZ /><NAZWA>opolski</NAZWA><NAZWA_DOD>powiat</NAZWA_DOD><STAN_NA>2024-01-01</STAN_NA></row>
    <row><WOJ>16</WOJ><POW>09</POW><GMI>07</GMI><RODZ>3</RODZ><NAZWA>Niemodlin</NAZWA><NAZWA_DOD>gmina miejsko-wiejska</NAZWA_DOD><STAN_NA>2024-01-01</STAN_NA></row>
    <row><WOJ>16</WOJ><POW>09</POW><GMI>07</GMI><RODZ>4</RODZ><NAZWA>Niemodlin</NAZWA><NAZWA_DOD>miasto</NAZWA_DOD><STAN_NA>2024-01-01</STAN_NA></row>
  </catalog>
</teryt>
"""
        result = terc_import(source=write(tmp_path, xml, name="TERC_Urzedowy_2024-01-01.xml"))

        assert (result.units_created, result.rows_skipped, result.authorities_created) == (3, 1, 3)
        niemodlin = TerritorialUnit.objects.get(teryt="1609073")
        assert (niemodlin.name, niemodlin.gmina_type, niemodlin.parent.teryt) == ("Niemodlin", 3, "1609")
        assert Authority.objects.get(unit=niemodlin).slug == "gmina-niemodlin-1609073"

    def test_xml_with_named_col_elements(self, tmp_path):
        def row(woj, pow_, gmi, rodz, name, description):
            values = {
                "WOJ": woj,
                "POW": pow_,
                "GMI": gmi,
                "RODZ": rodz,
                "NAZWA": name,
                "NAZWA_DOD": description,
                "STAN_NA": "2013-01-01",
            }
            cols = "".join(
                f'<col name="{key}">{value}</col>' if value else f'<col name="{key}"/>' for key, value in values.items()
            )
            return f"<row>{cols}</row>"

        xml = (
            '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<teryt><catalog name="TERC" type="all" date="2013-01-01">'
            + row("16", "", "", "", "OPOLSKIE", "województwo")
            + row("16", "61", "", "", "Opole", "miasto na prawach powiatu")
            + row("16", "61", "01", "1", "Opole", "gmina miejska, miasto na prawach powiatu")
            + "</catalog></teryt>"
        )

        result = terc_import(source=io.BytesIO(xml.encode("utf-8")))

        assert (result.units_created, result.authorities_created) == (3, 2)
        assert result.state_date == date(2013, 1, 1)
        assert Authority.objects.get(unit__teryt="1661").kind == AuthorityKind.CITY
        assert TerritorialUnit.objects.get(teryt="1661011").description == "gmina miejska, miasto na prawach powiatu"


@pytest.mark.usefixtures("empty_territory")
class TestSecondVoivodeship:
    def test_importing_another_voivodeship_leaves_opole_untouched(self, tmp_path):
        terc_import(source=REFERENCE_TERC_FILE)
        opole_units, opole_authorities = unit_snapshot("16"), authority_snapshot("16")

        result = terc_import(source=write(tmp_path, DOLNOSLASKIE))

        assert (result.units_created, result.units_updated, result.units_unchanged) == (6, 0, 0)
        assert result.authorities_created == 5
        assert unit_snapshot("16") == opole_units
        assert authority_snapshot("16") == opole_authorities
        assert authority_snapshot("02") == [
            ("02", "voivodeship", "Województwo Dolnośląskie", "wojewodztwo-dolnoslaskie-02"),
            ("0201", "powiat", "Powiat bolesławiecki", "powiat-boleslawiecki-0201"),
            ("0201011", "gmina", "Gmina Bolesławiec", "gmina-boleslawiec-0201011"),
            ("0201022", "gmina", "Gmina Bolesławiec", "gmina-boleslawiec-0201022"),
            ("0264", "city", "Miasto Wrocław", "miasto-wroclaw-0264"),
        ]

    def test_voivodeship_option_imports_only_that_voivodeship(self, tmp_path, new_audit_entries):
        country = DOLNOSLASKIE + REFERENCE_TERC_FILE.read_text(encoding="utf-8").split("\n", 1)[1]

        result = terc_import(source=write(tmp_path, country), voivodeship="02")

        assert result.units_created == 6
        assert not TerritorialUnit.objects.filter(teryt__startswith="16").exists()
        assert new_audit_entries().get().details["voivodeship"] == "02"

    def test_voivodeship_missing_from_the_file(self, tmp_path):
        with pytest.raises(TercImportError, match="województwa 12"):
            terc_import(source=write(tmp_path, DOLNOSLASKIE), voivodeship="12")


MALFORMED = [
    pytest.param("16;1;;;brzeski;powiat;2024-01-01\n", "linia 2: kod POW „1” musi mieć 2 cyfry", id="short-pow"),
    pytest.param("160;;;;OPOLSKIE;województwo;2024-01-01\n", "linia 2: kod WOJ „160”", id="long-woj"),
    pytest.param("16;01;011;1;Brzeg;gmina miejska;2024-01-01\n", "linia 2: kod GMI „011”", id="long-gmi"),
    pytest.param("16;01;01;;Brzeg;gmina miejska;2024-01-01\n", "linia 2: kod RODZ „” musi mieć 1 cyfrę", id="no-rodz"),
    pytest.param("16;01;01;6;Brzeg;gmina;2024-01-01\n", "linia 2: nieznany kod RODZ „6”", id="unknown-rodz"),
    pytest.param("16;;;;OPOLSKIE;województwo;01.01.2024\n", "linia 2: data STAN_NA „01.01.2024”", id="bad-date"),
    pytest.param("16;;;;;województwo;2024-01-01\n", "linia 2: brak nazwy", id="no-name"),
    pytest.param("16;;;;OPOLSKIE;województwo\n", "linia 2: za mało pól", id="too-few-fields"),
    pytest.param(
        "16;;;;OPOLSKIE;województwo;2024-01-01\n"
        "16;01;;;brzeski;powiat;2024-01-01\n"
        "16;99;01;1;Nigdzie;gmina miejska;2024-01-01\n",
        "linia 4: nieznana jednostka nadrzędna 1699 dla 1699011",
        id="unknown-parent",
    ),
    pytest.param(
        "16;;;;OPOLSKIE;województwo;2024-01-01\n16;;;;OPOLSKIE;województwo;2024-01-01\n",
        "linia 3: kod 16 występuje już w: linia 2",
        id="duplicate",
    ),
]


@pytest.mark.usefixtures("empty_territory")
class TestMalformed:
    @pytest.mark.parametrize(("body", "message"), MALFORMED)
    def test_malformed_csv_saves_nothing(self, tmp_path, new_audit_entries, body, message):
        with pytest.raises(TercImportError, match=message):
            terc_import(source=write(tmp_path, HEADER + body))

        assert TerritorialUnit.objects.count() == 0
        assert Authority.objects.count() == 0
        assert not new_audit_entries().exists()

    def test_comma_separated_file_is_rejected_by_its_header(self, tmp_path):
        text = HEADER.replace(";", ",") + "16,,,,OPOLSKIE,województwo,2024-01-01\n"

        with pytest.raises(TercImportError, match="linia 1: w nagłówku brakuje kolumn"):
            terc_import(source=write(tmp_path, text))

    def test_not_utf8(self, tmp_path):
        path = write(tmp_path, HEADER + "16;01;;;głubczycki;powiat;2024-01-01\n", encoding="cp1250")

        with pytest.raises(TercImportError, match="UTF-8"):
            terc_import(source=path)

    def test_missing_file(self, tmp_path):
        with pytest.raises(TercImportError, match="Nie można odczytać pliku"):
            terc_import(source=tmp_path / "brak.csv")

    def test_empty_file(self, tmp_path):
        with pytest.raises(TercImportError, match="nie zawiera żadnych jednostek"):
            terc_import(source=write(tmp_path, HEADER))

    def test_broken_xml_names_the_line(self, tmp_path):
        xml = "<teryt>\n<catalog>\n<row><WOJ>16</WOJ>\n</catalog></teryt>"

        with pytest.raises(TercImportError, match="linia 4"):
            terc_import(source=write(tmp_path, xml, name="terc.xml"))

    def test_xml_row_without_a_column_names_the_row(self, tmp_path):
        xml = (
            "<teryt><catalog>"
            "<row><WOJ>16</WOJ><POW/><GMI/><RODZ/><NAZWA>OPOLSKIE</NAZWA><NAZWA_DOD>województwo</NAZWA_DOD><STAN_NA>2024-01-01</STAN_NA></row>"
            "<row><WOJ>16</WOJ><POW>01</POW><GMI/><NAZWA>brzeski</NAZWA><NAZWA_DOD>powiat</NAZWA_DOD><STAN_NA>2024-01-01</STAN_NA></row>"
            "</catalog></teryt>"
        )

        with pytest.raises(TercImportError, match=r"wiersz 2 \(<row>\): brakuje pól RODZ"):
            terc_import(source=write(tmp_path, xml, name="terc.xml"))
        assert TerritorialUnit.objects.count() == 0

    def test_failure_after_writes_rolls_everything_back(self, new_audit_entries):
        # A unit of another voivodeship whose authority already holds the slug Brzeg would get.
        other = TerritorialUnit.objects.create(
            teryt="02", level=UnitLevel.VOIVODESHIP, name="x", valid_as_of=date(2024, 1, 1)
        )
        Authority.objects.create(unit=other, kind=AuthorityKind.VOIVODESHIP, name="x", slug="gmina-brzeg-1601011")

        with pytest.raises(TercImportError, match="gmina-brzeg-1601011"):
            terc_import(source=REFERENCE_TERC_FILE)

        assert list(TerritorialUnit.objects.values_list("teryt", flat=True)) == ["02"]
        assert Authority.objects.count() == 1
        assert not new_audit_entries().exists()

    def test_bad_voivodeship_option(self):
        with pytest.raises(TercImportError, match="musi mieć 2 cyfry"):
            terc_import(source=REFERENCE_TERC_FILE, voivodeship="6")


@pytest.mark.usefixtures("empty_territory")
class TestAudit:
    def test_one_entry_with_actor_and_counts(self, django_user_model, new_audit_entries):
        officer = django_user_model.objects.create_user(email="admin@example.org", password="x")

        terc_import(source=REFERENCE_TERC_FILE, actor=officer)

        entry = new_audit_entries().get()
        assert entry.actor == officer
        assert entry.action == "territory.terc_import"
        assert entry.details == {
            "source": "terc_16_2024-01-01.csv",
            "state_date": "2024-01-01",
            "voivodeship": "",
            "units_created": 84,
            "units_updated": 0,
            "units_unchanged": 0,
            "authorities_created": 83,
            "rows_skipped": 0,
        }

    def test_second_import_reports_zero_created(self, new_audit_entries):
        terc_import(source=REFERENCE_TERC_FILE)
        terc_import(source=REFERENCE_TERC_FILE)

        latest = new_audit_entries().first()
        assert new_audit_entries().count() == 2
        assert (latest.details["units_created"], latest.details["authorities_created"]) == (0, 0)
        assert latest.actor is None


def synthetic_country() -> str:
    """A TERC file the size of Poland's: 16 voivodeships, ~380 powiats, ~2,500 gminas."""
    lines = [HEADER.strip()]
    for woj in range(2, 34, 2):
        lines.append(f"{woj:02d};;;;WOJEWÓDZTWO {woj};województwo;2024-01-01")
        for pow_ in list(range(1, 23)) + [61, 62]:
            lines.append(f"{woj:02d};{pow_:02d};;;powiat {pow_};powiat;2024-01-01")
            for gmi in range(1, 3 if pow_ >= 61 else 8):
                rodz = 1 if pow_ >= 61 else gmi % 3 + 1
                lines.append(f"{woj:02d};{pow_:02d};{gmi:02d};{rodz};Gmina {gmi};gmina;2024-01-01")
                if rodz == 3:
                    lines.append(f"{woj:02d};{pow_:02d};{gmi:02d};4;Gmina {gmi};miasto;2024-01-01")
                    lines.append(f"{woj:02d};{pow_:02d};{gmi:02d};5;Gmina {gmi};obszar wiejski;2024-01-01")
    return "\n".join(lines) + "\n"


@pytest.mark.usefixtures("empty_territory")
def test_whole_country_imports_in_bulk(tmp_path, django_assert_max_num_queries):
    path = write(tmp_path, synthetic_country())

    started = time.monotonic()
    with django_assert_max_num_queries(150):
        result = terc_import(source=path)
    elapsed = time.monotonic() - started

    total = TerritorialUnit.objects.count()
    assert total == result.units_created > 2_800
    assert elapsed < 20, f"import of {total} units took {elapsed:.1f} s"
    result = terc_import(source=path)
    assert (result.units_created, result.units_unchanged, result.authorities_created) == (0, total, 0)


def test_xml_with_entities_is_refused_not_expanded(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        "<teryt><catalog><row><WOJ>&b;</WOJ></row></catalog></teryt>",
        encoding="utf-8",
    )
    with pytest.raises(TercImportError, match="DTD"):
        terc_import(source=bomb)
