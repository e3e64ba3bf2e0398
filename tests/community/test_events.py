"""Events: writing one (with its place, its accessibility and its registration checked), the list and the month
(with the consultations' meetings and the competitions' deadlines), the calendar feed in its bounded window with
links back, and registration with its limit, waiting list and cancellations (exactly once, under concurrency)."""

import threading
from datetime import timedelta
from unittest import mock

import icalendar
import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from ngo_platform.community import services
from ngo_platform.community.models import Event, EventRegistration
from ngo_platform.community.workflows import EVENT, EventError
from ngo_platform.consultations.services import meeting_add
from ngo_platform.core.workflow import perform
from tests.accounts.factories import UserFactory
from tests.community.factories import event_data, make_event, writer_for
from tests.competitions.factories import CompetitionFactory
from tests.consultations.factories import make_consultation, officer_of
from tests.dates import typeable
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(reference_data):
    return OrganisationFactory()


def states(event):
    return list(event.registrations.order_by("created_at", "id").values_list("state", flat=True))


def test_registration_fills_the_places_then_the_waiting_list_and_a_cancellation_moves_it(organisation):
    event = make_event(organisation=organisation, registration="platform", capacity=2)
    first, second, third, fourth = (UserFactory() for _ in range(4))
    for person in (first, second, third, fourth):
        services.registration_create(actor=person, event=event)
    assert states(event) == ["registered", "registered", "waiting", "waiting"]
    again = services.registration_create(actor=first, event=event)  # a double click registers once
    assert again.state == "registered" and event.registrations.count() == 4
    mail.outbox.clear()
    services.registration_cancel(actor=second, registration=event.registrations.get(user=second))
    assert dict(event.registrations.values_list("user", "state")) == {
        first.pk: "registered",
        second.pk: "cancelled",
        third.pk: "registered",  # the first who waited
        fourth.pk: "waiting",
    }
    assert [message.to for message in mail.outbox] == [[third.email]]
    assert "Zwolniło się miejsce" in mail.outbox[0].body and event.get_absolute_url() in mail.outbox[0].body
    # The person who left may come back: at the end of the queue.
    assert services.registration_create(actor=second, event=event).state == "waiting"


def test_more_places_take_those_who_wait_and_fewer_than_registered_are_refused(organisation):
    event = make_event(organisation=organisation, registration="platform", capacity=1)
    people = [UserFactory() for _ in range(3)]
    for person in people:
        services.registration_create(actor=person, event=event)
    author = writer_for(organisation)
    services.event_update(actor=author, event=event, data=event_data(registration="platform", capacity=2))
    assert states(event) == ["registered", "registered", "waiting"]
    with pytest.raises(EventError, match="2"):
        services.event_update(actor=author, event=event, data=event_data(registration="platform", capacity=1))
    event.refresh_from_db()
    assert event.capacity == 2


def test_nobody_registers_for_a_draft_a_cancelled_or_a_past_event(organisation):
    person = UserFactory()
    for event in (
        make_event(organisation=organisation, state="draft", registration="platform", capacity=5),
        make_event(organisation=organisation, state="cancelled", registration="platform", capacity=5),
    ):
        with pytest.raises(EventError):
            services.registration_create(actor=person, event=event)
    past = make_event(organisation=organisation, registration="platform", capacity=5)
    Event.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(EventError):
        services.registration_create(actor=person, event=past)
    assert not EventRegistration.objects.exists()


def test_cancelling_tells_each_registered_person_in_their_own_message(organisation):
    event = make_event(organisation=organisation, registration="platform", capacity=1)
    people = [UserFactory() for _ in range(3)]
    for person in people:
        services.registration_create(actor=person, event=event)
    services.registration_cancel(actor=people[2], registration=event.registrations.get(user=people[2]))
    mail.outbox.clear()
    perform(EVENT, event, "cancel", actor=writer_for(organisation))
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in people[:2])
    assert all(len(message.to) == 1 and "Odwołane" in message.subject for message in mail.outbox)


@pytest.mark.django_db(transaction=True)
def test_two_people_registering_at_once_for_the_last_place_get_it_once(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    event = make_event(organisation=OrganisationFactory(), registration="platform", capacity=1)
    people = [UserFactory() for _ in range(6)]
    barrier = threading.Barrier(len(people))

    def register(person):
        barrier.wait()
        try:
            services.registration_create(actor=person, event=Event.objects.get(pk=event.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(states(event)) == ["registered"] + ["waiting"] * 5


def _form(organisation, **overrides):
    data = event_data(**overrides)
    data["starts_at"] = typeable(data["starts_at"]).strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = typeable(data["ends_at"]).strftime("%Y-%m-%dT%H:%M")
    data["gmina"] = data["gmina"].pk if data["gmina"] else ""
    data["capacity"] = data["capacity"] or ""
    data["all_day"] = "on" if data["all_day"] else ""
    return {"party": f"organisation:{organisation.pk}", **data}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"place": "", "online_url": ""}, "place", "Podaj adres miejsca albo link do spotkania online, albo oba."),
        ({"gmina": None}, "gmina", "Wybierz gminę, w której leży miejsce."),
        ({"accessibility": ""}, "accessibility", "To pole jest wymagane."),
        ({"registration": "external"}, "registration_url", "Podaj adres strony, na której można się zapisać."),
        ({"registration": "platform"}, "capacity", "Podaj liczbę miejsc (co najmniej jedno)."),
    ],
)
def test_the_form_says_what_is_missing_next_to_its_field_and_saves_nothing(
    client, organisation, overrides, field, message
):
    client.force_login(writer_for(organisation))
    response = client.post("/wydarzenia/nowe/", _form(organisation, **overrides))
    html = response.content.decode()
    assert response.status_code == 200 and f'id="id_{field}_error"' in html and message in html, html[-3000:]
    assert 'value="Szkolenie"' in html
    assert not Event.objects.exists()


def test_an_end_before_the_start_is_refused(client, organisation):
    client.force_login(writer_for(organisation))
    start = timezone.now() + timedelta(days=3)
    response = client.post(
        "/wydarzenia/nowe/", _form(organisation, starts_at=start, ends_at=start - timedelta(hours=1))
    )
    assert "Koniec musi być po początku." in response.content.decode() and not Event.objects.exists()


def test_an_all_day_event_lasts_from_midnight_of_its_first_day_to_midnight_after_its_last(client, organisation):
    client.force_login(writer_for(organisation))
    start = timezone.now() + timedelta(days=5)
    response = client.post(
        "/wydarzenia/nowe/", _form(organisation, all_day=True, starts_at=start, ends_at=start + timedelta(days=1))
    )
    event = Event.objects.get()
    assert response.status_code == 302
    local_start, local_end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    assert (local_start.hour, local_start.minute, local_end.hour) == (0, 0, 0)
    assert event.days == 2 and event.last_day == timezone.localtime(start).date() + timedelta(days=1)


def test_the_list_shows_what_is_coming_and_filters_it(client, organisation, opolskie):
    make_event(organisation=organisation, title="Zajęcia w Brzegu")
    make_event(authority=opolskie, title="Webinar", place="", gmina=None, online_url="https://example.org/w")
    make_event(organisation=organisation, title="Szkic", state="draft")
    past = make_event(organisation=organisation, title="Minione")
    Event.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(days=3, hours=-2)
    )

    def titles(query=""):
        cache.clear()
        return [event.title for event in client.get(f"/wydarzenia/{query}").context["page"].object_list]

    assert titles() == ["Zajęcia w Brzegu", "Webinar"]
    assert titles("?online=on") == ["Webinar"]
    assert titles("?powiat=1601") == ["Zajęcia w Brzegu"]
    assert titles(f"?organ={opolskie.slug}") == ["Webinar"]
    assert titles("?organizator=organisation") == ["Zajęcia w Brzegu"]
    assert titles("?kiedy=minione") == ["Minione"]


def test_the_month_shows_events_on_every_day_they_last_with_meetings_and_deadlines(client, organisation, opolskie):
    day = timezone.localdate() + timedelta(days=1)
    start = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())) + timedelta(hours=10)
    make_event(organisation=organisation, title="Trzydniowy obóz", starts_at=start, ends_at=start + timedelta(days=2))
    consultation = make_consultation(opolskie)
    meeting_add(actor=officer_of(opolskie), consultation=consultation, starts_at=start, place="Sala sesyjna")
    competition = CompetitionFactory(authority=opolskie, offers_deadline=start + timedelta(hours=3))
    cache.clear()
    response = client.get(f"/wydarzenia/miesiac/?miesiac={day:%Y-%m}")
    days = {d: entries for week in response.context["weeks"] for d, entries, _more in week}
    assert [e.title for _other, e in days[day]] == ["Trzydniowy obóz", consultation.title, competition.title]
    assert [other for other, _e in days[day]] == [False, True, True]
    assert "Trzydniowy obóz" in [e.title for _other, e in days[day + timedelta(days=2)]]
    assert "Trzydniowy obóz" not in [e.title for _other, e in days[day + timedelta(days=3)]]
    assert client.get("/wydarzenia/miesiac/?miesiac=nonsense").status_code == 200  # this month


def test_a_busy_day_of_the_month_shows_four_events_and_links_to_all_of_that_day(client, organisation, opolskie):
    day = timezone.localdate() - timedelta(days=1)  # a past day: its list still shows it
    start = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())) + timedelta(hours=9)
    for number in range(6):
        begins = start + timedelta(hours=number)
        make_event(
            organisation=organisation, title=f"Zajęcia {number}", starts_at=begins, ends_at=begins + timedelta(hours=1)
        )
    consultation = make_consultation(opolskie)
    meeting_add(actor=officer_of(opolskie), consultation=consultation, starts_at=start, place="Sala sesyjna")
    cache.clear()
    response = client.get(f"/wydarzenia/miesiac/?miesiac={day:%Y-%m}&powiat=1601")
    cells = {d: (entries, more) for week in response.context["weeks"] for d, entries, more in week}
    entries, more = cells[day]
    assert [e.title for _other, e in entries] == [*(f"Zajęcia {n}" for n in range(4)), consultation.title]
    assert more == 2
    link = f"/wydarzenia/?dzien={day:%Y-%m-%d}&amp;powiat=1601"
    assert link in response.content.decode() and "i jeszcze 2 wydarzenia" in response.content.decode()
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert all(f"Zajęcia {n}" in listed for n in range(6))
    assert f"6 wydarzeń {day.day} " in listed  # the heading names the day
    other_day = client.get(f"/wydarzenia/?dzien={day + timedelta(days=3):%Y-%m-%d}").content.decode()
    assert "Zajęcia 0" not in other_day
    for far in ("9999-12-31", "0001-01-01"):  # out of range: the filter is dropped, no error
        assert client.get(f"/wydarzenia/?dzien={far}").status_code == 200


def test_the_calendar_feed_is_bounded_and_every_entry_links_back(client, organisation, opolskie):
    now = timezone.now()
    inside = make_event(organisation=organisation, title="W oknie")
    for title, moment in (("Dawno", now - timedelta(days=40)), ("Za rok z okładem", now + timedelta(days=400))):
        event = make_event(organisation=organisation, title=title)
        Event.objects.filter(pk=event.pk).update(starts_at=moment, ends_at=moment + timedelta(hours=1))
    make_event(organisation=organisation, title="Szkic", state="draft")
    all_day = make_event(
        organisation=organisation, title="Cały dzień", all_day=True, starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2),
    )  # fmt: skip
    CompetitionFactory(authority=opolskie, title="Konkurs z terminem")
    response = client.get("/wydarzenia/kalendarz.ics")
    assert response["Content-Type"].startswith("text/calendar")
    feed = icalendar.Calendar.from_ical(response.content)
    entries = {str(e["summary"]): e for e in feed.walk("VEVENT")}
    assert set(entries) == {"W oknie", "Cały dzień", "Termin składania ofert: Konkurs z terminem"}
    assert str(entries["W oknie"]["url"]) == f"http://testserver/wydarzenia/{inside.pk}/"
    assert all(str(e["url"]).startswith("http://testserver/") for e in entries.values())
    assert entries["Cały dzień"].decoded("dtstart") == timezone.localtime(all_day.starts_at).date()
    single = icalendar.Calendar.from_ical(client.get(f"/wydarzenia/{inside.pk}/kalendarz.ics").content)
    assert [str(e["summary"]) for e in single.walk("VEVENT")] == ["W oknie"]


def test_a_resident_registers_on_the_page_and_a_draft_is_not_found(client, organisation):
    event = make_event(organisation=organisation, registration="platform", capacity=1)
    draft = make_event(organisation=organisation, state="draft")
    assert client.get(f"/wydarzenia/{draft.pk}/").status_code == 404
    page = client.get(f"/wydarzenia/{event.pk}/").content.decode()
    assert "Zaloguj się, aby się zapisać" in page
    person = UserFactory()
    client.force_login(person)
    assert client.post(f"/wydarzenia/{event.pk}/zapisz/").status_code == 302
    page = client.get(f"/wydarzenia/{event.pk}/").content.decode()
    assert "Jesteś zapisana/zapisany." in page
    assert event.registrations.get().user == person
    client.force_login(writer_for(organisation))
    listing = client.get(f"/wydarzenia/{event.pk}/uczestnicy/").content.decode()
    assert person.display_name in listing
    client.force_login(UserFactory())
    assert client.get(f"/wydarzenia/{event.pk}/uczestnicy/").status_code == 403


def test_the_feed_is_kept_until_an_event_changes(client, organisation, django_capture_on_commit_callbacks):
    make_event(organisation=organisation, title="Pierwsze")
    cache.clear()
    assert b"Pierwsze" in client.get("/wydarzenia/kalendarz.ics").content
    Event.objects.filter(title="Pierwsze").update(title="Zmienione bez usługi", updated_at=timezone.now())
    assert b"Pierwsze" in client.get("/wydarzenia/kalendarz.ics").content  # the kept feed
    with django_capture_on_commit_callbacks(execute=True):
        make_event(organisation=organisation, title="Drugie")
    feed = client.get("/wydarzenia/kalendarz.ics").content
    assert b"Drugie" in feed and b"Zmienione bez us" in feed
    assert b"Drugie" not in client.get("/wydarzenia/kalendarz.ics?online=on").content


def test_a_rebuilt_feed_writes_again_only_the_events_that_changed(client, organisation):
    from ngo_platform.community import ical

    events = [make_event(organisation=organisation, title=f"Wydarzenie {n}") for n in range(3)]
    cache.clear()
    feed = client.get("/wydarzenia/kalendarz.ics").content.decode()
    assert all(f"Wydarzenie {n}" in feed for n in range(3))
    written = []
    real = ical._vevent

    def counting(event, *args):
        written.append(event.title)
        return real(event, *args)

    Event.objects.filter(pk=events[1].pk).update(title="Przeniesione", updated_at=timezone.now())
    Event.objects.filter(pk=events[2].pk).update(title="Tylko w bazie")  # not a change the feed knows of
    with mock.patch.object(ical, "_vevent", counting):
        body = ical.calendar(list(Event.objects.order_by("pk")), [], base_url="http://testserver", name="x")
    assert written == ["Przeniesione"]
    assert "Wydarzenie 0" in body and "Przeniesione" in body and "Wydarzenie 2" in body
    assert body.index("Wydarzenie 0") < body.index("Przeniesione") < body.index("END:VCALENDAR")
    assert body.count("BEGIN:VEVENT") == 3 and body.startswith("BEGIN:VCALENDAR\r\n")
