"""Migration 0006 carries the calls to complete made before it: an answered call is closed at its answer
and starts from the submitted content; an unanswered call of an offer decided since is closed at its
deadline; an unanswered call still waiting stays open (the platform closes it at the officer's next step)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.helpers import migrate_to_latest

BEFORE = [("competitions", "0005_offer_attachments")]


@pytest.mark.django_db(transaction=True)
def test_earlier_calls_are_carried_over(reference_data):
    from tests.competitions.evaluation import in_formal_check

    competition, clerk, offers = in_formal_check(3)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = executor.loader.project_state(BEFORE).apps
        Call = apps.get_model("competitions", "CompletionCall")
        Offer = apps.get_model("competitions", "Offer")
        now = timezone.now()
        answered, decided, waiting = offers
        Offer.objects.filter(pk__in=[answered.pk, waiting.pk]).update(state="to_complete")
        Offer.objects.filter(pk=decided.pk).update(state="formally_rejected")
        common = {
            "message": "Uzupełnij",
            "sections": ["oswiadczenia"],
            "called_by_id": clerk.pk,
            "called_at": now - timedelta(days=9),
        }
        Call.objects.create(
            offer_id=answered.pk, deadline=now - timedelta(days=2), answered_at=now - timedelta(days=3), **common
        )
        Call.objects.create(offer_id=decided.pk, deadline=now - timedelta(days=2), **common)
        Call.objects.create(offer_id=waiting.pk, deadline=now + timedelta(days=2), **common)
    finally:
        migrate_to_latest()
    from ngo_platform.competitions.models import CompletionCall

    calls = {call.offer_id: call for call in CompletionCall.objects.all()}
    assert calls[answered.pk].closed_at == calls[answered.pk].answered_at
    assert calls[decided.pk].closed_at == calls[decided.pk].deadline
    assert calls[waiting.pk].closed_at is None
    for offer in offers:
        assert calls[offer.pk].sha256_before == offer.submissions.get().sha256


DECIDED_BEFORE = [("competitions", "0007_annulment_ground")]


@pytest.mark.django_db(transaction=True)
def test_a_recorded_decision_becomes_the_decided_state_and_back(reference_data):
    """Migration 0008: an evaluation with its decision recorded is *decided*; one without stays in evaluation;
    migrating back returns both to the evaluation, the decision kept."""
    from tests.competitions.evaluation import in_evaluation

    decided, *_ = in_evaluation(1, members=1)
    waiting, *_ = in_evaluation(1, members=1)
    executor = MigrationExecutor(connection)
    executor.migrate(DECIDED_BEFORE)
    try:
        Competition = executor.loader.project_state(DECIDED_BEFORE).apps.get_model("competitions", "Competition")
        Competition.objects.filter(pk=decided.pk).update(decided_at=timezone.now(), decision_reference="Uchwała 1")
        assert set(Competition.objects.values_list("state", flat=True)) == {"evaluation"}
    finally:
        migrate_to_latest()
    from ngo_platform.competitions.models import Competition as Current

    assert dict(Current.objects.values_list("pk", "state")) == {decided.pk: "decided", waiting.pk: "evaluation"}
    executor = MigrationExecutor(connection)
    executor.migrate(DECIDED_BEFORE)
    try:
        Competition = executor.loader.project_state(DECIDED_BEFORE).apps.get_model("competitions", "Competition")
        states = dict(Competition.objects.values_list("pk", "state"))
        assert states == {decided.pk: "evaluation", waiting.pk: "evaluation"}
        assert Competition.objects.get(pk=decided.pk).decided_at is not None
    finally:
        migrate_to_latest()
