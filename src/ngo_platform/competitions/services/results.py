"""The evaluation, the proposed amounts, the decision on the grants and the publication of the results."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.competitions import selectors
from ngo_platform.competitions.models import (
    Competition,
)
from ngo_platform.competitions.services.commission import participating_organisations
from ngo_platform.competitions.services.common import CS, OS, check_manage, details_of, lock_competition
from ngo_platform.competitions.workflows import (
    COMPETITION,
    OFFER,
    AmountErrors,
    CompetitionError,
    acting_for_authority,
)
from ngo_platform.core.money import format_money
from ngo_platform.core.services import audit_log
from ngo_platform.core.workflow import perform


def _evaluation_open(actor, competition: Competition) -> Competition:
    competition = lock_competition(competition)
    check_manage(actor, competition)
    if competition.state != CS.EVALUATION:
        raise CompetitionError(_("The amounts can be proposed during the evaluation, before the decision."))
    return competition


def evaluation_start(*, actor, competition: Competition) -> Competition:
    """Close the formal check and hand the formally correct offers to the commission. Every offer must be
    decided formally; the commission must have members, none nominated by an applicant (art. 15 ust. 2d)."""
    with transaction.atomic():
        competition = lock_competition(competition)
        check_manage(actor, competition)
        pending = competition.offers.filter(state__in=[OS.SUBMITTED, OS.TO_COMPLETE]).count()
        if competition.state == CS.FORMAL_CHECK and pending:
            raise CompetitionError(_("%(n)s offer(s) still wait for the result of the formal check.") % {"n": pending})
        if competition.state == CS.FORMAL_CHECK and not competition.offers.filter(state=OS.FORMALLY_CORRECT).exists():
            raise CompetitionError(
                _("No offer is formally correct: the competition can only be annulled (art. 18a UDPP).")
            )
        members = list(competition.commission.select_related("nominated_by"))
        if not members:
            raise CompetitionError(_("Appoint the commission first."))
        participating = participating_organisations(competition)
        barred = [m for m in members if m.nominated_by_id in participating]
        if barred:
            raise CompetitionError(
                _("Nominated by an applicant, these members cannot sit (art. 15 ust. 2d UDPP): %(names)s.")
                % {"names": ", ".join(f"{m} ({m.nominated_by.name})" for m in barred)}
            )
        details = {"members": [m.pk for m in members]}
        perform(COMPETITION, competition, "evaluation_start", actor=actor, details=details)
    return competition


def amounts_propose(*, actor, competition: Competition, amounts: dict[int, int | None]) -> list[str]:
    """The officer proposes the grants: {offer id: grosze or None}. Each at most the amount requested, all
    together at most the competition's funds; refused as a whole otherwise. Returns the warnings (own
    contribution share below the rule at the proposed amount); every change is audited (before → after)."""
    with transaction.atomic():
        competition = _evaluation_open(actor, competition)
        offers = {o.pk: o for o in competition.offers.select_for_update(of=("self",)).filter(state=OS.FORMALLY_CORRECT)}
        errors = {}
        for pk, amount in amounts.items():
            offer = offers.get(pk)
            if offer is None:
                continue
            if amount is not None and amount > offer.grant_requested:
                errors[pk] = _("At most the amount requested, %(requested)s.") % {
                    "requested": format_money(offer.grant_requested)
                }
        new = {pk: amounts.get(pk, o.proposed_amount) for pk, o in offers.items()}
        total = sum(a or 0 for a in new.values())
        if errors:
            raise AmountErrors(_("Some amounts are above what the applicant requested; nothing was saved."), errors)
        if total > competition.total_funds:
            raise AmountErrors(
                _(
                    "Together %(total)s: more than the funds of the competition, %(funds)s, by %(over)s. Nothing was saved."
                )
                % {
                    "total": format_money(total),
                    "funds": format_money(competition.total_funds),
                    "over": format_money(total - competition.total_funds),
                },
                {},
            )
        changes = {}
        for pk, offer in offers.items():
            if pk in amounts and offer.proposed_amount != amounts[pk]:
                changes[str(pk)] = [format_money(offer.proposed_amount), format_money(amounts[pk])]
                offer.proposed_amount = amounts[pk]
                offer.save(update_fields=["proposed_amount"])
        if changes:
            audit_log(
                actor=actor,
                action="competitions.amounts_propose",
                target=competition,
                acting_for=acting_for_authority(actor, competition),
                details=details_of(competition, amounts=changes, total=format_money(total)),
            )
        return [w for o in offers.values() if (w := selectors.own_share_warning(o, competition, new[o.pk]))]


def competition_decide(*, actor, competition: Competition, reference: str) -> Competition:
    """Record the decision on the grants (e.g. the board's resolution): every formally correct offer is
    evaluated, then funded with the proposed amount or not funded; the points and places are frozen."""
    with transaction.atomic():
        competition = _evaluation_open(actor, competition)
        if not reference.strip():
            raise CompetitionError(
                _("Name the decision (e.g. Resolution no. 123/2026 of the Board of 2 March 2026)."), "reference"
            )
        ranking = selectors.ranking(competition)
        unscored = [row for row in ranking.rows if row.cards == 0]
        if unscored:
            raise CompetitionError(
                _("Not scored by any member yet: %(offers)s.")
                % {"offers": "; ".join(f"{r.organisation} – {r.title}" for r in unscored)}
            )
        if ranking.proposed_total > competition.total_funds:
            raise CompetitionError(_("The proposed amounts exceed the funds of the competition."))
        offers = {o.pk: o for o in competition.offers.select_for_update(of=("self",)).filter(state=OS.FORMALLY_CORRECT)}
        results = []
        now = timezone.now()
        for row in ranking.rows:
            offer = offers[row.offer_id]
            offer.competition = competition
            amount = offer.proposed_amount or 0
            perform(OFFER, offer, "evaluate", actor=actor, now=now)
            values = {"granted_amount": amount, "final_points": row.average_display, "final_rank": row.rank}
            perform(OFFER, offer, "fund" if amount > 0 else "not_fund", actor=actor, now=now, values=values)
            results.append([offer.pk, row.rank, str(row.average_display), format_money(amount)])
        values = {"decided_by": actor, "decision_reference": reference.strip()}
        details = {"reference": reference.strip(), "results": results, "total": format_money(ranking.proposed_total)}
        perform(COMPETITION, competition, "decide", actor=actor, now=now, values=values, details=details)
    return competition


def results_publish(*, actor, competition: Competition) -> Competition:
    """Publish the results (organisation, title, points, amount) on the competition's page and as open
    data; the applicants then see their own score cards."""
    with transaction.atomic():
        competition = lock_competition(competition)
        check_manage(actor, competition)
        values = {"results_published_by": actor}
        details = {"reference": competition.decision_reference}
        perform(COMPETITION, competition, "results_publish", actor=actor, values=values, details=details)
    return competition
