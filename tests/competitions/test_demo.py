from io import StringIO

import pytest
from django.core.management import call_command

from ngo_platform.competitions.models import Competition, Offer, OfferState, OfferSubmission

pytestmark = pytest.mark.django_db


def test_demo_has_an_open_competition_with_a_draft_and_a_submitted_offer(client, reference_data):
    call_command("seed_demo", stdout=StringIO())
    counts = (Competition.objects.count(), Offer.objects.count(), OfferSubmission.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Competition.objects.count(), Offer.objects.count(), OfferSubmission.objects.count()) == counts
    competition = Competition.objects.get()
    assert counts == (1, 2, 1)
    assert Offer.objects.filter(state=OfferState.DRAFT).count() == 1 and Offer.objects.filter(state=OfferState.SUBMITTED).count() == 1
    assert client.get("/konkursy/").status_code == 200 and client.get(competition.get_absolute_url()).status_code == 200
    client.post("/konto/login/", {"login": "ngo@demo.ngo-platform.pl", "password": "Demo-NGO-2026!"})
    draft = Offer.objects.get(state=OfferState.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(f"/konkursy/oferty/{draft.pk}/krok/koszty/").status_code == 200
