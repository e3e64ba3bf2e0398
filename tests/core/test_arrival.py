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
from ngo_platform.core.models import AuditEntry
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


def _submit(client, offer, *, arrived, processed, **kwargs):
    """Post the submission as the proxy saw it arrive at `arrived`, a worker getting to it at `processed`."""
    with time_machine.travel(processed, tick=False):
        return client.post(f"/konkursy/oferty/{offer.pk}/zloz/", CONFIRMED, **kwargs, **header(arrived))


@pytest.mark.django_db
@override_settings(NGO_TRUST_REQUEST_START=True, NGO_REQUEST_START_MAX_SKEW=60)
def test_an_offer_that_arrived_a_second_before_the_deadline_and_was_processed_two_after_is_accepted(client, opolskie):
    offer, deadline = _late_evening(opolskie, client)
    response = _submit(
        client, offer, arrived=deadline - timedelta(seconds=1), processed=deadline + timedelta(seconds=2)
    )
    assert response.status_code == 302
    submission = OfferSubmission.objects.get()
    assert submission.submitted_at == deadline - timedelta(seconds=1)
    assert submission.processed_at == deadline + timedelta(seconds=2)
    assert Offer.objects.get().state == OfferState.SUBMITTED
    receipt = client.get(f"/konkursy/oferty/{offer.pk}/pokwitowanie/").content.decode()
    with translation.override("pl"):
        assert local_second(submission.submitted_at) in receipt and local_second(submission.processed_at) in receipt
    entry = AuditEntry.objects.get(action="competitions.offer_submit")
    assert entry.details["arrived_at"] == submission.submitted_at.isoformat()
    assert entry.details["processed_at"] == submission.processed_at.isoformat()


@pytest.mark.django_db
@override_settings(NGO_TRUST_REQUEST_START=True, NGO_REQUEST_START_MAX_SKEW=60)
def test_an_offer_that_arrived_a_second_after_the_deadline_is_refused_with_both_moments_to_the_second(client, opolskie):
    offer, deadline = _late_evening(opolskie, client)
    late = deadline + timedelta(seconds=1)
    html = _submit(client, offer, arrived=late, processed=deadline + timedelta(seconds=2), follow=True).content.decode()
    with translation.override("pl"):
        assert "za późno" in html and "wersja robocza została zachowana" in html
        assert local_second(deadline) in html and local_second(late) in html
    assert Offer.objects.get().state == OfferState.DRAFT and not OfferSubmission.objects.exists()


@pytest.mark.django_db
@override_settings(NGO_TRUST_REQUEST_START=False)
def test_untrusted_an_offer_processed_after_the_deadline_is_refused_whatever_the_header_says(client, opolskie):
    offer, deadline = _late_evening(opolskie, client)
    _submit(client, offer, arrived=deadline - timedelta(seconds=1), processed=deadline + timedelta(seconds=2))
    assert Offer.objects.get().state == OfferState.DRAFT and not OfferSubmission.objects.exists()


# --- The same rule for the other deadlines --------------------------------------------------------------------


def _arriving(arrived, processed, call):
    """Run `call` inside a request the proxy saw arrive at `arrived`, handled at `processed`."""
    request = RequestFactory().post("/", **header(arrived))
    with override_settings(NGO_TRUST_REQUEST_START=True), time_machine.travel(processed, tick=False):
        return ArrivalMiddleware(lambda _request: call())(request)


@pytest.mark.django_db
def test_a_consultation_comment_and_a_ballot_are_judged_by_arrival_too(opolskie):
    from ngo_platform.consultations import services as consultations
    from ngo_platform.consultations.models import Comment
    from ngo_platform.consultations.workflows import ConsultationError
    from ngo_platform.elections import services as elections
    from ngo_platform.elections.models import Ballot, ElectionState
    from tests.consultations.factories import make_consultation, representative_of
    from tests.elections.factories import ElectionFactory, candidate, eligible_organisation, representative

    consultation = make_consultation(opolskie)
    person, organisation = representative_of()
    end = consultation.ends_at

    def comment(text):
        return lambda: consultations.comment_submit(
            actor=person, consultation=consultation, unit=None, organisation=organisation, justification=text
        )

    _arriving(end - timedelta(seconds=1), end + timedelta(seconds=3), comment("w terminie"))
    with pytest.raises(ConsultationError) as refused, translation.override("pl"):
        _arriving(end + timedelta(seconds=1), end + timedelta(seconds=3), comment("po terminie"))
    with translation.override("pl"):
        assert local_second(end + timedelta(seconds=1)) in refused.value.message
    assert list(Comment.objects.values_list("justification", flat=True)) == ["w terminie"]

    election = ElectionFactory(stage=ElectionState.VOTING)
    chosen = candidate(election)
    voters = [eligible_organisation() for _ in range(2)]

    def ballot(voter):
        return lambda: elections.ballot_cast(
            actor=representative(voter), election=election, organisation=voter, candidate_ids=[chosen.pk]
        )

    closes = election.voting_end
    _arriving(closes - timedelta(seconds=1), closes + timedelta(seconds=2), ballot(voters[0]))
    with pytest.raises(elections.ElectionError):
        _arriving(closes + timedelta(milliseconds=100), closes + timedelta(seconds=2), ballot(voters[1]))
    assert list(Ballot.objects.values_list("organisation", flat=True)) == [voters[0].pk]
