"""What waits on the desk (`core.desk`) in agreements.

The lead organisation's admins (`agreements.fill_agreement`): an agreement sent to sign, the updated cost
calculation to prepare (or correct, when returned) before it, the final report due (or returned for corrections).
The authority's officers (`agreements.manage_agreement`): funded offers waiting for their agreement, cost
calculations and reports submitted for acceptance.

A fixed number of queries: the organisation's agreements with their reports (two), the authority's agreements
waiting for a decision with their reports (two), the funded offers without an agreement (one).
"""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ngo_platform.agreements import selectors
from ngo_platform.agreements.models import AgreementState, Report, ReviewState
from ngo_platform.agreements.workflows import EDITABLE
from ngo_platform.core.desk import DeskItem, Person

AS, RS = AgreementState, ReviewState


def items(person: Person) -> list[DeskItem]:
    found = []
    if person.administered:
        found += _organisation_items(person)
    if person.authorities:
        found += _authority_items(person) + _offers_without_agreement(person)
    return found


def _with_reports(queryset):
    return queryset.select_related("cost_update").prefetch_related(
        Prefetch("reports", queryset=Report.objects.only("id", "agreement_id", "kind", "state"))
    )


def _url(name: str, agreement) -> str:
    return reverse(f"agreements:{name}", kwargs={"pk": agreement.pk})


def _organisation_items(person: Person) -> list[DeskItem]:
    agreements = _with_reports(
        selectors.agreement_queryset().filter(
            offer__organisation_id__in=person.administered, state__in=[AS.SENT, AS.SIGNED]
        )
    ).order_by("pk")
    found = []
    for agreement in agreements:
        if not person.user.has_perm("agreements.fill_agreement", agreement):
            continue
        title, detail = str(agreement), agreement.offer.title
        if agreement.state == AS.SENT:
            update = selectors.cost_update_of(agreement)
            if selectors.needs_cost_update(agreement) and (update is None or update.state in EDITABLE):
                returned = update is not None and update.state == RS.RETURNED
                kind = _("Cost calculation returned for corrections") if returned else _("Cost calculation to update")
                found.append(
                    DeskItem("agreements.cost_update", kind, title, _url("cost_update", agreement), None, detail)
                )
            elif not selectors.needs_cost_update(agreement) or update.state == RS.ACCEPTED:
                kind = _("Agreement to sign")
                found.append(DeskItem("agreements.sign", kind, title, agreement.get_absolute_url(), None, detail))
            continue
        report = selectors.final_report(agreement)
        if report is None or report.state in EDITABLE:
            returned = report is not None and report.state == RS.RETURNED
            kind = _("Report returned for corrections") if returned else _("Final report due")
            found.append(
                DeskItem("agreements.report", kind, title, _url("report", agreement), agreement.report_due, detail)
            )
    return found


def _authority_items(person: Person) -> list[DeskItem]:
    """Cost calculations and final reports the organisations submitted, waiting for the authority's decision."""
    waiting = Q(cost_update__state=RS.SUBMITTED) | Q(reports__state=RS.SUBMITTED)
    agreements = (
        _with_reports(
            selectors.agreement_queryset().filter(offer__competition__authority_id__in=list(person.authorities))
        )
        .filter(waiting)
        .distinct()
        .order_by("pk")
    )
    found = []
    for agreement in agreements:
        if not person.user.has_perm("agreements.manage_agreement", agreement):
            continue
        title, detail = str(agreement), agreement.offer.organisation.name
        update = selectors.cost_update_of(agreement)
        if update is not None and update.state == RS.SUBMITTED:
            kind = _("Cost calculation to accept")
            found.append(
                DeskItem("agreements.cost_update_decide", kind, title, _url("cost_update", agreement), None, detail)
            )
        report = selectors.final_report(agreement)
        if report is not None and report.state == RS.SUBMITTED:
            kind = _("Report to accept")
            found.append(DeskItem("agreements.report_decide", kind, title, _url("report", agreement), None, detail))
    return found


def _offers_without_agreement(person: Person) -> list[DeskItem]:
    """Funded offers of the authority's competitions still without an agreement."""
    offers = selectors.funded_offers_without_agreement(person.user).filter(
        competition__authority_id__in=list(person.authorities)
    )
    found = []
    for offer in offers:
        if not person.user.has_perm("agreements.manage_agreement", offer):
            continue
        detail = _("%(organisation)s · %(competition)s") % {
            "organisation": offer.organisation.name,
            "competition": offer.competition.title,
        }
        # The agreement is prepared by a button (a POST) on the list of funded offers without one.
        url = reverse("agreements:list") + "#offers-caption"
        found.append(DeskItem("agreements.create", _("Agreement to prepare"), str(offer), url, None, detail))
    return found
