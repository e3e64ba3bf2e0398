from io import StringIO

import pytest
from django.core.management import call_command

from ngo_platform.agreements import demo
from ngo_platform.agreements.models import Agreement, AgreementState, CostUpdate, Report, ReviewState
from ngo_platform.competitions.models import Offer
from tests.agreements.factories import funded_offer, officer_with_mfa

pytestmark = pytest.mark.django_db


def set_granted(offer, amount, monkeypatch):
    if any(field.name == "granted_amount" for field in Offer._meta.fields):
        Offer.objects.filter(pk=offer.pk).update(granted_amount=amount)
    else:
        monkeypatch.setattr(Offer, "granted_amount", amount, raising=False)


def test_seed_demo_runs_without_a_funded_offer(reference_data):
    call_command("seed_demo", stdout=StringIO())
    assert Agreement.objects.count() == 0 or Agreement.objects.get().state == AgreementState.SIGNED


def test_demo_agreement_with_updated_costs_and_a_submitted_report_once(opolskie, monkeypatch):
    offer = funded_offer()
    officer_with_mfa(opolskie)
    set_granted(offer, 7_000_00, monkeypatch)
    demo.seed()
    demo.seed()
    agreement = Agreement.objects.get()
    assert agreement.state == AgreementState.SIGNED and agreement.granted_amount == 7_000_00
    assert CostUpdate.objects.get().state == ReviewState.ACCEPTED
    report = Report.objects.get()
    assert report.state == ReviewState.SUBMITTED and report.grant == 7_000_00
