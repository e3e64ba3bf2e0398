"""The public directory: facets with counts, sorting, pagination, shareable URLs, exports, profiles."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.core.spreadsheets import headers
from ngo_platform.organisations import services
from ngo_platform.organisations.exports import COLUMNS, PUBLIC_COLUMNS
from ngo_platform.organisations.models import LegalForm, Register
from ngo_platform.territory.models import Sphere, TerritorialUnit
from tests.accounts.factories import OrganisationMembershipFactory
from tests.helpers import get_page, third_party_urls

pytestmark = pytest.mark.django_db


def make(name, teryt="1601011", **data):
    data.setdefault("legal_form", LegalForm.ASSOCIATION)
    spheres = data.pop("spheres", [])
    return services.organisation_create(
        actor=None,
        data={"name": name, "seat": TerritorialUnit.objects.get(teryt=teryt), "spheres": spheres, **data},
    )


@pytest.fixture
def sample(reference_data):
    culture = Sphere.objects.get(number="16")
    sport = Sphere.objects.get(number="17")
    return [
        make("Stowarzyszenie Przyjaciół Ziemi Brzeskiej", "1601011", spheres=[culture], is_opp=True),
        make("Fundacja Opolskie Centrum Wolontariatu", "1661011", legal_form=LegalForm.FOUNDATION, spheres=[culture]),
        make(
            "Uczniowski Klub Sportowy Orlik",
            "1608043",
            legal_form=LegalForm.STUDENT_SPORTS_CLUB,
            register=Register.STAROSTA,
            registry_number="12/2019",
            spheres=[sport],
        ),
        make("Klub Sportowy Odra Brzeg", "1601011", legal_form=LegalForm.SPORTS_CLUB, spheres=[sport]),
    ]


def names(response):
    return [o.name for o in response.context["page"].object_list]


def facet(response, name):
    return {o.value: (o.count, o.selected) for f in response.context["facets"] if f.name == name for o in f.options}


def test_directory_lists_all_by_name_with_facet_counts(client, sample):
    response = get_page(client, "/organizacje/", max_queries=32)
    assert names(response) == sorted(o.name for o in sample)
    assert facet(response, "powiat") == {"1601": (2, False), "1608": (1, False), "1661": (1, False)}
    assert facet(response, "sfera") == {"16": (2, False), "17": (2, False)}
    assert facet(response, "opp") == {"1": (1, False)}
    assert third_party_urls(response.content.decode()) == []


def test_facets_filter_and_count_over_the_other_filters(client, sample):
    response = get_page(client, "/organizacje/?powiat=1601&sfera=17", max_queries=32)
    assert names(response) == ["Klub Sportowy Odra Brzeg"]
    # The chosen powiat stays visible with its alternatives counted under the sphere filter.
    assert facet(response, "powiat") == {"1601": (1, True), "1608": (1, False)}
    assert facet(response, "gmina") == {"1601011": (1, False)}
    html = response.content.decode()
    assert 'aria-current="true"' in html


def test_legal_form_register_and_opp_filters(client, sample):
    assert names(get_page(client, "/organizacje/?forma=uks", max_queries=32)) == ["Uczniowski Klub Sportowy Orlik"]
    assert names(get_page(client, "/organizacje/?rejestr=starosta", max_queries=32)) == [
        "Uczniowski Klub Sportowy Orlik"
    ]
    assert names(get_page(client, "/organizacje/?opp=1", max_queries=32)) == [
        "Stowarzyszenie Przyjaciół Ziemi Brzeskiej"
    ]


def test_invalid_parameters_are_ignored_not_fatal(client, sample):
    response = get_page(client, "/organizacje/?powiat=abc&forma=nonsense&sort=zly&strona=99", max_queries=32)
    assert len(response.context["page"].object_list) == 4 or response.context["page"].number == 1


def test_sorting_and_pagination_keep_the_filters(client, reference_data):
    for n in range(25):
        make(f"Stowarzyszenie Numer {n:02d}")
    first = get_page(client, "/organizacje/?sort=-nazwa", max_queries=32)
    assert names(first)[0] == "Stowarzyszenie Numer 24" and len(names(first)) == 20
    html = first.content.decode()
    assert 'href="?sort=-nazwa&amp;strona=2"' in html
    second = get_page(client, "/organizacje/?sort=-nazwa&strona=2", max_queries=32)
    assert names(second) == [f"Stowarzyszenie Numer {n:02d}" for n in range(4, -1, -1)]


def test_queries_per_page_do_not_grow_with_the_page_size(client, reference_data):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    culture = Sphere.objects.get(number="16")
    make("Jedna", spheres=[culture])
    cache.clear()
    with CaptureQueriesContext(connection) as one:
        client.get("/organizacje/?sort=nazwa")
    for n in range(30):
        make(f"Kolejna {n}", spheres=[culture], is_opp=n % 2 == 0)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get("/organizacje/?sort=nazwa")
    assert len(many.captured_queries) == len(one.captured_queries)


def test_exports_hold_the_filtered_public_fields(client, sample):
    response = client.get("/organizacje/eksport.csv?powiat=1601")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(content)))
    assert table[0] == COLUMNS
    assert sorted(row[1] for row in table[1:]) == [
        "Klub Sportowy Odra Brzeg",
        "Stowarzyszenie Przyjaciół Ziemi Brzeskiej",
    ]
    assert "email" in COLUMNS and not any("user" in c or "pesel" in c for c in COLUMNS)

    data = json.loads(b"".join(client.get("/organizacje/eksport.json?forma=uks").streaming_content))
    assert [o["nazwa"] for o in data["organizacje"]] == ["Uczniowski Klub Sportowy Orlik"]
    assert data["organizacje"][0]["rejestr"] == "starosta" and data["organizacje"][0]["sfery"] == "17"

    workbook = load_workbook(io.BytesIO(client.get("/organizacje/eksport.xlsx").content), read_only=True)
    rows = list(workbook.active.values)
    assert list(rows[0]) == headers(PUBLIC_COLUMNS, labelled=True) and len(rows) == 5
    assert client.get("/organizacje/eksport.pdf").status_code == 404


def test_large_xlsx_export_is_built_once_by_the_worker_and_downloaded(
    client, sample, monkeypatch, django_capture_on_commit_callbacks
):
    from ngo_platform.organisations import views
    from ngo_platform.organisations.models import DirectoryExport

    monkeypatch.setattr(views, "XLSX_INLINE_LIMIT", 1)  # the two organisations of powiat 1601 are "large"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/organizacje/eksport.xlsx?powiat=1601")
    export = DirectoryExport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/organizacje/eksport/{export.key}/"
    assert export.state == "done" and export.row_count == 2

    status = get_page(client, response["Location"], max_queries=3).content.decode()
    assert "data-refresh-url" not in status and f"/organizacje/eksport/{export.key}/organizacje.xlsx" in status
    assert "?powiat=1601" in status  # back to the same filtered directory
    download = client.get(f"/organizacje/eksport/{export.key}/organizacje.xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).active.values)
    assert list(rows[0]) == headers(PUBLIC_COLUMNS, labelled=True)
    assert sorted(r[1] for r in rows[1:]) == ["Klub Sportowy Odra Brzeg", "Stowarzyszenie Przyjaciół Ziemi Brzeskiej"]

    # Asked again while the data is unchanged: the same file, nothing rebuilt.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.get("/organizacje/eksport.xlsx?powiat=1601")["Location"] == response["Location"]
    assert callbacks == [] and DirectoryExport.objects.count() == 1

    # After a write the data version changes: a new export, which includes the new organisation.
    with django_capture_on_commit_callbacks(execute=True):
        make("Fundacja Nowa w Brzegu", "1601011", legal_form=LegalForm.FOUNDATION)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = client.get("/organizacje/eksport.xlsx?powiat=1601")["Location"]
    assert fresh != response["Location"] and DirectoryExport.objects.get(key=fresh.split("/")[3]).row_count == 3


def test_export_pages_of_unknown_or_unfinished_exports(client, sample):
    from ngo_platform.organisations.models import DirectoryExport

    assert client.get("/organizacje/eksport/nieznany/").status_code == 404
    queued = DirectoryExport.objects.create(key="k" * 64, query="forma=uks")
    html = get_page(client, f"/organizacje/eksport/{queued.key}/", max_queries=3).content.decode()
    assert "data-refresh-url" in html and "organizacje.xlsx" not in html
    assert client.get(f"/organizacje/eksport/{queued.key}/organizacje.xlsx").status_code == 404


def test_failed_export_is_retried_on_the_next_request(client, sample, monkeypatch, django_capture_on_commit_callbacks):
    from ngo_platform.organisations import exports, views
    from ngo_platform.organisations.models import DirectoryExport

    monkeypatch.setattr(views, "XLSX_INLINE_LIMIT", 0)

    def broken(organisations):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "as_xlsx_counted", broken)
    with django_capture_on_commit_callbacks(execute=True):  # the worker logs the error, the page is unaffected
        assert client.get("/organizacje/eksport.xlsx").status_code == 302
    export = DirectoryExport.objects.get()
    assert export.state == "failed" and not export.file
    assert (
        "could not be prepared"
        in client.get(f"/organizacje/eksport/{export.key}/", HTTP_COOKIE="ngo_language=en").content.decode()
    )

    monkeypatch.undo()
    monkeypatch.setattr(views, "XLSX_INLINE_LIMIT", 0)
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/organizacje/eksport.xlsx")
    export.refresh_from_db()
    assert export.state == "done" and export.row_count == 4


def test_open_data_documentation_covers_every_column():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "open-data.md").read_text(encoding="utf-8")
    # Every column of every variant, with the label columns of Excel-PL and XLSX.
    missing = [column for column in headers(PUBLIC_COLUMNS, labelled=True) if f"`{column}`" not in doc]
    assert missing == []
    for variant in ("`/organizacje/eksport.csv`", "`/organizacje/eksport.csv?wariant=excel`", "`dd.mm.yyyy`"):
        assert variant in doc


def test_profile_shows_public_data_and_only_representatives_who_chose_so(client, sample):
    organisation = sample[0]
    OrganisationMembershipFactory(
        organisation=organisation, role=OrganisationRole.ADMIN, user__full_name="Anna Jawna", is_public=True
    )
    OrganisationMembershipFactory(
        organisation=organisation, role=OrganisationRole.EDITOR, user__full_name="Piotr Ukryty"
    )
    html = get_page(client, organisation.get_absolute_url(), max_queries=8).content.decode()
    assert "Stowarzyszenie Przyjaciół Ziemi Brzeskiej" in html and "1601011" in html
    assert "Anna Jawna" in html and "Piotr Ukryty" not in html
    get_page(client, "/organizacje/nie-ma-takiej/", max_queries=4, status=404)


def test_authority_page_lists_the_organisations_seated_there(client, sample):
    html = get_page(client, "/samorzady/gmina-brzeg-1601011/", max_queries=10).content.decode()
    assert "Klub Sportowy Odra Brzeg" in html and "Stowarzyszenie Przyjaciół Ziemi Brzeskiej" in html
    assert "Uczniowski Klub Sportowy Orlik" not in html
    html = get_page(client, "/samorzady/powiat-brzeski-1601/", max_queries=11).content.decode()
    assert "Klub Sportowy Odra Brzeg" in html


def test_a_warm_directory_page_runs_a_handful_of_queries(client, sample):
    client.get("/organizacje/?powiat=1601")
    get_page(client, "/organizacje/?powiat=1601", max_queries=2)


def test_a_write_refreshes_counts_and_facets(client, sample, django_capture_on_commit_callbacks):
    assert get_page(client, "/organizacje/", max_queries=32).context["page"].paginator.count == 4
    with django_capture_on_commit_callbacks(execute=True):
        make("Nowe Stowarzyszenie Seniorów", "1601011")
    response = get_page(client, "/organizacje/", max_queries=32)
    assert response.context["page"].paginator.count == 5
    assert facet(response, "powiat")["1601"] == (3, False)


def test_the_anonymous_page_cache_is_keyed_by_language_and_display_and_skips_signed_in_people(client, sample):
    from tests.accounts.factories import UserFactory

    first = client.get("/organizacje/").content
    assert client.get("/organizacje/").content == first  # served from the cache
    assert b"csrfmiddlewaretoken" not in first
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert b'<html lang="en"' in client.get("/organizacje/").content
    client.post("/wyswietlanie/", {"contrast": "on", "next": "/"})
    assert b"theme-contrast" in client.get("/organizacje/").content
    client.force_login(UserFactory())
    html = client.get("/organizacje/").content
    assert b"csrfmiddlewaretoken" in html and b"/konto/logout/" in html


def test_a_cached_page_costs_one_cache_round_trip_and_never_outlives_a_write(
    client, sample, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    client.get("/organizacje/")
    client.get("/organizacje/")  # the process has now seen the current version
    calls = []
    for name in ("get", "get_many"):
        original = getattr(cache, name)
        monkeypatch.setattr(
            cache, name, lambda *a, _name=name, _original=original, **k: calls.append(_name) or _original(*a, **k)
        )
    hit = get_page(client, "/organizacje/", max_queries=1)  # the test settings cache in the database
    assert calls == ["get_many"] and "page" not in (hit.context or {})

    with django_capture_on_commit_callbacks(execute=True):
        make("Stowarzyszenie Po Zapisie", "1601011")
    assert "Stowarzyszenie Po Zapisie" in client.get("/organizacje/").content.decode()


def test_a_broad_search_says_more_than_and_shows_choices_without_numbers(client, reference_data, monkeypatch):
    from ngo_platform.organisations import selectors

    monkeypatch.setattr(selectors, "SEARCH_COUNT_LIMIT", 3)
    for n in range(5):
        make(f"Stowarzyszenie Numer {n}", "1601011" if n % 2 else "1661011")
    make("Fundacja Inna", "1601011")
    response = get_page(client, "/organizacje/?q=stowarzyszenie", max_queries=48)
    html = response.content.decode()
    assert "Ponad 3 organizacji" in html or "Ponad 3" in html
    assert response.context["broad"] is True
    assert all(option.count is None for f in response.context["facets"] for option in f.options)
    assert {o.value for f in response.context["facets"] if f.name == "powiat" for o in f.options} == {"1601", "1661"}
    narrow = get_page(client, "/organizacje/?q=fundacja", max_queries=40)
    assert narrow.context["broad"] is False and names(narrow) == ["Fundacja Inna"]


def test_a_broad_search_ranks_name_matches_first_within_its_limit(client, reference_data, monkeypatch):
    """PostgreSQL ranks only SEARCH_COUNT_LIMIT candidates of a broad search: name matches come first
    (and fill the page), the description-only matches are looked at only when names are too few."""
    from ngo_platform.organisations import selectors

    monkeypatch.setattr(selectors, "SEARCH_COUNT_LIMIT", 3)
    for n in range(3):
        make(f"Klub Turystyczny {n}", description="Zrzesza stowarzyszenia turystyczne regionu.")
    for n in range(4):
        make(f"Stowarzyszenie Numer {n}")
    listed = names(get_page(client, "/organizacje/?q=stowarzyszenie", max_queries=48))
    assert len(listed) == 3 and all(name.startswith("Stowarzyszenie Numer") for name in listed)

    # Fewer name matches than the limit: the description matches fill the rest, after them.
    listed = names(get_page(client, "/organizacje/?q=turystyczne", max_queries=48))
    assert len(listed) == 3 and all(name.startswith("Klub Turystyczny") for name in listed)
    make("Turystyczne Stowarzyszenie Gór Opawskich")
    listed = names(get_page(client, "/organizacje/?q=stowarzyszenia+turystyczne", max_queries=48))
    assert listed[0] == "Turystyczne Stowarzyszenie Gór Opawskich" and len(listed) == 3
    assert all(name.startswith("Klub Turystyczny") for name in listed[1:])


def test_a_broad_search_keeps_its_candidates_for_the_next_page_until_a_write(
    client, reference_data, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ngo_platform.organisations import selectors

    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL ranks a bounded set of candidates")
    monkeypatch.setattr(selectors, "SEARCH_COUNT_LIMIT", 3)
    for n in range(5):
        make(f"Stowarzyszenie Numer {n}")
    first = names(client.get("/organizacje/?q=stowarzyszenie"))
    with CaptureQueriesContext(connection) as again:
        assert names(client.get("/organizacje/?q=stowarzyszenie&sort=trafnosc")) == first

    def choosing(queries):  # the query that chooses a broad search's candidates
        return [q for q in queries.captured_queries if '"id" AS "pk"' in q["sql"] and "name_vector @@" in q["sql"]]

    assert choosing(again) == []  # the candidates were reused

    with django_capture_on_commit_callbacks(execute=True):
        make("Stowarzyszenie Aaa Pierwsze")  # a write: the next search chooses its candidates anew
    with CaptureQueriesContext(connection) as after:
        client.get("/organizacje/?q=stowarzyszenie&sort=trafnosc")
    assert len(choosing(after)) == 1


def test_an_organisation_never_takes_an_address_of_a_page(reference_data):
    organisation = make("Import")
    assert organisation.slug == "import-2"


@pytest.mark.parametrize(
    "query",
    [
        "?q=stowarzyszenie",
        "?q=klub&powiat=1601",
        "?q=klub&sfera=17&powiat=1601",
        "?q=sportowy&forma=uks",
        "?q=stowarzyszenie&opp=1",
        "?q=klub&rejestr=starosta",
        "?q=klub&powiat=1601&gmina=1601011",
    ],
)
def test_search_counts_computed_in_python_equal_the_database_grouping(client, sample, query):
    from django.http import QueryDict

    from ngo_platform.organisations import selectors
    from ngo_platform.organisations.forms import DirectoryFilterForm

    filters = DirectoryFilterForm(QueryDict(query[1:])).filters()
    in_python = selectors._search_summary(filters)
    in_database = selectors._summary_by_grouping(filters)
    assert in_python is not None
    assert in_python["count"] == in_database["count"]
    assert in_python["counts"] == in_database["counts"]


def test_a_search_page_costs_one_full_text_query_for_all_counts(client, sample):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get("/organizacje/?q=klub&powiat=1601")
    searching = [q["sql"] for q in queries.captured_queries if "searchentry" in q["sql"].lower()]
    assert len(searching) <= 2  # the counts and the page of results
