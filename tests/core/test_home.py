"""The home page: what is open now (consultations closing soonest, competitions accepting offers, elections in
nominations or voting), the directory's search, true counts; served from the page cache to anonymous visitors
until what it shows changes (or a minute passes: its lists are chosen by their dates); its SQL queries do not
grow with the data.

Strings of `core` are merged into the catalogue by the lead: these tests assert data, addresses and markup, not
the new Polish sentences.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from ngo_platform.competitions import services as competition_services
from ngo_platform.consultations.models import Consultation
from ngo_platform.elections import services as election_services
from ngo_platform.elections.models import ElectionState
from ngo_platform.organisations import services as organisation_services
from ngo_platform.organisations.models import LegalForm, Organisation
from ngo_platform.territory.models import Authority, TerritorialUnit
from tests.accounts.factories import UserFactory
from tests.competitions.factories import CompetitionFactory
from tests.competitions.factories import officer as competition_officer
from tests.consultations.factories import make_consultation, officer_of
from tests.core import query_fixtures as data
from tests.elections.factories import ElectionFactory
from tests.elections.factories import officer as election_officer
from tests.helpers import section, third_party_urls

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def local(moment) -> str:
    """A moment as the page writes it (`j E Y, H:i` in Warsaw, Polish month names)."""
    from django.utils.dateformat import format as date_format
    from django.utils.translation import override

    with override("pl"):
        return date_format(timezone.localtime(moment), "j E Y, H:i")


# --- What is open now ---


def test_open_consultations_closing_soonest_first_with_their_end_and_nothing_closed_or_scheduled(client, opolskie):
    later = make_consultation(opolskie, title="Konsultacje kończące się później")
    sooner = make_consultation(opolskie, title="Konsultacje kończące się wcześniej")
    Consultation.objects.filter(pk=sooner.pk).update(ends_at=timezone.now() + 2 * DAY)
    sooner.refresh_from_db()
    scheduled = make_consultation(opolskie, state="scheduled", title="Konsultacje zaplanowane")
    draft = make_consultation(opolskie, state="draft", title="Konsultacje w projekcie")
    # Open in the database, but its end has passed and no cron job has closed it yet: not open now.
    ended = make_consultation(opolskie, title="Konsultacje po terminie")
    Consultation.objects.filter(pk=ended.pk).update(
        starts_at=timezone.now() - 15 * DAY, ends_at=timezone.now() - timedelta(minutes=1)
    )
    html = section(home(client), "consultations-heading")
    assert html.index(sooner.title) < html.index(later.title)
    assert f'href="{sooner.get_absolute_url()}"' in html and local(sooner.ends_at) in html
    assert f'datetime="{timezone.localtime(sooner.ends_at):%Y-%m-%dT%H:%M:%S%z}"' in html  # whole seconds
    assert opolskie.name in html
    for hidden in (scheduled, draft, ended):
        assert hidden.title not in html


def test_competitions_accepting_offers_by_deadline_and_none_closed_drafted_or_decided(client, opolskie):
    later = CompetitionFactory(title="Konkurs z późniejszym terminem", offers_deadline=timezone.now() + 20 * DAY)
    sooner = CompetitionFactory(title="Konkurs z bliższym terminem", offers_deadline=timezone.now() + 3 * DAY)
    closed = CompetitionFactory(title="Konkurs po terminie", offers_deadline=timezone.now() - timedelta(minutes=1))
    draft = CompetitionFactory(title="Konkurs w projekcie", state="draft", published_at=None)
    decided = CompetitionFactory(
        title="Konkurs rozstrzygnięty", state="results", offers_deadline=timezone.now() - 30 * DAY
    )
    html = section(home(client), "competitions-heading")
    assert html.index(sooner.title) < html.index(later.title)
    assert f'href="{sooner.get_absolute_url()}"' in html and local(sooner.offers_deadline) in html
    assert "100\xa0000,00\xa0zł" in html  # the factory's funds
    for hidden in (closed, draft, decided):
        assert hidden.title not in html


def test_elections_in_nominations_or_voting_with_their_dates_only(client, reference_data):
    nominations = ElectionFactory(stage=ElectionState.NOMINATIONS, title="Wybory w fazie zgłoszeń")
    listed = ElectionFactory(stage=ElectionState.LIST_PUBLISHED, title="Wybory przed głosowaniem")
    voting = ElectionFactory(stage=ElectionState.VOTING, title="Wybory w trakcie głosowania")
    hidden = [
        ElectionFactory(stage=ElectionState.DRAFT, title="Wybory w projekcie"),
        ElectionFactory(stage=ElectionState.VERIFICATION, title="Wybory w weryfikacji"),
        ElectionFactory(stage=ElectionState.RESULTS, title="Wybory policzone"),
        ElectionFactory(stage=ElectionState.CANCELLED, title="Wybory unieważnione"),
        # In nominations in the database, but they closed a minute ago (no page has advanced the stage yet).
        ElectionFactory(
            stage=ElectionState.NOMINATIONS,
            title="Wybory po zgłoszeniach",
            nominations_end=timezone.now() - timedelta(minutes=1),
        ),
    ]
    html = section(home(client), "elections-heading")
    # The nearest deadline first: the nominations' end (tomorrow), then the votings' ends.
    assert html.index(nominations.title) < html.index(voting.title) < html.index(listed.title)
    assert local(nominations.nominations_start) in html and local(nominations.nominations_end) in html
    assert local(voting.voting_start) in html and local(voting.voting_end) in html
    assert f'href="{voting.get_absolute_url()}"' in html and voting.council.name in html
    for election in hidden:
        assert election.title not in html


def test_each_list_shows_five_and_links_to_the_whole_filtered_list(client, opolskie):
    for n in range(7):
        make_consultation(opolskie, title=f"Konsultacje numer {n}")
        CompetitionFactory(title=f"Konkurs numer {n}", offers_deadline=timezone.now() + (5 + n) * DAY)
    html = home(client)
    consultations, competitions = section(html, "consultations-heading"), section(html, "competitions-heading")
    assert consultations.count('class="result"') == 5 and competitions.count('class="result"') == 5
    assert re.search(r'<a href="/konsultacje/\?stan=open">[^<]*\b7\b', consultations)  # "all 7 open ones"
    assert 'href="/konkursy/?status=open"' in competitions and "Konkurs numer 0" in competitions
    assert "Konkurs numer 6" not in competitions  # the latest deadline is beyond the five soonest


def test_nothing_open_says_so_and_links_to_every_list(client, reference_data):
    html = home(client)
    for heading, url in (
        ("consultations-heading", "/konsultacje/"),
        ("competitions-heading", "/konkursy/"),
        ("elections-heading", "/wybory/"),
    ):
        part = section(html, heading)
        assert 'class="result"' not in part and f'href="{url}"' in part


# --- Counts, search, promises ---


def test_the_counts_are_those_of_the_directory_the_authorities_and_what_is_open(client, opolskie):
    data.organisations(3)
    Organisation.objects.filter(pk=Organisation.objects.order_by("pk").first().pk).update(is_listed=False)
    make_consultation(opolskie)
    make_consultation(opolskie, state="scheduled")
    CompetitionFactory()
    CompetitionFactory(offers_deadline=timezone.now() - DAY)
    html = section(home(client), "numbers-heading")
    authorities = Authority.objects.filter(unit__teryt__startswith="16").count()
    links = dict(re.findall(r'<a href="([^"]+)">\s*(\d+) ', html))
    assert links == {
        "/organizacje/": "2",  # the unlisted one is not in the directory
        "/samorzady/": str(authorities),
        "/konsultacje/?stan=open": "1",
        "/konkursy/?status=open": "1",
    }


def test_the_search_box_sends_the_words_to_the_directory(client, reference_data):
    html = home(client)
    form = re.search(r'<form method="get" action="([^"]+)" role="search"[^>]*>(.*?)</form>', html, re.S)
    assert form and form[1] == "/organizacje/"
    assert 'name="q"' in form[2] and 'maxlength="200"' in form[2] and '<label for="home-q">' in form[2]
    organisation_services.organisation_create(
        actor=None, data={"name": "Fundacja Szukana", "legal_form": LegalForm.FOUNDATION, "seat": _brzeg()}
    )
    assert "Fundacja Szukana" in client.get("/organizacje/", {"q": "szukana"}).content.decode()


def test_the_home_page_promises_nothing_the_platform_does_not_have(client, reference_data):
    html = home(client).lower()
    for missing in ("award", "nagrod"):  # partnerships came with issue 16
        assert missing not in html, missing
    assert third_party_urls(html) == []


def test_a_signed_in_person_is_not_invited_to_sign_up(client, reference_data):
    assert 'href="/konto/signup/"' in section(home(client), "start-heading")
    client.force_login(UserFactory())
    assert 'href="/konto/signup/"' not in section(home(client), "start-heading")


# --- The page cache ---


def test_anonymous_visitors_get_the_cached_page_until_a_competition_changes(
    client, opolskie, django_capture_on_commit_callbacks
):
    competition = CompetitionFactory(title="Konkurs do unieważnienia")
    assert competition.title in home(client)
    Competition = type(competition)
    Competition.objects.filter(pk=competition.pk).update(title="Zmieniony bez usługi")
    assert "Konkurs do unieważnienia" in home(client)  # served from the cache: no service told it
    with django_capture_on_commit_callbacks(execute=True):
        competition_services.competition_annul(
            actor=competition_officer(opolskie), competition=competition, ground="reserved", reason="Brak środków."
        )
    html = home(client)
    assert "Zmieniony bez usługi" not in html and "Konkurs do unieważnienia" not in html


def test_a_new_organisation_moves_the_count_at_once(client, reference_data, django_capture_on_commit_callbacks):
    assert re.search(r'href="/organizacje/">\s*0 ', home(client))
    with django_capture_on_commit_callbacks(execute=True):
        organisation_services.organisation_create(
            actor=None, data={"name": "Stowarzyszenie Nowe", "legal_form": LegalForm.ASSOCIATION, "seat": _brzeg()}
        )
    assert re.search(r'href="/organizacje/">\s*1 ', home(client))


def test_a_deadline_that_passes_leaves_the_page_within_a_minute(client, opolskie):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        competition = CompetitionFactory(offers_deadline=timezone.now() + timedelta(seconds=10))
        assert competition.title in home(client)
        clock.shift(timedelta(seconds=20))
        home(client)  # the deadline has passed; the page of this minute may still be served
        clock.shift(timedelta(seconds=60))
        assert competition.title not in home(client)


def test_a_consultation_opened_now_is_on_the_cached_page_at_once(client, opolskie, django_capture_on_commit_callbacks):
    officer = officer_of(opolskie)
    home(client)
    with django_capture_on_commit_callbacks(execute=True):
        consultation = make_consultation(opolskie, officer=officer, title="Konsultacje otwarte przed chwilą")
    assert consultation.title in home(client)


def test_an_election_opening_its_nominations_is_on_the_cached_page_at_once(
    client, opolskie, django_capture_on_commit_callbacks
):
    election = ElectionFactory(stage=ElectionState.DRAFT, title="Wybory otwierane teraz")
    home(client)
    with django_capture_on_commit_callbacks(execute=True):
        election_services.election_transition(
            actor=election_officer(opolskie), election=election, target=ElectionState.NOMINATIONS
        )
    assert election.title in home(client)


# --- Bounded queries ---

# Exact counts. Anonymous and warm (the page cached): one cache read (the five versions and the page this process
# saw last, together). Cold (the cache emptied, as tests/core/test_query_counts.py
# measures pages; the test settings cache in the database, so each cache read and write is counted with its
# savepoints): 43 queries of the cache (the five versions created, the directory's total and the page looked up and
# stored) and the page's nine: the four lists (consultations, competitions, elections, news), the first three's
# counts, the organisations in the directory (the total kept in the cache until the next write) and the
# authorities. On Redis the cold page is those nine queries and the cache's round trips.
WARM, COLD = 1, 52


def _grow(opolskie, n, start):
    data.organisations(n, start=start)
    officer = officer_of(opolskie)
    for i in range(n):
        make_consultation(opolskie, officer=officer, title=f"Konsultacje {start + i}")
        CompetitionFactory()
        ElectionFactory(stage=ElectionState.VOTING if i % 2 else ElectionState.NOMINATIONS)


def test_the_number_of_queries_does_not_grow_with_the_data(client, opolskie, django_assert_num_queries):
    for n, start in ((2, 0), (10, 2)):
        _grow(opolskie, n, start)
        client.get("/")  # warms the process
        cache.clear()
        with django_assert_num_queries(COLD):
            response = client.get("/")
        assert len(response.context["consultations"]) == min(start + n, 5)
        with django_assert_num_queries(WARM):
            assert client.get("/").status_code == 200


def _brzeg():
    return TerritorialUnit.objects.get(teryt="1601011")
