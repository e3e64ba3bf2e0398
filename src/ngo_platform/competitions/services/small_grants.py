"""Small grants without a competition (art. 19a UDPP): the simplified offer, the pool, comments, the decision."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.competitions import selectors
from ngo_platform.competitions.models import (
    Competition,
    CompetitionMode,
    Offer,
    OfferComment,
    OfferTemplate,
    SmallGrantPool,
)
from ngo_platform.competitions.services.announcement import unique_slug
from ngo_platform.competitions.services.common import OS, check_manage, details_of, lock_offer
from ngo_platform.competitions.workflows import (
    OFFER,
    CompetitionError,
)
from ngo_platform.core.arrival import arrived_at
from ngo_platform.core.money import format_money, format_percent
from ngo_platform.core.services import audit_log
from ngo_platform.core.text import local_second
from ngo_platform.core.workflow import perform
from ngo_platform.organisations.models import Organisation, OrganisationStatus

#
# An organisation submits a simplified offer (Dz.U. 2018 poz. 2055) to an authority without a competition.
# The offer belongs to a `Competition` row of mode small_grant created for it: never announced (its stage
# stays draft, it is not listed), it carries the authority and the container's values the offer pages read.
# The officer publishes the offer for comments (submitted → comments, 7 days from `LegalParameters`), anyone
# signed in comments, and after the window the officer grants it (→ funded, `granted_amount`) or refuses it
# (→ not_funded, with the reason). Before publication the officer may refuse it (→ formally_rejected).


def small_grant_start(*, actor, authority, organisation: Organisation) -> Offer:
    """A member of an organisation starts a simplified offer to an authority (a draft)."""
    if not actor.is_authenticated or not actor.organisation_memberships.filter(organisation=organisation).exists():
        raise PermissionDenied
    with transaction.atomic():
        if organisation.status != OrganisationStatus.ACTIVE:
            raise CompetitionError(
                _("%(organisation)s is not active in the register.") % {"organisation": organisation}, "organisation"
            )
        today = timezone.localdate()
        params = selectors.legal_parameters(authority=authority, on=today)
        start, end = today.replace(month=1, day=1), today.replace(year=today.year + 1, month=12, day=31)
        title = _("Small grant (art. 19a): %(organisation)s") % {"organisation": organisation.name}
        competition = Competition.objects.create(
            authority=authority,
            mode=CompetitionMode.SMALL_GRANT,
            template=OfferTemplate.SIMPLIFIED_2018,
            title=title[:300],
            slug=unique_slug(f"maly-grant-{organisation.name}"),
            task_kind=_("Small grant (art. 19a UDPP)"),
            total_funds=params.small_grant_max_grosze,
            max_grant=params.small_grant_max_grosze,
            own_contribution_min_bp=0,
            eligible_entities=_("Organisations and entities of art. 3 ust. 3 UDPP"),
            require_verified=False,
            task_start=start,
            task_end=end,
            offers_deadline=timezone.now() + timedelta(days=3650),
            rules_text=_("Art. 19a UDPP: a grant without an open competition."),
            created_by=actor,
        )
        offer = Offer.objects.create(
            competition=competition,
            organisation=organisation,
            template=OfferTemplate.SIMPLIFIED_2018,
            created_by=actor,
            contact_name=actor.display_name,
            contact_email=actor.email,
        )
        audit_log(
            actor=actor,
            action="competitions.small_grant_start",
            target=offer,
            acting_for=organisation,
            details=details_of(competition, offer=offer.pk, authority=authority.name),
        )
    return offer


def _small_grant_offer(actor, offer: Offer) -> Offer:
    """Inside a transaction: the locked small-grant offer, if the person is an officer of its authority."""
    offer = lock_offer(offer)
    if not offer.is_small_grant:
        raise CompetitionError(_("This is not a small-grant offer."))
    check_manage(actor, offer.competition)
    return offer


def small_grant_pool_set(*, actor, authority, year: int, amount: int) -> SmallGrantPool:
    """An officer sets the grants the authority plans for organisations in the year (the base of the 20%)."""
    if not actor.has_perm("competitions.manage_competition", authority):
        raise PermissionDenied
    if amount is None or amount < 0:
        raise CompetitionError(_("Give the amount."), "amount")
    with transaction.atomic():
        pool = SmallGrantPool.objects.select_for_update().filter(authority=authority, year=year).first()
        before = pool.amount if pool else None
        used = selectors.authority_small_grants_total(authority.pk, year)
        params = selectors.legal_parameters(authority=authority)
        if used * 10000 > amount * params.small_grant_budget_share_bp:
            raise CompetitionError(
                _(
                    "Small grants of %(used)s are already published or granted in %(year)s: the pool must be at least "
                    "%(min)s for them to stay within %(share)s."
                )
                % {
                    "used": format_money(used),
                    "year": year,
                    "min": format_money(-(-used * 10000 // params.small_grant_budget_share_bp)),
                    "share": format_percent(params.small_grant_budget_share_bp),
                },
                "amount",
            )
        if pool is None:
            pool = SmallGrantPool.objects.create(
                authority=authority, year=year, amount=amount, set_by=actor, set_at=timezone.now()
            )
        else:
            pool.amount, pool.set_by, pool.set_at = amount, actor, timezone.now()
            pool.save(update_fields=["amount", "set_by", "set_at"])
        audit_log(
            actor=actor,
            action="competitions.small_grant_pool_set",
            target=pool,
            acting_for=authority,
            details={"authority": authority.pk, "year": year, "amount": [format_money(before), format_money(amount)]},
        )
    return pool


def small_grant_publish(*, actor, offer: Offer) -> Offer:
    """The officer accepts the offer for publication: public for comments for the statutory days (art. 19a
    ust. 3), if the authority's small grants of the year, with this one, stay within the share of its pool
    (art. 19a ust. 5)."""
    with transaction.atomic():
        offer = _small_grant_offer(actor, offer)
        if offer.state != OS.SUBMITTED:  # checked first: nothing else happens when it is not submitted
            raise CompetitionError(OFFER.refusal_of(OFFER["publish_for_comments"], offer))
        authority = offer.competition.authority
        year = selectors.small_grant_year(offer)
        now = timezone.now()
        params = selectors.legal_parameters(authority=authority, on=timezone.localdate(now))
        # The pool row is locked: publications of one authority's small grants in a year run one at a time.
        pool = SmallGrantPool.objects.select_for_update().filter(authority=authority, year=year).first()
        if pool is None:
            raise CompetitionError(
                _(
                    "Set the grants %(authority)s plans for organisations in %(year)s first: small grants may be at most "
                    "%(share)s of them (art. 19a ust. 5 UDPP)."
                )
                % {"authority": authority, "year": year, "share": format_percent(params.small_grant_budget_share_bp)}
            )
        used = selectors.authority_small_grants_total(authority.pk, year, exclude=offer.pk)
        total = used + offer.grant_requested
        if total * 10000 > pool.amount * params.small_grant_budget_share_bp:
            raise CompetitionError(
                _(
                    "Small grants of %(authority)s in %(year)s would be %(total)s (%(used)s already published or granted + "
                    "%(grant)s this one), above %(share)s of the %(pool)s planned for organisations, that is %(cap)s "
                    "(art. 19a ust. 5 UDPP)."
                )
                % {
                    "authority": authority,
                    "year": year,
                    "total": format_money(total),
                    "used": format_money(used),
                    "grant": format_money(offer.grant_requested),
                    "share": format_percent(params.small_grant_budget_share_bp),
                    "pool": format_money(pool.amount),
                    "cap": format_money(pool.amount * params.small_grant_budget_share_bp // 10000),
                }
            )
        until = now + timedelta(days=params.small_grant_comment_days)
        values = {"comments_until": until, "published_by": actor}
        details = {
            "until": until.isoformat(),
            "grant": format_money(offer.grant_requested),
            "year_total": format_money(total),
        }
        perform(OFFER, offer, "publish_for_comments", actor=actor, now=now, values=values, details=details)
        selectors.list_changed_on_commit()
    return offer


def small_grant_comment(*, actor, offer: Offer, text: str) -> OfferComment:
    """Anyone signed in comments on a small-grant offer while it is published for comments."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    text = (text or "").strip()
    with transaction.atomic():
        offer = Offer.objects.select_for_update(of=("self",)).get(pk=offer.pk)
        now = arrived_at()
        if not offer.is_small_grant or offer.comments_from is None:
            raise CompetitionError(_("This offer has not been published for comments."), "text")
        if not offer.comments_open(now):
            raise CompetitionError(
                _("Comments were accepted until %(until)s; it is %(now)s now. Your comment was not saved.")
                % {"until": local_second(offer.comments_until), "now": local_second(now)},
                "text",
            )
        if not text:
            raise CompetitionError(_("Write the comment."), "text")
        comment = OfferComment.objects.create(
            offer=offer,
            author=actor,
            author_name=str(actor)[:200],
            text=text[:5000],
            created_at=now,
        )
        audit_log(
            actor=actor,
            action="competitions.small_grant_comment",
            target=offer,
            details=details_of(offer.competition, offer=offer.pk, comment=comment.pk),
        )
    return comment


def small_grant_decision(offer: Offer, *, grant: bool) -> str:
    """The step of the offer's course a decision takes: before publication only a refusal, after it either."""
    return "refuse_before_publication" if offer.state == OS.SUBMITTED and not grant else "grant" if grant else "refuse"


def small_grant_decide(*, actor, offer: Offer, grant: bool, reason: str = "") -> Offer:
    """The officer's decision: before publication only a refusal (→ formally_rejected); after the comment
    window, the grant (→ funded, the amount requested) or a refusal (→ not_funded); a refusal needs its reason."""
    reason = (reason or "").strip()
    with transaction.atomic():
        offer = _small_grant_offer(actor, offer)
        now = timezone.now()
        if not grant and not reason:
            raise CompetitionError(_("Give the reason for the refusal: the organisation reads it."), "reason")
        name = small_grant_decision(offer, grant=grant)
        if name == "refuse_before_publication":
            values = {"formal_reason": reason, "formal_decided_by": actor}
        else:
            granted = offer.grant_requested if grant else 0
            values = {"granted_amount": granted, "decision_reason": reason, "decided_by": actor}
        details = {"state": OFFER[name].target, "reason": reason, "granted": format_money(values.get("granted_amount"))}
        perform(OFFER, offer, name, actor=actor, now=now, values=values, details=details)
        selectors.list_changed_on_commit()
    return offer
