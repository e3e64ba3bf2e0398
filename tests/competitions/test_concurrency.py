"""200 offers submitted at once around the deadline, on PostgreSQL: every offer
submitted in time is stored exactly once with its receipt, every late one is refused, no partial offer."""

import hashlib
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from ngo_platform.competitions import services
from ngo_platform.competitions.models import (
    Competition,
    Offer,
    OfferState,
    OfferSubmission,
)
from ngo_platform.core.models import AuditEntry
from tests.competitions.factories import CompetitionFactory, many_complete_offers

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")

OFFERS = 200
# PostgreSQL allows 100 connections by default and other suites share the server: at most this many at once.
WORKERS = 40


@pytest.mark.django_db(transaction=True)
def test_200_submissions_in_the_last_seconds_each_stored_once_late_ones_refused(reference_data):
    competition = CompetitionFactory()
    users, offers = many_complete_offers(competition, OFFERS)
    # 150 offers submitted twice each (a double click) right away, racing a deadline a few seconds away;
    # the other 50 sent just after it (their senders start before the deadline and arrive after it).
    deadline = timezone.now() + timedelta(seconds=5)
    Competition.objects.filter(pk=competition.pk).update(offers_deadline=deadline)
    in_time, after = list(zip(users, offers))[:150], list(zip(users, offers))[150:]
    jobs = [(u, o, None) for u, o in in_time] * 2 + [(u, o, deadline + timedelta(milliseconds=200)) for u, o in after]

    def submit(job):
        user, offer, not_before = job
        if not_before is not None:
            time.sleep(max(0.0, (not_before - timezone.now()).total_seconds()))
        try:
            submission = services.offer_submit(actor=user, offer=offer)
            return ("ok", offer.pk, submission.pk, submission.submitted_at)
        except services.CompetitionError as error:
            return ("refused", offer.pk, str(error), timezone.now())
        finally:
            connection.close()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = list(pool.map(submit, jobs))
    assert time.monotonic() - started < 120

    accepted = [o for o in outcomes if o[0] == "ok"]
    refused = [o for o in outcomes if o[0] == "refused"]
    submissions = list(OfferSubmission.objects.filter(offer__competition=competition))
    submitted_offers = {s.offer_id for s in submissions}
    # Exactly once each, in time, with a receipt and a checksum of its stored content.
    assert len(submissions) == len(submitted_offers)
    assert all(
        s.submitted_at < deadline and s.number and hashlib.sha256(s.content.encode()).hexdigest() == s.sha256
        for s in submissions
    )
    assert {o[2] for o in accepted} == {s.pk for s in submissions}  # a double click got the same receipt
    # Every refusal is a late one and left its offer a draft, with nothing stored.
    for _, offer_pk, message, _at in refused:
        assert "too late" in message or "za późno" in message
        if offer_pk not in submitted_offers:
            assert Offer.objects.get(pk=offer_pk).state == OfferState.DRAFT
    assert Offer.objects.filter(competition=competition, state=OfferState.SUBMITTED).count() == len(submissions)
    assert not Offer.objects.filter(
        competition=competition, state=OfferState.SUBMITTED, submissions__isnull=True
    ).exists()
    assert AuditEntry.objects.filter(
        action="competitions.offer_submit", details__competition=competition.pk
    ).count() == len(submissions)
    # Both sides of the deadline were exercised: every offer sent after it was refused and stays a draft.
    assert submissions, "no offer made it in time"
    sent_late = {o.pk for _u, o in after}
    assert sent_late.isdisjoint(submitted_offers)
    assert {offer_pk for _, offer_pk, *_ in refused} >= sent_late
    assert set(Offer.objects.filter(pk__in=sent_late).values_list("state", flat=True)) == {OfferState.DRAFT}
    late = {offer_pk for _, offer_pk, *_ in refused} - submitted_offers
    assert len(submissions) + len(late) == OFFERS


@pytest.mark.django_db(transaction=True)
def test_a_completion_sent_twice_at_once_closes_the_call_once_and_tells_the_officer_once(reference_data, mailoutbox):
    """Two admins (or a double click) send the completion at the same instant, while the officer calls
    again: the call closes exactly once, one e-mail reaches the officer, and no second call opens over it."""
    import threading

    from ngo_platform.competitions.models import CompletionCall
    from tests.competitions.evaluation import in_formal_check
    from tests.competitions.factories import member

    competition, clerk, offers = in_formal_check(1)
    offer = offers[0]
    first_call = services.completion_call(
        actor=clerk,
        offer=offer,
        message="Podpisy",
        sections=["oswiadczenia"],
        deadline=timezone.now() + timedelta(days=1),
    )
    admins = [offer.organisation.memberships.get(role="admin").user, member(offer.organisation)]
    services.offer_save_step(
        actor=admins[0], offer=offer, step="oswiadczenia", data={"signatories": "Anna Nowak\nJan Kos"}
    )
    barrier = threading.Barrier(4)
    mailoutbox.clear()

    def send(user):
        barrier.wait()
        try:
            return ("sent", services.completion_answer(actor=user, offer=offer, call_id=first_call.pk).pk)
        except services.CompetitionError as error:
            return ("refused", str(error))
        finally:
            connection.close()

    def call_again(_):
        barrier.wait()
        try:
            return (
                "called",
                services.completion_call(
                    actor=clerk,
                    offer=offer,
                    message="Znowu",
                    sections=["opis"],
                    deadline=timezone.now() + timedelta(days=1),
                ).pk,
            )
        except services.CompetitionError as error:
            return ("refused", str(error))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [
            pool.submit(send, admins[0]),
            pool.submit(send, admins[0]),
            pool.submit(send, admins[1]),
            pool.submit(call_again, None),
        ]
        outcomes = [f.result() for f in futures]
    sent = [o for o in outcomes[:3] if o[0] == "sent"]
    assert len(sent) == 1, outcomes
    assert all("Nie ma otwartego wezwania" in o[1] for o in outcomes[:3] if o[0] == "refused"), outcomes
    calls = list(CompletionCall.objects.filter(offer=offer).order_by("called_at"))
    first = calls[0]
    assert first.closed_at is not None and first.answered_at is not None and first.sha256
    assert CompletionCall.objects.filter(offer=offer, closed_at__isnull=True).count() <= 1
    # The officer's second call either came after the completion (and opened a new call) or was refused before it.
    assert (outcomes[3][0] == "called") == (len(calls) == 2)
    assert sum(1 for m in mailoutbox if clerk.email in m.to and first.sha256 in m.body) == 1
    assert AuditEntry.objects.filter(action="competitions.completion_answer", target_id=str(offer.pk)).count() == 1
