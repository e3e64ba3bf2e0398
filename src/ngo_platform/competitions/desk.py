"""What waits on the desk (`core.desk`) in competitions: offers to finish and calls to complete, joint offers to
confirm (the applicants); declarations to sign and offers to score (commission members); the formal check, the
commission to appoint and small grants to decide (the authority's officers).

A fixed number of queries whatever the number of items: the offers with their calls (two), the partner
invitations (one), the seats with the offers each still has to score (one), the authority's competitions with
their counts (one) and small grants (one); each only for a person who holds the role.
"""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ngo_platform.competitions import selectors
from ngo_platform.competitions.models import (
    CommissionMember,
    Competition,
    CompetitionMode,
    CompetitionState,
    CompletionCall,
    Offer,
    OfferPartner,
    OfferState,
    OfferTemplate,
    PartnerState,
    Recusal,
    Score,
)
from ngo_platform.competitions.rules import remember_seat
from ngo_platform.core.desk import DeskItem, Person

CS, OS = CompetitionState, OfferState


def items(person: Person) -> list[DeskItem]:
    found = []
    if person.organisations:
        found += _applicant_items(person)
    if person.administered:
        found += _partner_items(person)
    found += _commission_items(person)
    if person.authorities:
        found += _officer_items(person) + _small_grant_items(person)
    return found


def _still_open(competition: Competition, offer_is_small_grant: bool, now):
    """The deadline an offer (or a partner's confirmation) is still in time for: the competition's offers deadline;
    a small grant (art. 19a) has none. False when the competition no longer accepts offers."""
    if offer_is_small_grant:
        return None
    return competition.offers_deadline if competition.accepting_offers(now) else False


def _applicant_items(person: Person) -> list[DeskItem]:
    """Drafts of the person's organisations still in time, and offers under a call to complete before its deadline."""
    user, now = person.user, person.now
    calls = CompletionCall.objects.defer("content_before", "content")
    offers = (
        Offer.objects.filter(organisation_id__in=list(person.organisations), state__in=[OS.DRAFT, OS.TO_COMPLETE])
        .select_related("competition", "competition__authority", "organisation")
        .prefetch_related(Prefetch("completion_calls", queryset=calls))
        .order_by("pk")
    )
    found = []
    for offer in offers:
        if not user.has_perm("competitions.edit_offer", offer):
            continue
        detail = _("%(organisation)s · %(competition)s") % {
            "organisation": offer.organisation.name,
            "competition": offer.competition.title,
        }
        if offer.state == OS.DRAFT:
            deadline = _still_open(offer.competition, offer.is_small_grant, now)
            if deadline is not False:
                kind = _("Small grant to finish") if offer.is_small_grant else _("Offer to finish")
                found.append(
                    DeskItem("competitions.offer_draft", kind, str(offer), offer.get_absolute_url(), deadline, detail)
                )
        elif (call := selectors.completing_call(offer, now)) is not None:
            url = reverse("competitions:offer_complete", kwargs={"pk": offer.pk})
            found.append(
                DeskItem("competitions.completion_call", _("Call to complete"), str(offer), url, call.deadline, detail)
            )
    return found


def _partner_items(person: Person) -> list[DeskItem]:
    """Joint offers waiting for the confirmation of an organisation the person administers, while still in time."""
    invitations = (
        selectors.partner_invitations(person.user)
        .filter(state=PartnerState.INVITED, organisation_id__in=person.administered)
        .order_by("pk")
    )
    found = []
    for partner in invitations:
        offer = partner.offer
        deadline = _still_open(offer.competition, offer.is_small_grant, person.now)
        if deadline is False or not person.user.has_perm("competitions.confirm_partnership", partner):
            continue
        detail = _("%(lead)s invites %(partner)s · %(competition)s") % {
            "lead": offer.organisation.name,
            "partner": partner.organisation.name,
            "competition": offer.competition.title,
        }
        url = reverse("competitions:partner_confirm", kwargs={"pk": partner.pk})
        found.append(
            DeskItem("competitions.partner_confirm", _("Joint offer to confirm"), str(offer), url, deadline, detail)
        )
    return found


def _to_score(person: Person) -> Subquery:
    """How many offers of the seat's competition its member still has to score: formally correct, not scored by
    them, not stepped aside from, not of an organisation they represent (art. 15 ust. 2d UDPP)."""
    seat = OuterRef(OuterRef("pk"))
    own = list(person.organisations)
    waiting = (
        Offer.objects.filter(competition=OuterRef("competition"), state__in=selectors.EVALUATED_STATES)
        .exclude(Exists(Score.objects.filter(member=seat, offer=OuterRef("pk"))))
        .exclude(Exists(Recusal.objects.filter(member=seat, offer=OuterRef("pk"))))
        .exclude(organisation_id__in=own)
        .exclude(Exists(OfferPartner.objects.filter(offer=OuterRef("pk"), organisation_id__in=own)))
        .order_by()
        .values("competition")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(waiting, output_field=IntegerField()), 0)


def _commission_items(person: Person) -> list[DeskItem]:
    user = person.user
    seats = (
        CommissionMember.objects.filter(user=user, competition__state__in=[CS.FORMAL_CHECK, CS.EVALUATION])
        .select_related("competition", "competition__authority")
        .annotate(to_score=_to_score(person))
        .order_by("pk")
    )
    found = []
    for seat in seats:
        competition = seat.competition
        remember_seat(user, competition, seat)
        url = reverse("competitions:commission_work", kwargs={"slug": competition.slug})
        deadline = competition.selection_deadline
        if not seat.has_declared:
            if user.has_perm("competitions.sign_declaration", competition):
                kind = _("Impartiality declaration to sign")
                detail = _("Sign it to see the offers of the commission.")
                found.append(DeskItem("competitions.declaration", kind, competition.title, url, deadline, detail))
        elif (
            competition.state == CS.EVALUATION
            and seat.to_score
            and user.has_perm("competitions.sit_on_commission", competition)
        ):
            detail = ngettext(
                "%(n)s offer waits for your score.", "%(n)s offers wait for your score.", seat.to_score
            ) % {"n": seat.to_score}
            found.append(DeskItem("competitions.score", _("Offers to score"), competition.title, url, deadline, detail))
    return found


def _checked_counts(now) -> dict:
    """Per competition: the offers waiting for the formal check's result, and those of them the officer can check
    now (submitted, or called to complete with no call still running)."""
    running = CompletionCall.objects.filter(offer=OuterRef("pk"), closed_at__isnull=True, deadline__gt=now)
    pending = Offer.objects.filter(competition=OuterRef("pk"), state__in=[OS.SUBMITTED, OS.TO_COMPLETE])
    checkable = pending.filter(Q(state=OS.SUBMITTED) | ~Exists(running))

    def count(queryset):
        counted = queryset.order_by().values("competition").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    return {"pending": count(pending), "checkable": count(checkable)}


def _officer_items(person: Person) -> list[DeskItem]:
    """The authority's open competitions: the formal check to start, offers to check, the hand-over to the
    commission, and a commission still to appoint."""
    user, now = person.user, person.now
    competitions = (
        Competition.objects.filter(
            authority_id__in=list(person.authorities),
            mode=CompetitionMode.OPEN,
            state__in=[CS.PUBLISHED, CS.FORMAL_CHECK],
        )
        .select_related("authority")
        .annotate(
            has_commission=Exists(CommissionMember.objects.filter(competition=OuterRef("pk"))), **_checked_counts(now)
        )
        .order_by("pk")
    )
    found = []
    for competition in competitions:
        if not user.has_perm("competitions.manage_competition", competition):
            continue
        deadline, title = competition.selection_deadline, competition.title
        overview = reverse("competitions:formal_overview", kwargs={"slug": competition.slug})
        commission = reverse("competitions:commission", kwargs={"slug": competition.slug})
        kind = _("Formal check")
        if competition.state == CS.PUBLISHED and competition.offers_deadline <= now:
            detail = _("The offers deadline has passed: start the formal check.")
            found.append(DeskItem("competitions.formal_check_start", kind, title, overview, deadline, detail))
        elif competition.state == CS.FORMAL_CHECK and competition.checkable:
            detail = ngettext("%(n)s offer to check.", "%(n)s offers to check.", competition.checkable) % {
                "n": competition.checkable
            }
            found.append(DeskItem("competitions.formal_check", kind, title, overview, deadline, detail))
        elif competition.state == CS.FORMAL_CHECK and not competition.pending and competition.has_commission:
            detail = _("Every offer has been checked: hand them to the commission.")
            found.append(DeskItem("competitions.evaluation_start", kind, title, commission, deadline, detail))
        if not competition.has_commission and user.has_perm("competitions.appoint_commission", competition):
            detail = _("No member has been appointed yet.")
            found.append(
                DeskItem("competitions.commission", _("Commission to appoint"), title, commission, deadline, detail)
            )
    return found


def _small_grant_items(person: Person) -> list[DeskItem]:
    """Small grants (art. 19a) to the authority: submitted (to publish for comments or refuse), or past their
    comments (to decide)."""
    offers = (
        Offer.objects.filter(
            template=OfferTemplate.SIMPLIFIED_2018, competition__authority_id__in=list(person.authorities)
        )
        .filter(Q(state=OS.SUBMITTED) | Q(state=OS.COMMENTS, comments_until__lte=person.now))
        .select_related("competition", "competition__authority", "organisation")
        .order_by("pk")
    )
    found = []
    for offer in offers:
        if not person.user.has_perm("competitions.manage_competition", offer):
            continue
        if offer.state == OS.SUBMITTED:
            detail = _("%(organisation)s · publish it for comments or refuse it.")
        else:
            detail = _("%(organisation)s · the comments have ended: decide on the grant.")
        url = reverse("competitions:small_grant", kwargs={"pk": offer.pk})
        detail %= {"organisation": offer.organisation.name}
        found.append(DeskItem("competitions.small_grant", _("Small grant"), str(offer), url, None, detail))
    return found
