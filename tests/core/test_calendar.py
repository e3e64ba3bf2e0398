"""The other modules' dates on the events calendar come from their own providers (core.calendar)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ngo_platform.consultations.services import meeting_add
from ngo_platform.core import calendar
from tests.competitions.factories import CompetitionFactory
from tests.consultations.factories import make_consultation, officer_of

pytestmark = pytest.mark.django_db


def test_every_module_with_public_dates_registers_its_provider():
    assert set(calendar.registered()) == {"consultations", "competitions", "workgroups"}


def test_public_meetings_and_deadlines_within_the_window_only(opolskie):
    now = timezone.now()
    officer = officer_of(opolskie)
    public = make_consultation(opolskie, officer=officer, title="Program współpracy")
    draft = make_consultation(opolskie, officer=officer, state="draft", title="Szkic")
    for consultation in (public, draft):
        meeting_add(actor=officer, consultation=consultation, starts_at=now + timedelta(days=2), place="Sala")
    CompetitionFactory(authority=opolskie, title="Konkurs", offers_deadline=now + timedelta(days=3))
    CompetitionFactory(authority=opolskie, title="Później", offers_deadline=now + timedelta(days=40))
    found = calendar.entries_between(now, now + timedelta(days=30))
    assert [(entry.kind, entry.title) for entry in found] == [
        ("Spotkanie konsultacyjne", "Program współpracy"),
        ("Termin składania ofert", "Konkurs"),
    ]
    assert found[0].url == public.get_absolute_url() and found[0].place == "Sala"
