"""Small grants (art. 19a UDPP): the limits, the comment window, who may publish and decide, the receipt."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from ngo_platform.competitions import services
from ngo_platform.competitions.models import CostCategory, CostLine, Offer, OfferAction, OfferComment, OfferState
from ngo_platform.core.models import AuditEntry
from ngo_platform.territory.models import Authority
from tests.accounts.factories import UserFactory
from tests.competitions.factories import member, officer, verified_organisation
from tests.helpers import get_page

# Services are tested with English messages (matched below); the pages in Polish.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
DAY = timedelta(days=1)


def small_offer(authority, organisation=None, *, grant=6_000_00, days=30, title="Piknik sąsiedzki"):
    organisation = organisation or verified_organisation()
    admin = member(organisation)
    offer = services.small_grant_start(actor=admin, authority=authority, organisation=organisation)
    start = timezone.localdate().replace(month=6, day=1)
    costs = grant + 1_000_00
    Offer.objects.filter(pk=offer.pk).update(
        title=title,
        contact_name="Anna Nowak",
        date_from=start,
        date_to=start + (days - 1) * DAY,
        summary="Piknik.",
        expected_results="300 osób.",
        tax_arrears="none",
        signatories="Anna Nowak – prezeska",
        declares_pbo_only=True,
        declares_fees_rules=True,
        declares_register_data=True,
        declares_truth=True,
        declares_gdpr=True,
        grant_requested=grant,
        own_personal=1_000_00,
    )
    action = OfferAction.objects.create(offer=offer, position=1, name="Piknik")
    CostLine.objects.create(
        offer=offer,
        position=1,
        category=CostCategory.ACTION,
        action=action,
        name="Scena",
        unit="usługa",
        unit_cost=costs,
        units=Decimal("1"),
        total=costs,
    )
    offer.refresh_from_db()
    offer.admin = admin
    return offer


def submit(offer):
    return services.offer_submit(actor=offer.admin, offer=offer)


def messages_of(error):
    return " ".join(p.message for p in error.value.problems)


def published(authority, clerk, **kwargs):
    offer = small_offer(authority, **kwargs)
    submit(offer)
    services.small_grant_pool_set(actor=clerk, authority=authority, year=offer.date_from.year, amount=1_000_000_00)
    return services.small_grant_publish(actor=clerk, offer=offer)


def test_submission_freezes_content_with_its_sha256(opolskie):
    offer = small_offer(opolskie)
    submission = submit(offer)
    assert submission.sha256 == hashlib.sha256(submission.content.encode("utf-8")).hexdigest()
    assert '"schema":"ngo-platform/offer/2018-19a/v1"' in submission.content
    assert Offer.objects.get(pk=offer.pk).state == OfferState.SUBMITTED


def test_grant_above_10000_refused(opolskie):
    offer = small_offer(opolskie, grant=10_000_01)
    with pytest.raises(services.OfferIncomplete) as error:
        submit(offer)
    assert "10\u00a0000,00\u00a0zł (art. 19a ust. 1" in messages_of(error)
    assert Offer.objects.get(pk=offer.pk).state == OfferState.DRAFT
    submit(small_offer(opolskie, grant=10_000_00))  # the limit itself is allowed


def test_task_above_90_days_refused(opolskie):
    offer = small_offer(opolskie, days=91)
    with pytest.raises(services.OfferIncomplete) as error:
        submit(offer)
    assert "lasts 91 days" in messages_of(error) and "at most 90 days" in messages_of(error)
    submit(small_offer(opolskie, days=90))


def test_organisation_yearly_limit_counts_an_earlier_small_grant(opolskie):
    organisation = verified_organisation()
    submit(small_offer(opolskie, organisation, grant=10_000_00, title="Pierwszy"))
    submit(small_offer(opolskie, organisation, grant=9_000_00, title="Drugi"))
    third = small_offer(opolskie, organisation, grant=1_000_01, title="Trzeci")
    with pytest.raises(services.OfferIncomplete) as error:
        submit(third)
    text = messages_of(error)
    assert "„Pierwszy”" in text and "„Drugi”" in text and "20\u00a0000,00\u00a0zł per organisation per year" in text
    assert Offer.objects.get(pk=third.pk).state == OfferState.DRAFT
    # Another authority has its own limit.
    submit(small_offer(Authority.objects.exclude(pk=opolskie.pk).first(), organisation, grant=1_000_01))


def test_publication_needs_the_pool_and_keeps_20_percent(opolskie):
    clerk = officer(opolskie)
    first, second = small_offer(opolskie, grant=10_000_00), small_offer(opolskie, grant=10_000_00)
    submit(first), submit(second)
    with pytest.raises(services.CompetitionError, match="Set the grants"):
        services.small_grant_publish(actor=clerk, offer=first)
    services.small_grant_pool_set(
        actor=clerk, authority=opolskie, year=first.date_from.year, amount=50_000_00
    )  # 20% = 10 000 zł
    services.small_grant_publish(actor=clerk, offer=first)
    with pytest.raises(services.CompetitionError, match=r"above 20% of the 50\u00a0000,00\u00a0zł"):
        services.small_grant_publish(actor=clerk, offer=second)
    assert Offer.objects.get(pk=second.pk).state == OfferState.SUBMITTED
    assert AuditEntry.objects.filter(action="competitions.small_grant_publish").count() == 1


def test_comments_only_within_the_window_and_signed_in(opolskie):
    clerk = officer(opolskie)
    offer = small_offer(opolskie)
    submit(offer)
    reader = UserFactory()
    with pytest.raises(services.CompetitionError, match="not been published"):
        services.small_grant_comment(actor=reader, offer=offer, text="Za wcześnie")
    services.small_grant_pool_set(actor=clerk, authority=opolskie, year=offer.date_from.year, amount=1_000_000_00)
    offer = services.small_grant_publish(actor=clerk, offer=offer)
    assert offer.comments_until - offer.comments_from == 7 * DAY
    services.small_grant_comment(actor=reader, offer=offer, text="Dobry pomysł")
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.small_grant_comment(actor=AnonymousUser(), offer=offer, text="Anonim")
    Offer.objects.filter(pk=offer.pk).update(comments_until=timezone.now() - DAY)
    with pytest.raises(services.CompetitionError, match="not saved"):
        services.small_grant_comment(actor=reader, offer=offer, text="Za późno")
    assert list(OfferComment.objects.values_list("text", flat=True)) == ["Dobry pomysł"]


def test_decision_after_the_window_by_the_authority_only(opolskie):
    clerk = officer(opolskie)
    offer = published(opolskie, clerk)
    other_clerk = officer(Authority.objects.exclude(pk=opolskie.pk).first())
    with pytest.raises(services.CompetitionError, match="decide after that"):
        services.small_grant_decide(actor=clerk, offer=offer, grant=True)
    Offer.objects.filter(pk=offer.pk).update(comments_until=timezone.now() - DAY)
    with pytest.raises(PermissionDenied):
        services.small_grant_decide(actor=other_clerk, offer=offer, grant=True)
    with pytest.raises(services.CompetitionError, match="reason"):
        services.small_grant_decide(actor=clerk, offer=offer, grant=False)
    offer = services.small_grant_decide(actor=clerk, offer=offer, grant=True)
    assert (offer.state, offer.granted_amount) == (OfferState.FUNDED, 6_000_00)
    assert AuditEntry.objects.filter(action="competitions.small_grant_decide").count() == 1


def test_officer_of_another_authority_cannot_publish_and_refusal_before_publication(opolskie):
    offer = small_offer(opolskie)
    submit(offer)
    other_clerk = officer(Authority.objects.exclude(pk=opolskie.pk).first())
    with pytest.raises(PermissionDenied):
        services.small_grant_publish(actor=other_clerk, offer=offer)
    with pytest.raises(PermissionDenied):
        services.small_grant_pool_set(actor=other_clerk, authority=opolskie, year=offer.date_from.year, amount=1)
    offer = services.small_grant_decide(
        actor=officer(opolskie), offer=offer, grant=False, reason="Zadanie poza programem współpracy."
    )
    assert offer.state == OfferState.FORMALLY_REJECTED and offer.formal_reason


def test_pages(client, opolskie):
    clerk = officer(opolskie)
    offer = published(opolskie, clerk)
    url = reverse("competitions:small_grant", kwargs={"pk": offer.pk})
    assert "Piknik sąsiedzki" in get_page(client, reverse("competitions:list"), max_queries=18).content.decode()
    get_page(client, reverse("competitions:small_grants"), max_queries=14)
    get_page(client, url, max_queries=18)
    response = client.post(url, {"text": "Anonim"})
    assert response.status_code == 302 and not OfferComment.objects.exists()
    reader = UserFactory()
    client.force_login(reader)
    from django.utils import translation

    with translation.override("pl"):
        response = client.post(url, {"text": "Świetny pomysł"}, follow=True, HTTP_ACCEPT_LANGUAGE="pl")
    assert OfferComment.objects.get().author_name == (reader.full_name or reader.email)
    Offer.objects.filter(pk=offer.pk).update(comments_until=timezone.now() - DAY)
    response = client.post(url, {"text": "Za późno"}, HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200 and OfferComment.objects.count() == 1
    from tests.competitions.test_evaluation_views import as_officer

    as_officer(client, clerk)
    get_page(client, url, max_queries=30)
    get_page(client, reverse("competitions:small_grant_pool"), max_queries=20)
    draft = small_offer(opolskie)
    client.force_login(draft.admin)
    get_page(client, reverse("competitions:small_grant_start"), max_queries=20)
    get_page(client, reverse("competitions:offer_step", kwargs={"pk": draft.pk, "step": "zrodla"}), max_queries=40)
    get_page(
        client,
        reverse("competitions:offer_step", kwargs={"pk": draft.pk, "step": "zasoby"}),
        max_queries=40,
        status=404,
    )


def test_the_decision_page_asks_first_and_decides_only_when_confirmed(client, opolskie):
    from tests.competitions.test_evaluation_views import as_officer

    clerk = officer(opolskie)
    offer = published(opolskie, clerk)
    url = reverse("competitions:small_grant_decide", kwargs={"pk": offer.pk})
    as_officer(client, clerk)
    # While the comment window is open the decision is refused at once, without asking.
    response = client.post(url, {"decision": "grant"}, follow=True)
    assert 'name="confirmed"' not in response.content.decode()
    Offer.objects.filter(pk=offer.pk).update(comments_until=timezone.now() - DAY)
    # A refusal without its reason is refused at once too.
    response = client.post(url, {"decision": "refuse", "reason": ""}, follow=True)
    assert 'name="confirmed"' not in response.content.decode()
    asked = client.post(url, {"decision": "grant", "reason": ""}).content.decode()
    assert "Decyzji nie można później zmienić" in asked and "6\u00a0000,00\u00a0zł" in asked
    assert Offer.objects.get(pk=offer.pk).state == OfferState.COMMENTS
    response = client.post(url, {"decision": "grant", "reason": "", "confirmed": "1"})
    assert response.status_code == 302
    assert Offer.objects.get(pk=offer.pk).state == OfferState.FUNDED
