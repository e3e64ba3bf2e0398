"""sitemap.xml (an index of one sitemap per kind of page), robots.txt and favicon.ico (core/sitemaps.py).

Every address the sitemaps list opens with 200 for an anonymous visitor; nothing that is not public is listed; the
number of queries of the index and of each section does not grow with the data.
"""

import re
from datetime import UTC, datetime, time
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.utils import timezone

from ngo_platform.competitions.models import CompetitionState
from ngo_platform.elections.models import ElectionState
from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import Authority
from tests.community.factories import make_event, make_news
from tests.competitions.factories import CompetitionFactory, officer
from tests.competitions.test_small_grants import published, small_offer
from tests.consultations.factories import make_consultation
from tests.elections.factories import ElectionFactory
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SECTIONS = [
    "strony",
    "samorzady",
    "organizacje",
    "konsultacje",
    "konkursy",
    "male-granty",
    "wybory",
    "rady",
    "aktualnosci",
    "wydarzenia",
]
# Exact SQL queries: the index counts each section (one COUNT each) and reads the newest change of the four
# sections that have one (one MAX each); a section counts its rows and reads one page of them.
INDEX_QUERIES = len(SECTIONS) - 1 + 4  # the static pages need no query
SECTION_QUERIES = {"strony": 0, **{name: 2 for name in SECTIONS if name != "strony"}}


def locations(xml: str) -> list[str]:
    return [urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", xml)]


def seed(opolskie, n=1):
    """`n` public objects of every kind, and one of each that is not public."""
    clerk = officer(opolskie)
    public, hidden = [], []
    for _ in range(n):
        public.append(make_consultation(opolskie, officer=clerk).get_absolute_url())
        public.append(CompetitionFactory().get_absolute_url())
        public.append(f"/konkursy/male-granty/{published(opolskie, clerk).pk}/")
        election = ElectionFactory(stage=ElectionState.VOTING)
        public += [election.get_absolute_url(), election.council.get_absolute_url()]
        public.append(OrganisationFactory().get_absolute_url())
        public.append(make_news(organisation=OrganisationFactory()).get_absolute_url())
        public.append(make_event(organisation=OrganisationFactory()).get_absolute_url())
    hidden.append(make_news(organisation=OrganisationFactory(), state="draft").get_absolute_url())
    hidden.append(make_event(organisation=OrganisationFactory(), state="draft").get_absolute_url())
    hidden.append(make_consultation(opolskie, officer=clerk, state="draft").get_absolute_url())
    hidden.append(CompetitionFactory(state=CompetitionState.DRAFT, published_at=None).get_absolute_url())
    hidden.append(f"/konkursy/male-granty/{small_offer(opolskie).pk}/")
    hidden.append(ElectionFactory(stage=ElectionState.DRAFT).get_absolute_url())
    hidden.append(OrganisationFactory(is_listed=False).get_absolute_url())
    return public, hidden


def listed(client) -> list[str]:
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and index["Content-Type"].startswith("application/xml")
    sections = locations(index.content.decode())
    assert sections == [f"/sitemap-{name}.xml" for name in SECTIONS]
    urls = []
    for section in sections:
        response = client.get(section)
        assert response.status_code == 200, section
        urls += locations(response.content.decode())
    return urls


def test_every_listed_address_opens_and_nothing_private_is_listed(client, opolskie):
    public, hidden = seed(opolskie)
    urls = listed(client)
    assert len(urls) == len(set(urls))
    assert set(public) <= set(urls)
    assert not set(hidden) & set(urls)
    assert {"/", "/organizacje/", "/konsultacje/", "/konkursy/", "/wybory/", "/samorzady/", "/aktualnosci/"} <= set(
        urls
    )
    assert "/wydarzenia/" in urls
    assert opolskie.get_absolute_url() in urls
    assert len([u for u in urls if u.startswith("/samorzady/") and u != "/samorzady/"]) == Authority.objects.count()
    for url in urls:
        assert client.get(url).status_code == 200, url
    for url in hidden:  # and they are indeed not public
        assert client.get(url).status_code == 404, url


def test_only_listed_organisations_and_announced_competitions(client, opolskie):
    organisation = OrganisationFactory()
    competition = CompetitionFactory()
    assert organisation.get_absolute_url() in listed(client)
    organisation.is_listed = False
    organisation.save()
    competition.state = CompetitionState.DRAFT
    competition.save()
    urls = listed(client)
    assert organisation.get_absolute_url() not in urls and competition.get_absolute_url() not in urls


def test_an_organisation_carries_its_last_change(client, reference_data):
    organisation = OrganisationFactory()
    # Changed at 23:30 UTC today: already tomorrow in Warsaw, the date the sitemap gives (and the CI clock may see).
    changed = datetime.combine(timezone.now().date(), time(23, 30), tzinfo=UTC)
    Organisation.objects.filter(pk=organisation.pk).update(updated_at=changed)
    xml = client.get("/sitemap-organizacje.xml").content.decode()
    assert f"<loc>http://testserver{organisation.get_absolute_url()}</loc>" in xml
    assert f"<lastmod>{timezone.localdate(changed).isoformat()}</lastmod>" in xml
    assert timezone.localdate(changed) != changed.date()


def measure(client, django_assert_num_queries):
    cache.clear()
    with django_assert_num_queries(INDEX_QUERIES):
        assert client.get("/sitemap.xml").status_code == 200
    for name in SECTIONS:
        with django_assert_num_queries(SECTION_QUERIES[name]):
            assert client.get(f"/sitemap-{name}.xml").status_code == 200


def test_queries_do_not_grow_with_the_data(client, opolskie, django_assert_num_queries):
    seed(opolskie, 1)
    measure(client, django_assert_num_queries)
    seed(opolskie, 4)
    measure(client, django_assert_num_queries)


def test_robots_txt_allows_public_pages_hides_private_areas_and_names_the_sitemap(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for private in ("/konto/", "/admin/", "/audyt/", "/umowy/", "/organizacje/weryfikacja/", "/konsultacje/urzad/"):
        assert f"Disallow: {private}" in lines
    for public in ("/organizacje/", "/konsultacje/", "/konkursy/", "/wybory/", "/samorzady/"):
        assert f"Disallow: {public}" not in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_favicon_ico_leads_to_the_platform_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/core/img/favicon.svg"
    assert "max-age=86400" in response["Cache-Control"]


def test_robots_and_sitemap_refuse_posts(client):
    assert client.post("/robots.txt").status_code == 405
    assert client.post("/favicon.ico").status_code == 405
