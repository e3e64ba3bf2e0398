"""Double clicks and two people at once, on PostgreSQL: one agreement per offer; the report submitted once;
the officer's two decisions at once record one."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from ngo_platform.agreements import services
from ngo_platform.agreements.models import Agreement, HistoryEntry, Report, ReviewState
from ngo_platform.core.models import AuditEntry
from tests.agreements.factories import funded_offer, member, officer_with_mfa, ready_agreement
from tests.agreements.test_services import fill_report

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")


def at_once(function, times=8):
    def run(_n):
        try:
            return function()
        except Exception as error:  # the refusals are the point: collected, not raised
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(run, range(times)))


@pytest.mark.django_db(transaction=True)
def test_one_agreement_per_offer_and_one_submission_and_decision(reference_data):
    offer = funded_offer()
    clerk = officer_with_mfa(offer.competition.authority)
    results = at_once(lambda: services.agreement_create(actor=clerk, offer=offer))
    assert all(isinstance(r, Agreement) for r in results) and len({r.pk for r in results}) == 1
    assert (
        Agreement.objects.count() == 1 and AuditEntry.objects.filter(action="agreements.agreement_create").count() == 1
    )

    agreement = ready_agreement(funded_offer(competition=offer.competition), clerk=clerk, sign=True)
    ngo = member(agreement.offer.organisation)
    report = fill_report(ngo, services.report_start(actor=ngo, agreement=agreement))
    results = at_once(lambda: services.report_submit(actor=ngo, report=report))
    assert sum(isinstance(r, Report) for r in results) == 1
    assert all(isinstance(r, services.AgreementError) for r in results if not isinstance(r, Report))
    assert HistoryEntry.objects.filter(agreement=agreement, subject="report", state="submitted").count() == 1
    results = at_once(lambda: services.report_decide(actor=clerk, report=report, accept=True))
    assert sum(isinstance(r, Report) for r in results) == 1
    report.refresh_from_db()
    assert report.state == ReviewState.ACCEPTED
    assert AuditEntry.objects.filter(action="agreements.agreement_settle").count() == 1
