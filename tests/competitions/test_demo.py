from io import StringIO

import pytest
from django.core.management import call_command

from ngo_platform.competitions.models import (
    CommissionMember,
    Competition,
    CompetitionState,
    CompletionCall,
    Offer,
    OfferState,
    OfferSubmission,
    Score,
)

pytestmark = pytest.mark.django_db


def test_demo_has_an_open_competition_one_under_evaluation_and_one_with_results(client, reference_data):
    call_command("seed_demo", stdout=StringIO())
    counts = (
        Competition.objects.count(),
        Offer.objects.count(),
        OfferSubmission.objects.count(),
        Score.objects.count(),
        CommissionMember.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    assert (
        Competition.objects.count(),
        Offer.objects.count(),
        OfferSubmission.objects.count(),
        Score.objects.count(),
        CommissionMember.objects.count(),
    ) == counts
    # Increment 3: one small grant (its own never-announced container, one offer, one submission); and the joint
    # offer the demo's partnership started in the open competition (partnerships/demo.py), a draft.
    assert counts[:3] == (4, 11, 9)
    small = Offer.objects.get(template="2018-19a")
    assert small.state == OfferState.COMMENTS and small.comments.count() == 2
    assert client.get(f"/konkursy/male-granty/{small.pk}/").status_code == 200
    competition = Competition.objects.get(slug="kultura-2026-demo")
    drafts = Offer.objects.filter(competition=competition, state=OfferState.DRAFT)
    assert drafts.count() == 2 and drafts.filter(partnership__isnull=False).count() == 1
    assert Offer.objects.filter(competition=competition, state=OfferState.SUBMITTED).count() == 1
    sport = Competition.objects.get(slug="sport-2026-demo")
    assert (
        sport.state == CompetitionState.EVALUATION and sport.commission.filter(declared_at__isnull=False).count() == 3
    )
    assert (
        Score.objects.filter(offer__competition=sport).exists() and CompletionCall.objects.get().answered_at is not None
    )
    assert Offer.objects.filter(competition=sport, state=OfferState.FORMALLY_REJECTED).count() == 1
    health = Competition.objects.get(slug="zdrowie-2026-demo")
    assert health.state == CompetitionState.RESULTS
    assert list(Offer.objects.filter(competition=health).order_by("final_rank").values_list("state", flat=True)) == [
        "funded",
        "funded",
        "not_funded",
    ]
    assert client.get("/konkursy/").status_code == 200 and client.get(competition.get_absolute_url()).status_code == 200
    html = client.get(health.get_absolute_url()).content.decode()
    assert "Wyniki konkursu" in html and "Zdrowe serce seniora" in html
    assert client.get(f"/konkursy/{health.slug}/wyniki.xlsx").status_code == 200
    client.post("/konto/login/", {"login": "ngo@demo.ngo-platform.pl", "password": "Demo-NGO-2026!"})
    draft = Offer.objects.get(state=OfferState.DRAFT, partnership__isnull=True)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(f"/konkursy/oferty/{draft.pk}/krok/koszty/").status_code == 200
