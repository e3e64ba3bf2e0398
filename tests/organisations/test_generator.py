"""The generator of believable organisations (demo data, benchmarks)."""

import re
from collections import Counter

import pytest
from django.core.validators import EmailValidator, URLValidator

from ngo_platform.core.models import AuditEntry
from ngo_platform.organisations import generator, identifiers, services
from ngo_platform.organisations.models import LegalForm, Organisation, Register, SearchEntry
from ngo_platform.territory.models import SphereCatalogue, TerritorialUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(reference_data):
    return list(generator.generate(400, seed=11))


def test_generated_identifiers_are_valid_and_unique(rows):
    for field, clean in (
        ("krs", identifiers.krs_clean),
        ("nip", identifiers.nip_clean),
        ("regon", identifiers.regon_clean),
    ):
        values = [row[field] for row in rows if row[field]]
        assert len(values) > len(rows) / 2
        assert len(values) == len(set(values)), field
        for value in values:
            assert clean(value) == value, (field, value)
    assert any(len(row["regon"] or "") == 14 for row in generator.generate(2000, seed=3))


def test_generated_rows_follow_the_registers_of_their_legal_forms(rows):
    newest = SphereCatalogue.objects.order_by("-effective_from").first()
    for row in rows:
        assert row["name"] and len(row["name"]) <= 300
        assert (row["register"] == Register.KRS) == bool(row["krs"])
        if row["register"] == Register.STAROSTA:
            assert re.fullmatch(r"[A-Z]+/\d+/\d{4}", row["registry_number"])
            assert row["registry_authority"].startswith(("Starosta ", "Prezydent Miasta "))
        if row["legal_form"] in (LegalForm.ORDINARY_ASSOCIATION, LegalForm.STUDENT_SPORTS_CLUB) and not row["is_opp"]:
            assert row["register"] == Register.STAROSTA
        if row["legal_form"] in (LegalForm.FOUNDATION, LegalForm.VOLUNTEER_FIRE_BRIGADE):
            assert row["register"] == Register.KRS
        if row["is_opp"]:  # OPP status needs a KRS entry and exists since 2004
            assert row["krs"] and row["opp_since"].year >= 2004 and row["opp_since"] > row["founded_on"]
        else:
            assert row["opp_since"] is None
        assert 1 <= len(row["spheres"]) <= 4
        assert all(sphere.catalogue_id == newest.pk for sphere in row["spheres"])
        assert row["seat"].level == "gmina"
        assert 1 <= row["description"].count(".") <= 4 and row["description"].startswith(row["description_short"][:-1])
        if row["website"]:
            URLValidator()(row["website"])
        if row["email"]:
            EmailValidator()(row["email"])
        assert re.fullmatch(r"\d\d-\d\d\d", row["postal_code"])


def test_generated_rows_look_like_a_real_registry(rows):
    forms = Counter(row["legal_form"] for row in rows)
    assert forms.most_common(1)[0][0] == LegalForm.ASSOCIATION
    assert {LegalForm.FOUNDATION, LegalForm.VOLUNTEER_FIRE_BRIGADE, LegalForm.RURAL_HOUSEWIVES_CIRCLE} <= set(forms)
    assert 0.02 < sum(row["is_opp"] for row in rows) / len(rows) < 0.2
    names = " ".join(row["name"] for row in rows)
    for pattern in ("Stowarzyszenie", "Fundacja", "Ochotnicza Straż Pożarna w ", "Koło Gospodyń Wiejskich", "„"):
        assert pattern in names
    # Polish place-name forms, not "w Opole".
    assert "w Opolu" in names or "w Nysie" in names or "w Brzegu" in names
    text = " ".join(row["description"] for row in rows)
    for word in ("dzieci", "młodzieży", "seniorów", "kultur", "gmin"):
        assert word in text


def test_organisations_are_spread_over_many_gminas_with_cities_weighted_more(reference_data):
    rows = list(generator.generate(1500, seed=5))
    seats = Counter(row["seat"].teryt for row in rows)
    gminas = TerritorialUnit.objects.filter(level="gmina").count()
    assert len(seats) >= 0.8 * gminas
    assert seats.most_common(1)[0][0] == "1661011"  # Opole
    assert seats["1661011"] > 5 * seats.get("1606042", 0)  # than Świerczów, a rural gmina


def test_generation_is_deterministic_for_a_seed(reference_data):
    def plain(rows):
        return [
            {k: (v.pk if hasattr(v, "pk") else [x.pk for x in v] if isinstance(v, list) else v) for k, v in row.items()}
            for row in rows
        ]

    first = plain(generator.generate(60, seed=42))
    assert first == plain(generator.generate(60, seed=42))
    assert first != plain(generator.generate(60, seed=43))


def test_taken_identifiers_are_skipped_without_changing_the_rest(reference_data):
    free = list(generator.generate(30, seed=8))
    taken = generator.TakenIdentifiers(krs={free[0]["krs"]} - {None}, nip={free[0]["nip"]} - {None})
    again = list(generator.generate(30, seed=8, taken=taken))
    assert [row["name"] for row in again] == [row["name"] for row in free]
    assert free[0]["krs"] is None or again[0]["krs"] != free[0]["krs"]
    assert free[0]["nip"] is None or again[0]["nip"] != free[0]["nip"]


def test_generated_data_passes_the_service(reference_data):
    for data in generator.generate(12, seed=21):
        organisation = services.organisation_create(actor=None, data=data)  # full_clean inside
        assert organisation.spheres.count() == len(data["spheres"])
        assert SearchEntry.objects.filter(organisation=organisation).exists()


def test_bulk_insert_creates_organisations_with_spheres_and_search_entries(reference_data):
    before = Organisation.objects.count()
    last_pk = Organisation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    progress = []
    inserted = generator.bulk_insert(500, seed=13, batch_size=200, progress=lambda done, total: progress.append(done))
    assert inserted == 500 and progress == [200, 400, 500]
    created = Organisation.objects.filter(pk__gt=last_pk)
    assert Organisation.objects.count() == before + 500
    assert SearchEntry.objects.filter(organisation__in=created).count() == 500
    assert not SearchEntry.objects.filter(organisation__in=created, name_terms="").exists()
    assert not created.filter(spheres=None).exists()
    assert created.exclude(areas=None).exists()
    assert AuditEntry.objects.filter(action=generator.GENERATE_ACTION, details__seed=13).count() == 3
    # Another run of the same seed: same names, new addresses and identifiers (no clash).
    assert generator.bulk_insert(50, seed=13) == 50
    for field in ("slug", "krs", "nip", "regon"):
        values = [v for v in Organisation.objects.values_list(field, flat=True) if v]
        assert len(values) == len(set(values)), field
    first = created.order_by("pk").first()
    assert Organisation.objects.filter(name=first.name, slug__startswith=first.slug).count() >= 2
