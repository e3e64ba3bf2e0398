"""Annulment of an open competition (art. 18a UDPP): on a ground the offers bear out, with a published reason;
the organisations with offers are told, each in its own message; nothing changes when refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ngo_platform.competitions import services
from ngo_platform.competitions.models import Competition, CompetitionState
from ngo_platform.core.models import AuditEntry
from tests.accounts.factories import UserFactory
from tests.competitions.evaluation import in_formal_check, submitted_offers
from tests.competitions.factories import CompetitionFactory, complete_offer, officer
from tests.competitions.test_evaluation_views import as_officer
from tests.helpers import get_page

# Services are tested with English messages (matched below); the pages in Polish.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _annul(competition, actor, ground, reason="Powód"):
    return services.competition_annul(actor=actor, competition=competition, ground=ground, reason=reason)


def test_no_offer_only_after_the_deadline_and_only_when_none_was_submitted(opolskie, mailoutbox):
    competition = CompetitionFactory()
    clerk = officer(competition.authority)
    complete_offer(competition)  # a draft does not count, and its organisation is told
    with pytest.raises(services.CompetitionError, match="known after the deadline"):
        _annul(competition, clerk, "no_offer")
    with pytest.raises(PermissionDenied):
        _annul(competition, UserFactory(), "reserved")
    with pytest.raises(services.CompetitionError, match="reason"):
        _annul(competition, clerk, "reserved", reason="  ")
    with pytest.raises(services.CompetitionError, match="ground"):
        _annul(competition, clerk, "because")
    assert Competition.objects.get(pk=competition.pk).state == CompetitionState.PUBLISHED
    Competition.objects.filter(pk=competition.pk).update(offers_deadline=timezone.now() - timedelta(minutes=1))
    _annul(competition, clerk, "no_offer", reason="Nie wpłynęła żadna oferta.")
    competition.refresh_from_db()
    assert competition.state == CompetitionState.ANNULLED and competition.annulment_ground == "no_offer"
    assert len(mailoutbox) == 1 and "Nie wpłynęła żadna oferta." in mailoutbox[0].body
    entry = AuditEntry.objects.get(action="competitions.competition_annul")
    assert entry.actor == clerk and entry.details["ground"] == "no_offer"
    with pytest.raises(services.CompetitionError, match="cannot be annulled now"):
        _annul(competition, clerk, "reserved")


def test_no_offer_is_refused_when_offers_were_submitted(opolskie):
    competition = CompetitionFactory()
    submitted_offers(competition, 2)
    with pytest.raises(services.CompetitionError, match="2 offer"):
        _annul(competition, officer(competition.authority), "no_offer")


def test_none_compliant_only_once_every_offer_is_rejected_on_formal_grounds(opolskie, mailoutbox):
    competition, clerk, offers = in_formal_check(2)
    with pytest.raises(services.CompetitionError, match="2 offer.*wait"):
        _annul(competition, clerk, "none_compliant")
    services.formal_decide(actor=clerk, offer=offers[0], correct=False, reason="Podmiot nieuprawniony.")
    with pytest.raises(services.CompetitionError, match="1 offer.*wait"):
        _annul(competition, clerk, "none_compliant")
    services.formal_decide(actor=clerk, offer=offers[1], correct=False, reason="Brak podpisów.")
    mailoutbox.clear()
    _annul(competition, clerk, "none_compliant", reason="Żadna oferta nie spełniła wymogów formalnych.")
    assert Competition.objects.get(pk=competition.pk).state == CompetitionState.ANNULLED
    # One message per organisation: no organisation sees another's address.
    assert sorted(len(m.to) for m in mailoutbox) == [1, 1]
    assert {m.to[0] for m in mailoutbox} == {o.organisation.memberships.get(role="admin").user.email for o in offers}


def test_the_officers_page_refuses_others_explains_and_publishes(client, opolskie):
    competition, clerk, offers = in_formal_check(1)
    url = f"/konkursy/{competition.slug}/uniewaznij/"
    client.force_login(offers[0].organisation.memberships.get(role="admin").user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"ground": "reserved", "reason": "x", "confirm": "on"}).status_code == 403
    as_officer(client, clerk)
    html = get_page(client, url, max_queries=12).content.decode()
    assert "art. 18a ust. 1 pkt 1" in html and "złożona: 1" in html
    html = client.post(url, {"ground": "no_offer", "reason": "Brak ofert.", "confirm": "on"}).content.decode()
    assert "ta podstawa nie ma zastosowania" in html  # the refusal sits next to the ground, in Polish
    html = client.post(
        url, {"ground": "reserved", "reason": "Brak środków w budżecie (pkt 9 ogłoszenia)."}
    ).content.decode()
    assert Competition.objects.get(pk=competition.pk).state == CompetitionState.FORMAL_CHECK  # not confirmed
    response = client.post(
        url, {"ground": "reserved", "reason": "Brak środków w budżecie (pkt 9 ogłoszenia).", "confirm": "on"}
    )
    assert response.status_code == 302
    client.logout()
    html = get_page(client, competition.get_absolute_url(), max_queries=10).content.decode()
    assert "Ten konkurs unieważniono" in html and "Brak środków w budżecie" in html
