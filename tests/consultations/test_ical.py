"""The consultations' calendar feed read back with `icalendar`: the events of the consultation and of its
meetings carry the same UIDs, instants and Polish text as the database."""

from datetime import timedelta

import icalendar
import pytest

from ngo_platform.consultations.models import Meeting
from tests.consultations.factories import make_consultation
from tests.helpers import get_page

pytestmark = pytest.mark.django_db


def seconds(moment):
    """iCalendar times have no fractions of a second."""
    return moment.replace(microsecond=0)


def test_calendar_feed_parses_back_to_the_consultation_and_its_meetings(client, opolskie):
    consultation = make_consultation(
        opolskie,
        title="Program współpracy, edycja; 2027 – z bardzo długim tytułem, który trzeba złamać w pliku iCal",
        subject="Zmiany; poprawki, uzupełnienia\ndruga linia",
    )
    meeting = Meeting.objects.create(
        consultation=consultation,
        starts_at=consultation.starts_at + timedelta(days=2),
        place="Urząd Marszałkowski, sala 5; ul. Piastowska 14",
        description="Debata",
    )
    for url in ("/konsultacje/kalendarz.ics", f"/konsultacje/{consultation.pk}/kalendarz.ics"):
        response = get_page(client, url, max_queries=6)
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        cal = icalendar.Calendar.from_ical(response.content.decode())
        events = {str(event["UID"]): event for event in cal.walk("VEVENT")}
        first = events[f"konsultacja-{consultation.pk}@testserver"]
        assert str(first["SUMMARY"]) == f"Konsultacje: {consultation.title}"
        assert first.decoded("DTSTART") == seconds(consultation.starts_at)
        assert first.decoded("DTEND") == seconds(consultation.ends_at)
        assert str(first["DESCRIPTION"]).startswith(
            f"{opolskie.name}. Zmiany; poprawki, uzupełnienia\ndruga linia\nUwagi do: "
        )
        assert str(first["URL"]) == "http://testserver" + consultation.get_absolute_url()
        second = events[f"spotkanie-{meeting.pk}@testserver"]
        assert second.decoded("DTSTART") == seconds(meeting.starts_at)
        assert second.decoded("DTEND") == seconds(meeting.starts_at) + timedelta(hours=2)
        assert str(second["LOCATION"]) == "Urząd Marszałkowski, sala 5; ul. Piastowska 14"
        assert str(second["SUMMARY"]) == f"Spotkanie konsultacyjne: {consultation.title}"
