"""Deadlines are judged by when a request reached the platform (core.arrival; issue 20): the proxy's
`X-Request-Start` header, when trusted and within the allowed skew, else the worker's clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import RequestFactory, override_settings
from django.utils import timezone, translation

from ngo_platform.competitions.models import Competition, Offer, OfferState, OfferSubmission
from ngo_platform.core.arrival import ArrivalMiddleware, arrived_at, request_start
from ngo_platform.core.text import local_second
from tests.competitions.factories import CompetitionFactory, complete_offer

CONFIRMED = {"confirmed": "1"}


def header(moment) -> dict:
    """The header as nginx writes it (`t=${msec}`: Unix seconds with milliseconds)."""
    return {"HTTP_X_REQUEST_START": f"t={moment.timestamp():.3f}"}


@override_settings(NGO_TRUST_REQUEST_START=True, NGO_REQUEST_START_MAX_SKEW=60)
def test_a_trusted_header_within_the_skew_is_the_arrival_to_the_millisecond():
    started = timezone.now()
    arrived = (started - timedelta(seconds=2)).replace(microsecond=345_000)
    assert request_start(header(arrived), started) == arrived
    # nginx's other spelling, without "t=", is read the same
    assert request_start({"HTTP_X_REQUEST_START": f"{arrived.timestamp():.3f}"}, started) == request_start(
        header(arrived), started
    )


@override_settings(NGO_TRUST_REQUEST_START=False)
def test_the_header_is_ignored_unless_the_setting_trusts_it():
    started = timezone.now()
    assert request_start(header(started - timedelta(seconds=2)), started) == started


@override_settings(NGO_TRUST_REQUEST_START=True, NGO_REQUEST_START_MAX_SKEW=60)
def test_a_forged_header_earlier_than_the_allowed_skew_is_ignored():
    started = timezone.now()
    assert request_start(header(started - timedelta(seconds=61)), started) == started
    assert request_start(header(started - timedelta(days=3)), started) == started
    # at the limit it still counts
    assert request_start(header(started - timedelta(seconds=59)), started) < started - timedelta(seconds=58)


@override_settings(NGO_TRUST_REQUEST_START=True, NGO_REQUEST_START_MAX_SKEW=60)
@pytest.mark.parametrize("raw", ["", "t=", "t=abc", "t=nan", "t=inf", "t=-5", "t=1e300", "t=12,5", "garbage"])
def test_a_malformed_header_leaves_the_worker_s_clock(raw):
    started = timezone.now()
    assert request_start({"HTTP_X_REQUEST_START": raw}, started) == started


@override_settings(NGO_TRUST_REQUEST_START=True, NGO_REQUEST_START_MAX_SKEW=60)
def test_a_header_later_than_the_worker_s_clock_counts_as_the_worker_s_clock():
    started = timezone.now()
    assert request_start(header(started + timedelta(seconds=30)), started) == started


@override_settings(NGO_TRUST_REQUEST_START=True)
def test_arrived_at_is_the_request_s_arrival_during_the_request_and_now_outside_it():
    arrived = timezone.now() - timedelta(seconds=5)
    seen = {}

    def view(request):
        seen["during"] = arrived_at()
        seen["attribute"] = request.arrived_at
        return None

    ArrivalMiddleware(view)(RequestFactory().get("/", **header(arrived)))
    assert abs(seen["during"] - arrived) < timedelta(milliseconds=1) and seen["attribute"] == seen["during"]
    after = arrived_at()  # the request is over: the clock again
    assert after - arrived >= timedelta(seconds=5)


# --- Through the submission page --------------------------------------------------------------------------


def _late_evening(opolskie, client):
    """A complete offer whose competition's deadline is a second-precise moment an hour from now."""
    deadline = (timezone.now() + timedelta(hours=1)).replace(microsecond=0)
    competition = CompetitionFactory(offers_deadline=deadline + timedelta(days=1))
    offer = complete_offer(competition)
    Competition.objects.filter(pk=competition.pk).update(offers_deadline=deadline)
    client.force_login(offer.creator)
    return offer, deadline


@pytest.mark.django_db
@override_settings(NGO_TRUST_REQUEST_START=True, NGO_REQUEST_START_MAX_SKEW=60)
def test_an_offer_that_arrived_a_second_before_the_deadline_and_was_processed_two_after_is_accepted(client, opolskie):
    offer, deadline = _late_evening(opolskie, client)
    with time_machine.travel(deadline + timedelta(seconds=2), tick=False):
        response = client.post(
            f"/konkursy/oferty/{offer.pk}/zloz/", CONFIRMED, **header(deadline - timedelta(seconds=1))
        )
    assert response.status_code == 302
    submission = OfferSubmission.objects.get()
    assert submission.submitted_at == deadline - timedelta(seconds=1)
    assert submission.processed_at == deadline + timedelta(seconds=2)
    assert Offer.objects.get().state == OfferState.SUBMITTED
    receipt = client.get(f"/konkursy/oferty/{offer.pk}/pokwitowanie/").content.decode()
    with translation.override("pl"):
        assert local_second(submission.submitted_at) in receipt and local_second(submission.processed_at) in receipt
    from ngo_platform.core.models import AuditEntry

    entry = AuditEntry.objects.get(action="competitions.offer_submit")
    assert entry.details["arrived_at"] == submission.submitted_at.isoformat()
    assert entry.details["processed_at"] == submission.processed_at.isoformat()


@pytest.mark.django_db
@override_settings(NGO_TRUST_REQUEST_START=True, NGO_REQUEST_START_MAX_SKEW=60)
def test_an_offer_that_arrived_a_second_after_the_deadline_is_refused_with_both_moments_to_the_second(client, opolskie):
    offer, deadline = _late_evening(opolskie, client)
    with time_machine.travel(deadline + timedelta(seconds=2), tick=False):
        response = client.post(
            f"/konkursy/oferty/{offer.pk}/zloz/", CONFIRMED, follow=True, **header(deadline + timedelta(seconds=1))
        )
    html = response.content.decode()
    with translation.override("pl"):
        assert "za późno" in html and "wersja robocza została zachowana" in html
        assert local_second(deadline) in html and local_second(deadline + timedelta(seconds=1)) in html
    assert Offer.objects.get().state == OfferState.DRAFT and not OfferSubmission.objects.exists()


@pytest.mark.django_db
@override_settings(NGO_TRUST_REQUEST_START=False)
def test_untrusted_an_offer_processed_after_the_deadline_is_refused_whatever_the_header_says(client, opolskie):
    offer, deadline = _late_evening(opolskie, client)
    with time_machine.travel(deadline + timedelta(seconds=2), tick=False):
        client.post(f"/konkursy/oferty/{offer.pk}/zloz/", CONFIRMED, **header(deadline - timedelta(seconds=1)))
    assert Offer.objects.get().state == OfferState.DRAFT and not OfferSubmission.objects.exists()
