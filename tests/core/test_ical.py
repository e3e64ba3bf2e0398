"""The iCalendar feeds, read back with `icalendar.Calendar.from_ical`: the events' fields survive the
round trip (UTC instants, Polish text with commas, semicolons, newlines and backslashes) and the file is
RFC 5545 (CRLF, lines folded at 75 octets, TEXT escaped)."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import icalendar

from ngo_platform.competitions import ical as competitions_ical
from ngo_platform.consultations import ical as consultations_ical
from ngo_platform.core import ical

WARSAW = ZoneInfo("Europe/Warsaw")
TRICKY = "Zażółć gęślą jaźń, czyli: program; „współpracy”\nna rok 2027 \\ część 1"


def read(text: str) -> tuple[icalendar.Calendar, list[icalendar.Event]]:
    cal = icalendar.Calendar.from_ical(text)
    return cal, list(cal.walk("VEVENT"))


def unfolded(text: str) -> str:
    return text.replace("\r\n ", "")


def test_an_event_round_trips_with_its_fields():
    start = datetime(2027, 3, 1, 10, 0, tzinfo=WARSAW)  # 09:00 UTC in winter
    text = ical.calendar(
        prodid="-//test//PL",
        name="Kalendarz; próba, ąę",
        events=[
            ical.event(
                uid="wydarzenie-7@example.pl",
                start=start,
                end=start + timedelta(hours=2),
                summary=TRICKY,
                description=TRICKY * 3,
                url="https://example.pl/konsultacje/7/",
                location="Sala nr 1, ul. Piastowska 14; Opole",
                sequence=4,
            )
        ],
    )
    cal, (event,) = read(text)
    assert str(cal["PRODID"]) == "-//test//PL" and str(cal["VERSION"]) == "2.0"
    assert str(cal["METHOD"]) == "PUBLISH" and str(cal["X-WR-CALNAME"]) == "Kalendarz; próba, ąę"
    assert str(event["UID"]) == "wydarzenie-7@example.pl"
    assert event.decoded("DTSTART") == datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") == datetime(2027, 3, 1, 11, 0, tzinfo=UTC)
    assert abs(event.decoded("DTSTAMP") - datetime.now(UTC)) < timedelta(minutes=1)
    assert str(event["SUMMARY"]) == TRICKY
    assert str(event["DESCRIPTION"]) == TRICKY * 3
    assert str(event["LOCATION"]) == "Sala nr 1, ul. Piastowska 14; Opole"
    assert str(event["URL"]) == "https://example.pl/konsultacje/7/"
    assert int(event["SEQUENCE"]) == 4
    # The wire format: UTC times without TZID, TEXT escaped (§3.3.11), CRLF, 75-octet lines (§3.1).
    raw = unfolded(text)
    assert "DTSTART:20270301T090000Z\r\n" in raw and "DTEND:20270301T110000Z\r\n" in raw and "TZID" not in raw
    assert "SUMMARY:Zażółć gęślą jaźń\\, czyli: program\\; „współpracy”\\nna rok 2027 \\\\ część 1\r\n" in raw
    assert "LOCATION:Sala nr 1\\, ul. Piastowska 14\\; Opole\r\n" in raw
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert any(line.startswith(" ") for line in lines) and all(len(line.encode()) <= 75 for line in lines)


def test_summer_time_is_converted_to_utc():
    start = datetime(2027, 7, 1, 0, 30, tzinfo=WARSAW)  # 22:30 UTC the day before
    _, (event,) = read(
        ical.calendar(
            prodid="-//test//PL",
            name="x",
            events=[ical.event(uid="u", start=start, end=start, summary="s", description="d", url="https://e.pl/")],
        )
    )
    assert event.decoded("DTSTART") == datetime(2027, 6, 30, 22, 30, tzinfo=UTC)
    assert "LOCATION" not in event and "SEQUENCE" not in event


def _consultation(pk, title):
    return SimpleNamespace(
        pk=pk,
        title=title,
        subject="Roczny program, cz. 1; zmiany",
        authority=SimpleNamespace(name="Województwo Opolskie"),
        starts_at=datetime(2027, 1, 10, 8, 0, tzinfo=UTC),
        ends_at=datetime(2027, 1, 24, 22, 59, tzinfo=UTC),
        get_absolute_url=lambda: f"/konsultacje/{pk}/",
    )


def test_consultations_calendar_fields():
    consultation = _consultation(3, "Program współpracy, edycja; 2027")
    meeting = SimpleNamespace(
        pk=9,
        consultation_id=3,
        starts_at=datetime(2027, 1, 15, 16, 0, tzinfo=UTC),
        place="Urząd, sala 5; Opole",
        description="Debata",
    )
    text = consultations_ical.calendar([consultation], [meeting], base_url="https://ngo.example.pl")
    cal, (first, second) = read(text)
    assert str(cal["PRODID"]) == consultations_ical.PRODID and str(cal["X-WR-CALNAME"]) == "Konsultacje"
    assert str(first["UID"]) == "konsultacja-3@ngo.example.pl"
    assert str(first["SUMMARY"]) == "Konsultacje: Program współpracy, edycja; 2027"
    assert first.decoded("DTSTART") == consultation.starts_at and first.decoded("DTEND") == consultation.ends_at
    # The deadline in the description is local time (23:59 in Warsaw), the DTEND stays in UTC.
    assert str(first["DESCRIPTION"]) == (
        "Województwo Opolskie. Roczny program, cz. 1; zmiany\nUwagi do: 2027-01-24 23:59"
    )
    assert str(first["URL"]) == "https://ngo.example.pl/konsultacje/3/"
    assert str(second["UID"]) == "spotkanie-9@ngo.example.pl"
    assert str(second["SUMMARY"]) == "Spotkanie konsultacyjne: Program współpracy, edycja; 2027"
    assert second.decoded("DTSTART") == meeting.starts_at
    assert second.decoded("DTEND") == meeting.starts_at + timedelta(hours=2)
    assert str(second["LOCATION"]) == "Urząd, sala 5; Opole"
    assert str(second["DESCRIPTION"]) == "Urząd, sala 5; Opole. Debata"


def test_competitions_calendar_fields():
    deadline = datetime(2027, 2, 28, 15, 30, tzinfo=UTC)
    competition = SimpleNamespace(
        pk=5,
        title="Kultura, sztuka; ochrona dóbr kultury",
        offers_deadline=deadline,
        authority=SimpleNamespace(name="Gmina Brzeg"),
        task_kind="kultura",
        version=2,
        get_absolute_url=lambda: "/konkursy/kultura-2027/",
    )
    text = competitions_ical.calendar([competition], base_url="https://ngo.example.pl")
    cal, (event,) = read(text)
    assert str(cal["X-WR-CALNAME"]) == "Konkursy ofert – terminy składania ofert"
    assert str(event["UID"]) == "konkurs-5@ngo-platform"
    assert str(event["SUMMARY"]) == "Termin składania ofert: Kultura, sztuka; ochrona dóbr kultury"
    assert event.decoded("DTSTART") == deadline - timedelta(hours=1) and event.decoded("DTEND") == deadline
    assert str(event["DESCRIPTION"]) == "Gmina Brzeg – kultura" and int(event["SEQUENCE"]) == 2
    assert str(event["URL"]) == "https://ngo.example.pl/konkursy/kultura-2027/"
