"""Writes of competitions and offers. Every change runs in one transaction, locks the row it changes,
is checked against the server's clock (Europe/Warsaw) at that moment, and is audited with the
competition's id in `details["competition"]` (and the offer's in `details["offer"]`)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.accounts.models import OrganisationMembership, OrganisationRole
from ngo_platform.competitions import canonical, files, selectors
from ngo_platform.competitions.models import (
    CALL_PARTS,
    DEFAULT_FORMAL_CHECKLIST,
    AnnulmentGround,
    CommissionMember,
    CommissionRole,
    Competition,
    CompetitionMode,
    CompetitionState,
    CompetitionVersion,
    CompletionCall,
    CostCategory,
    CostLine,
    EvaluationCriterion,
    FormalCheckItem,
    FormalMark,
    Offer,
    OfferAction,
    OfferAttachment,
    OfferComment,
    OfferPartner,
    OfferResult,
    OfferState,
    OfferSubmission,
    OfferTemplate,
    Recusal,
    Score,
    SmallGrantPool,
)
from ngo_platform.competitions.money import format_money, format_percent, line_total
from ngo_platform.competitions.workflows import (
    CALL,
    COMPETITION,
    OFFER,
    PARTNER,
    AmountErrors,
    CompetitionError,
    OfferIncomplete,
    acting_for_authority,
)
from ngo_platform.core.services import audit_log, email_notify
from ngo_platform.core.text import local_time as _when
from ngo_platform.core.text import slugify_pl
from ngo_platform.core.workflow import perform
from ngo_platform.organisations.models import Organisation, OrganisationStatus

CS = CompetitionState
OS = OfferState

# Fields of the announcement a form may set; all of them are versioned after publication.
COMPETITION_FIELDS = (
    "title",
    "task_kind",
    "sphere",
    "task_form",
    "total_funds",
    "min_grant",
    "max_grant",
    "own_contribution_min_bp",
    "own_counts_financial",
    "own_counts_personal",
    "own_counts_in_kind",
    "own_counts_fees",
    "admin_costs_max_bp",
    "eligible_entities",
    "require_verified",
    "task_start",
    "task_end",
    "offers_deadline",
    "funds_this_year",
    "funds_last_year",
    "required_attachments",
    "rules_text",
    "selection_deadline",
)

# The fields each step of the offer form writes (the rows of III.4, III.6, V.A and partners have their own services).
OFFER_STEP_FIELDS = {
    "oferent": ("correspondence_address", "contact_name", "contact_email", "contact_phone"),
    "opis": ("title", "date_from", "date_to", "summary", "expected_results"),
    "dzialania": (),
    "zasoby": ("previous_activity", "resources"),
    "koszty": (),
    "zrodla": (
        "grant_requested",
        "own_financial",
        "own_personal",
        "own_in_kind",
        "beneficiary_fees",
        "lead_cost_share",
    ),
    "inne": ("paid_activity", "partners_split", "other_info"),
    "oswiadczenia": (
        "declares_pbo_only",
        "declares_fees_rules",
        "tax_arrears",
        "tax_arrears_note",
        "declares_register_data",
        "declares_truth",
        "declares_gdpr",
        "signatories",
    ),
}
MONEY_FIELDS = {
    "grant_requested",
    "own_financial",
    "own_personal",
    "own_in_kind",
    "beneficiary_fees",
    "lead_cost_share",
}


def _details(competition: Competition, **extra) -> dict[str, Any]:
    return {"competition": competition.pk, **extra}


def _lock(competition: Competition) -> Competition:
    return Competition.objects.select_for_update(of=("self",)).select_related("authority").get(pk=competition.pk)


def _lock_shared(competition: Competition) -> Competition:
    """Lock the competition so that its deadline cannot change while an offer is being submitted, without
    making submissions wait for one another: FOR SHARE on PostgreSQL (SQLite serialises writers anyway)."""
    if connection.vendor == "postgresql":
        return list(
            Competition.objects.raw("SELECT * FROM competitions_competition WHERE id = %s FOR SHARE", [competition.pk])
        )[0]
    return Competition.objects.get(pk=competition.pk)


# --- Announcements ----------------------------------------------------------------------------

RESERVED_SLUGS = frozenset({"nowy", "oferty", "moje-oferty", "partnerstwa", "male-granty"})


def _unique_slug(text: str) -> str:
    base = slugify_pl(text, max_length=140) or "konkurs"
    taken = set(Competition.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def competition_check(competition: Competition, *, criteria: list[dict], publishing_at=None) -> None:
    """The announcement's invariants; with `publishing_at`, the offers period of art. 13 ust. 1 UDPP too."""
    if competition.task_start > competition.task_end:
        raise CompetitionError(_("The task period must end after it starts."), "task_end")
    if competition.min_grant is not None and competition.min_grant > competition.max_grant:
        raise CompetitionError(_("The minimum grant must not be above the maximum grant."), "min_grant")
    if competition.max_grant > competition.total_funds:
        raise CompetitionError(_("The maximum grant must not be above the total funds."), "max_grant")
    if not criteria:
        raise CompetitionError(_("Give at least one evaluation criterion with its maximum points."))
    if publishing_at is not None:
        params = selectors.legal_parameters(authority=competition.authority, on=timezone.localdate(publishing_at))
        earliest = publishing_at + timedelta(days=params.offer_deadline_min_days)
        if competition.offers_deadline < earliest:
            raise CompetitionError(
                _(
                    "The offers deadline must be at least %(days)s days after the publication (art. 13 ust. 1 UDPP): "
                    "published now, the earliest deadline is %(earliest)s."
                )
                % {"days": params.offer_deadline_min_days, "earliest": _when(earliest)},
                "offers_deadline",
            )


def _set_criteria(competition: Competition, criteria: list[dict]) -> None:
    competition.criteria.all().delete()
    EvaluationCriterion.objects.bulk_create(
        EvaluationCriterion(competition=competition, position=n, name=c["name"].strip(), max_points=c["max_points"])
        for n, c in enumerate(criteria, start=1)
    )


def _criteria_data(competition: Competition) -> list[dict]:
    return [{"name": c.name, "max_points": c.max_points} for c in competition.criteria.order_by("position")]


def competition_create(*, actor, authority, data: dict[str, Any], criteria: list[dict]) -> Competition:
    """An officer of the authority prepares an announcement (a draft)."""
    if not actor.has_perm("competitions.manage_competition", authority):
        raise PermissionDenied
    values = {field: data[field] for field in COMPETITION_FIELDS if field in data}
    with transaction.atomic():
        competition = Competition(authority=authority, slug=_unique_slug(values["title"]), created_by=actor, **values)
        competition_check(competition, criteria=criteria)
        competition.save()
        _set_criteria(competition, criteria)
        audit_log(
            actor=actor,
            action="competitions.competition_create",
            target=competition,
            acting_for=acting_for_authority(actor, competition),
            details=_details(competition, title=competition.title),
        )
    return competition


def _snapshot(competition: Competition) -> dict:
    values = {}
    for field in COMPETITION_FIELDS:
        value = getattr(competition, field if field != "sphere" else "sphere_id")
        values[field] = value.isoformat() if hasattr(value, "isoformat") else value
    values["criteria"] = _criteria_data(competition)
    return values


def competition_update(
    *, actor, competition: Competition, data: dict[str, Any], criteria: list[dict], note: str = ""
) -> Competition:
    """Change a draft freely; after publication, a correction: a new, public version with its note.

    A correction may not bring the offers deadline closer than the statutory period after the first
    publication, nor into the past; offers already submitted keep their receipts."""
    with transaction.atomic():
        competition = _lock(competition)
        if not actor.has_perm("competitions.manage_competition", competition):
            raise PermissionDenied
        if competition.state not in (CS.DRAFT, CS.PUBLISHED):
            raise CompetitionError(_("The announcement can be corrected only while offers are accepted."))
        now = timezone.now()
        if competition.state == CS.PUBLISHED and competition.offers_deadline <= now:
            raise CompetitionError(_("The offers deadline has passed: the announcement can no longer be corrected."))
        before = _snapshot(competition)
        for field in COMPETITION_FIELDS:
            if field in data:
                setattr(competition, field, data[field])
        competition_check(competition, criteria=criteria)
        if competition.state == CS.PUBLISHED:
            if not note.strip():
                raise CompetitionError(_("Describe the correction: it is published with the new version."), "note")
            params = selectors.legal_parameters(
                authority=competition.authority, on=timezone.localdate(competition.published_at)
            )
            earliest = max(competition.published_at + timedelta(days=params.offer_deadline_min_days), now)
            if competition.offers_deadline < earliest:
                raise CompetitionError(
                    _(
                        "The offers deadline must stay at least %(days)s days after the publication (art. 13 ust. 1 UDPP) "
                        "and in the future: not before %(earliest)s."
                    )
                    % {"days": params.offer_deadline_min_days, "earliest": _when(earliest)},
                    "offers_deadline",
                )
        competition.save()
        _set_criteria(competition, criteria)
        after = _snapshot(competition)
        changes = {key: [before[key], after[key]] for key in after if before.get(key) != after[key]}
        if competition.state == CS.PUBLISHED and changes:
            competition.version += 1
            competition.save(update_fields=["version"])
            CompetitionVersion.objects.create(
                competition=competition,
                number=competition.version,
                snapshot=after,
                changes=changes,
                note=note.strip(),
                published_by=actor,
                published_at=now,
            )
            selectors.list_changed_on_commit()
        if changes:
            action = (
                "competitions.competition_correct"
                if competition.state == CS.PUBLISHED
                else "competitions.competition_update"
            )
            audit_log(
                actor=actor,
                action=action,
                target=competition,
                acting_for=acting_for_authority(actor, competition),
                details=_details(competition, changes=changes, note=note.strip(), version=competition.version),
            )
    return competition


def competition_publish(*, actor, competition: Competition) -> Competition:
    """Publish the announcement: it is public at /konkursy/ and accepts offers until its deadline."""
    with transaction.atomic():
        competition = _lock(competition)
        if not actor.has_perm("competitions.manage_competition", competition):
            raise PermissionDenied
        now = timezone.now()
        if competition.state == CS.DRAFT:
            competition_check(competition, criteria=_criteria_data(competition), publishing_at=now)
        details = {"deadline": competition.offers_deadline.isoformat()}
        perform(
            COMPETITION,
            competition,
            "competition_publish",
            actor=actor,
            now=now,
            values={"version": 1},
            details=details,
        )
        CompetitionVersion.objects.create(
            competition=competition, number=1, snapshot=_snapshot(competition), published_by=actor, published_at=now
        )
        selectors.list_changed_on_commit()
    return competition


def competition_annul(*, actor, competition: Competition, ground: str, reason: str) -> Competition:
    """Annul the competition (art. 18a UDPP) on a ground the state of its offers bears out, with the reason
    that is published on its page (art. 18a ust. 2). The organisations with offers in it are e-mailed.

    - no offer submitted (ust. 1 pkt 1): only after the offers deadline, with no offer submitted;
    - no offer meets the requirements (ust. 1 pkt 2): some offers submitted, none waiting for the formal
      check and none formally correct; or during the evaluation, when the commission finds none meets them;
    - a ground the announcement reserved: the reason names it.
    """
    with transaction.atomic():
        competition = _lock(competition)
        if not actor.has_perm("competitions.manage_competition", competition):
            raise PermissionDenied
        if competition.state not in COMPETITION["competition_annul"].sources:
            raise CompetitionError(_("This competition cannot be annulled now."))
        if ground not in AnnulmentGround.values:
            raise CompetitionError(_("Choose the ground of the annulment."), "ground")
        if not reason.strip():
            raise CompetitionError(_("Give the reason for the annulment: it is published."), "reason")
        now = timezone.now()
        offers = competition.offers.exclude(state__in=[OS.DRAFT, OS.WITHDRAWN])
        if ground == AnnulmentGround.NO_OFFER:
            if competition.state == CS.PUBLISHED and now < competition.offers_deadline:
                raise CompetitionError(
                    _("Offers are accepted until %(deadline)s: whether none was submitted is known after the deadline.")
                    % {"deadline": _when(competition.offers_deadline)},
                    "ground",
                )
            if offers.exists():
                raise CompetitionError(
                    _("%(n)s offer(s) have been submitted: this ground does not apply.") % {"n": offers.count()},
                    "ground",
                )
        elif ground == AnnulmentGround.NONE_COMPLIANT:
            if not offers.exists():
                raise CompetitionError(_("No offer has been submitted: choose that ground instead."), "ground")
            if competition.state in (CS.PUBLISHED, CS.FORMAL_CHECK):
                pending = offers.filter(state__in=[OS.SUBMITTED, OS.TO_COMPLETE]).count()
                correct = offers.filter(state=OS.FORMALLY_CORRECT).count()
                if pending or correct:
                    raise CompetitionError(
                        _(
                            "%(pending)s offer(s) still wait for the result of the formal check and %(correct)s are formally correct: "
                            "this ground does not apply yet."
                        )
                        % {"pending": pending, "correct": correct},
                        "ground",
                    )
        # Calls to complete end with the competition: what was saved until now is kept.
        for call in CompletionCall.objects.select_for_update().filter(
            offer__competition=competition, closed_at__isnull=True
        ):
            _close_call(call, call.offer, min(now, call.deadline), "ended", actor=actor)
        values = {"annulment_ground": ground, "annulment_reason": reason.strip()}
        details = {"ground": ground, "reason": reason.strip()}
        perform(COMPETITION, competition, "competition_annul", actor=actor, now=now, values=values, details=details)
        organisations = competition.offers.exclude(state=OS.WITHDRAWN).values_list("organisation_id", flat=True)
        admins = set(
            OrganisationMembership.objects.filter(
                organisation_id__in=organisations, role=OrganisationRole.ADMIN
            ).values_list("user__email", flat=True)
        )
        for address in sorted(admins):  # one message each: the organisations do not see one another's addresses
            email_notify(
                to=[address], template="competitions/email/competition_annulled", context={"competition": competition}
            )
        selectors.list_changed_on_commit()
    return competition


# --- Offers: drafts -------------------------------------------------------------------------


def _eligibility_error(competition: Competition, organisation: Organisation) -> str | None:
    if organisation.status != OrganisationStatus.ACTIVE:
        return _("%(organisation)s is not active in the register.") % {"organisation": organisation}
    if competition.require_verified and not organisation.is_verified:
        return _(
            "Only organisations verified on the platform may take part in this competition; %(organisation)s is not verified yet."
        ) % {"organisation": organisation}
    return None


def offer_start(*, actor, competition: Competition, organisation: Organisation) -> Offer:
    """A member of an organisation starts a draft offer in a competition that accepts offers."""
    if not actor.is_authenticated or not actor.organisation_memberships.filter(organisation=organisation).exists():
        raise PermissionDenied
    with transaction.atomic():
        competition = Competition.objects.get(pk=competition.pk)
        if not competition.accepting_offers(timezone.now()):
            raise CompetitionError(_("This competition does not accept offers now."))
        if (error := _eligibility_error(competition, organisation)) is not None:
            raise CompetitionError(error, "organisation")
        offer = Offer.objects.create(
            competition=competition,
            organisation=organisation,
            template=competition.template,
            created_by=actor,
            contact_name=actor.full_name,
            contact_email=actor.email,
            date_from=competition.task_start,
            date_to=competition.task_end,
        )
        audit_log(
            actor=actor,
            action="competitions.offer_start",
            target=offer,
            acting_for=organisation,
            details=_details(competition, offer=offer.pk),
        )
    return offer


def _lock_offer(offer: Offer) -> Offer:
    return Offer.objects.select_for_update(of=("self",)).select_related("competition", "organisation").get(pk=offer.pk)


def _editable(actor, offer: Offer, part: str) -> Offer:
    """Inside a transaction: the locked offer, if the person may edit it and this part of it (a step of the
    form, "zalaczniki" or "partnerzy") may change now: anything in a draft; after submission only the
    parts an open call to complete names, before its deadline. `offer.completing` is that call (or None)."""
    offer = _lock_offer(offer)
    if not actor.has_perm("competitions.edit_offer", offer):
        raise PermissionDenied
    now = timezone.now()
    if (reason := selectors.edit_refusal(offer, part, now)) is not None:
        raise CompetitionError(reason)
    offer.completing = selectors.completing_call(offer, now)
    return offer


def _audit_save(actor, offer: Offer, section: str, changes: dict) -> None:
    if changes:
        audit_log(
            actor=actor,
            action="competitions.offer_save",
            target=offer,
            acting_for=offer.organisation,
            details=_details(offer.competition, offer=offer.pk, section=section, changes=changes),
        )


def _printable(field: str, value) -> Any:
    if field in MONEY_FIELDS:
        return format_money(value)
    return value.isoformat() if hasattr(value, "isoformat") else value


def offer_save_step(*, actor, offer: Offer, step: str, data: dict[str, Any]) -> Offer:
    """Save the fields of one step of the form (a draft: sums are checked on submission and shown)."""
    fields = OFFER_STEP_FIELDS[step]
    with transaction.atomic():
        offer = _editable(actor, offer, step)
        changes = {}
        for field in fields:
            if field in data and getattr(offer, field) != data[field]:
                changes[field] = [_printable(field, getattr(offer, field)), _printable(field, data[field])]
                setattr(offer, field, data[field])
        if offer.date_from and offer.date_to and offer.date_from > offer.date_to:
            raise CompetitionError(_("The task must end after it starts."), "date_to")
        if changes:
            offer.save()
        _audit_save(actor, offer, step, changes)
    return offer


def offer_set_rows(
    *, actor, offer: Offer, actions: list[dict] | None = None, results: list[dict] | None = None
) -> Offer:
    """Replace the plan of actions (III.4) and/or the results table (III.6). Cost lines keep their
    action by its number in the plan."""
    with transaction.atomic():
        offer = _editable(actor, offer, "dzialania")
        changes = {}
        if actions is not None:
            by_position = {a.position: a for a in offer.actions.all()}
            if offer.completing is not None and "koszty" not in offer.completing.sections:
                # Cost lines belong to the action at their position: with V.A closed, an action that has cost
                # lines keeps its place and its name (removing or reordering it would move its costs).
                costed = sorted(
                    n
                    for n, a in by_position.items()
                    if a.cost_lines.exists() and (n > len(actions) or (actions[n - 1].get("name") or "") != a.name)
                )
                if costed:
                    raise CompetitionError(
                        _(
                            "Action %(numbers)s has cost lines in V.A, which this call to complete does not open: it cannot be "
                            "removed, moved or renamed."
                        )
                        % {"numbers": ", ".join(map(str, costed))}
                    )
            keep = set()
            for n, row in enumerate(actions, start=1):
                action = by_position.get(n) or OfferAction(offer=offer, position=n)
                for field in ("name", "description", "target_group", "start", "end", "carried_out_by"):
                    setattr(action, field, row.get(field) or ("" if field not in ("start", "end") else None))
                action.save()
                keep.add(n)
            offer.actions.exclude(position__in=keep).delete()
            changes["actions"] = len(actions)
        if results is not None:
            offer.results.all().delete()
            OfferResult.objects.bulk_create(
                OfferResult(
                    offer=offer,
                    position=n,
                    name=row["name"],
                    target_value=row["target_value"],
                    monitoring=row.get("monitoring", ""),
                )
                for n, row in enumerate(results, start=1)
            )
            changes["results"] = len(results)
        offer.save(update_fields=["updated_at"])
        _audit_save(actor, offer, "dzialania", changes)
    return offer


def offer_set_cost_lines(*, actor, offer: Offer, lines: list[dict]) -> Offer:
    """Replace the cost calculation (V.A). Each row: category, action (its number in the plan, for
    category I), name, unit, unit_cost (grosze), units (Decimal), year (1–3). The server computes values."""
    with transaction.atomic():
        offer = _editable(actor, offer, "koszty")
        actions = {a.position: a for a in offer.actions.all()}
        years = len(offer.competition.task_years)
        before = {line.position: (line.name, line.total) for line in offer.cost_lines.all()}
        offer.cost_lines.all().delete()
        created = []
        for n, row in enumerate(lines, start=1):
            category = row["category"]
            action = actions.get(row.get("action")) if category == CostCategory.ACTION else None
            if category == CostCategory.ACTION and action is None:
                raise CompetitionError(_("Cost line %(n)s: choose the action of the plan it belongs to.") % {"n": n})
            year = row.get("year") or 1
            if not 1 <= year <= min(max(years, 1), 3):
                raise CompetitionError(_("Cost line %(n)s: the year must be one of the years of the task.") % {"n": n})
            created.append(
                CostLine(
                    offer=offer,
                    position=n,
                    category=category,
                    action=action,
                    name=row["name"],
                    unit=row["unit"],
                    unit_cost=row["unit_cost"],
                    units=row["units"],
                    total=line_total(row["unit_cost"], row["units"]),
                    year=year,
                )
            )
        CostLine.objects.bulk_create(created)
        offer.save(update_fields=["updated_at"])
        after = {line.position: (line.name, line.total) for line in created}
        if before != after:
            _audit_save(
                actor,
                offer,
                "koszty",
                {
                    "lines": [[name, format_money(total)] for name, total in after.values()],
                    "total": [
                        format_money(sum(t for _, t in before.values())),
                        format_money(sum(t for _, t in after.values())),
                    ],
                },
            )
    return offer


# --- Joint offers ----------------------------------------------------------------------------


def offer_partner_add(*, actor, offer: Offer, organisation: Organisation, scope: str, cost_share: int) -> OfferPartner:
    """The lead organisation names a partner of a joint offer; the partner's admins must confirm."""
    with transaction.atomic():
        offer = _editable(actor, offer, "partnerzy")
        if organisation.pk == offer.organisation_id:
            raise CompetitionError(_("The lead organisation is an applicant already."), "organisation")
        if (error := _eligibility_error(offer.competition, organisation)) is not None:
            raise CompetitionError(error, "organisation")
        try:
            with transaction.atomic():
                partner = OfferPartner.objects.create(
                    offer=offer, organisation=organisation, scope=scope.strip(), cost_share=cost_share, invited_by=actor
                )
        except IntegrityError:
            raise CompetitionError(_("This organisation is a partner of the offer already."), "organisation") from None
        offer.save(update_fields=["updated_at"])
        audit_log(
            actor=actor,
            action="competitions.partner_add",
            target=partner,
            acting_for=offer.organisation,
            details=_details(
                offer.competition, offer=offer.pk, partner=organisation.name, cost_share=format_money(cost_share)
            ),
        )
        admins = organisation.memberships.filter(role="admin").values_list("user__email", flat=True)
        email_notify(
            to=list(admins),
            template="competitions/email/partner_invited",
            context={"offer": offer, "partner": partner, "competition": offer.competition},
        )
    return partner


def offer_partner_update(*, actor, partner: OfferPartner, scope: str, cost_share: int) -> OfferPartner:
    with transaction.atomic():
        offer = _editable(actor, partner.offer, "partnerzy")
        partner = OfferPartner.objects.select_for_update().get(pk=partner.pk, offer=offer)
        changes = {}
        if partner.scope != scope.strip():
            changes["scope"] = [partner.scope, scope.strip()]
        if partner.cost_share != cost_share:
            changes["cost_share"] = [format_money(partner.cost_share), format_money(cost_share)]
        partner.scope, partner.cost_share = scope.strip(), cost_share
        partner.save(update_fields=["scope", "cost_share"])
        offer.save(update_fields=["updated_at"])
        if changes:
            audit_log(
                actor=actor,
                action="competitions.partner_update",
                target=partner,
                acting_for=offer.organisation,
                details=_details(offer.competition, offer=offer.pk, partner=str(partner.organisation), changes=changes),
            )
    return partner


def offer_partner_remove(*, actor, partner: OfferPartner) -> None:
    with transaction.atomic():
        offer = _editable(actor, partner.offer, "partnerzy")
        partner = OfferPartner.objects.select_related("organisation").get(pk=partner.pk, offer=offer)
        audit_log(
            actor=actor,
            action="competitions.partner_remove",
            target=offer,
            acting_for=offer.organisation,
            details=_details(offer.competition, offer=offer.pk, partner=partner.organisation.name),
        )
        partner.delete()
        offer.save(update_fields=["updated_at"])


def offer_partner_confirm(*, actor, partner: OfferPartner, agree: bool) -> OfferPartner:
    """An admin of the partner organisation confirms (or declines) its part of the joint offer as it
    reads now: the confirmation holds the checksum of that content."""
    with transaction.atomic():
        offer = _lock_offer(partner.offer)
        partner = (
            OfferPartner.objects.select_for_update().select_related("organisation").get(pk=partner.pk, offer=offer)
        )
        if not actor.has_perm("competitions.confirm_partnership", partner):
            raise PermissionDenied
        if offer.state != OS.DRAFT:
            raise CompetitionError(_("The offer has been submitted already."))
        fresh = selectors.offer_page(offer.pk)
        digest = canonical.body_digest(fresh)
        partner.offer = offer
        values = {"confirmed_digest": digest if agree else "", "confirmed_by": actor}
        name = "confirm" if agree else "decline"
        perform(PARTNER, partner, name, actor=actor, values=values, details={"body_sha256": digest})
    return partner


# --- Attachments of the offer ------------------------------------------------------------------------------


def offer_attachment_add(*, actor, offer: Offer, upload, name: str) -> OfferAttachment:
    """Attach a file to a draft offer (the offer's edit rule). `name` is one of the announcement's required
    attachments or another name. The file is checked by its content and size first; when anything is
    refused, nothing is stored (neither the row nor the file)."""
    name = " ".join((name or "").split())
    if not name:
        raise CompetitionError(_("Say which attachment this is."), "name")
    if len(name) > 300:
        raise CompetitionError(_("The name of the attachment is too long (at most 300 characters)."), "name")
    if upload is None:
        raise CompetitionError(_("Choose a file to attach."), "file")
    try:
        file_type = files.check_attachment(upload)
    except ValidationError as error:
        raise CompetitionError(" ".join(error.messages), "file") from None
    sha256 = files.sha256_of(upload)
    original_name = (upload.name or "").rsplit("/", 1)[-1][:255] or "plik"
    stored = []
    try:
        with transaction.atomic():
            offer = _editable(actor, offer, "zalaczniki")
            attachment = OfferAttachment(
                offer=offer,
                name=name,
                required=name in offer.competition.attachment_list,
                file_type=file_type,
                original_name=original_name,
                size=upload.size,
                sha256=sha256,
                uploaded_by=actor,
                uploaded_at=timezone.now(),
            )
            attachment.file.save(f"oferta-{offer.pk}-{sha256[:12]}.{file_type}", upload, save=False)
            stored.append(attachment.file.name)
            attachment.save()
            audit_log(
                actor=actor,
                action="competitions.offer_attachment_add",
                target=offer,
                acting_for=offer.organisation,
                details=_details(
                    offer.competition,
                    offer=offer.pk,
                    attachment=attachment.pk,
                    name=name,
                    file_name=original_name,
                    size=upload.size,
                    sha256=sha256,
                ),
            )
    except BaseException:
        for stored_name in stored:
            OfferAttachment.file.field.storage.delete(stored_name)
        raise
    return attachment


def offer_attachment_remove(*, actor, attachment: OfferAttachment) -> None:
    """Remove an attachment of a draft offer, or one added while answering the open call to complete (the
    attachments of the submitted offer stay: their checksums are on the receipt). The file is deleted once
    the removal is committed."""
    with transaction.atomic():
        offer = _editable(actor, attachment.offer, "zalaczniki")
        attachment = OfferAttachment.objects.select_for_update().filter(pk=attachment.pk, offer=offer).first()
        if attachment is None:
            raise CompetitionError(_("This attachment has already been removed."))
        if offer.completing is not None and attachment.pk in offer.completing.attachments_before:
            raise CompetitionError(
                _(
                    "This attachment was part of the offer before the call to complete and stays with it; attach the corrected file instead."
                )
            )
        stored_name = attachment.file.name
        audit_log(
            actor=actor,
            action="competitions.offer_attachment_remove",
            target=offer,
            acting_for=offer.organisation,
            details=_details(
                offer.competition,
                offer=offer.pk,
                attachment=attachment.pk,
                name=attachment.name,
                file_name=attachment.original_name,
                sha256=attachment.sha256,
            ),
        )
        attachment.delete()
        transaction.on_commit(lambda: OfferAttachment.file.field.storage.delete(stored_name))


# --- Submission and withdrawal ---------------------------------------------------------------


def offer_submit(*, actor, offer: Offer) -> OfferSubmission:
    """Submit the offer: before the deadline (server time, to the second), complete, its sums right.

    Idempotent: an offer already submitted returns its receipt (a double click never makes two).
    Refused with nothing changed when late or incomplete: the draft is kept as it was.
    """
    with transaction.atomic():
        competition = _lock_shared(offer.competition)
        locked = _lock_offer(offer)
        if not actor.has_perm("competitions.submit_offer", locked):
            raise PermissionDenied
        if locked.state == OS.SUBMITTED:
            existing = locked.submissions.filter(withdrawn_at__isnull=True).first()
            if existing is not None:
                return existing
        if locked.state != OS.DRAFT:
            raise CompetitionError(OFFER.refusal_of(OFFER["submit"], locked))
        now = timezone.now()
        if locked.is_small_grant:
            pass  # no announcement and no deadline (art. 19a); its limits are checked below
        elif competition.state != CS.PUBLISHED or now >= competition.offers_deadline:
            if now >= competition.offers_deadline:
                raise CompetitionError(
                    _(
                        "The offers deadline was %(deadline)s; the offer arrived at %(now)s, too late. It was not submitted; "
                        "your draft is kept."
                    )
                    % {"deadline": _when(competition.offers_deadline), "now": _when(now)}
                )
            raise CompetitionError(_("This competition does not accept offers now. Your draft is kept."))
        fresh = selectors.offer_page(locked.pk)
        body = canonical.offer_body(fresh)
        digest = canonical.sha256_hex(canonical.canonical_json(body))
        problems = canonical.offer_problems(fresh, digest=digest)
        if (error := _eligibility_error(competition, fresh.organisation)) is not None:
            problems.insert(0, canonical.Problem("oferent", "", error))
        if fresh.is_small_grant:
            # The organisation's row is locked so that two of its offers cannot both pass the yearly limit.
            Organisation.objects.select_for_update().filter(pk=fresh.organisation_id).first()
            params = selectors.legal_parameters(authority=competition.authority, on=timezone.localdate(now))
            problems += canonical.small_grant_problems(fresh, params, earlier=selectors.earlier_small_grants(fresh))
        if problems:
            raise OfferIncomplete(problems)
        content = canonical.submission_content(fresh, body)
        submission = OfferSubmission.objects.create(
            offer=locked,
            submitted_at=now,
            submitted_by=actor,
            content=content,
            sha256=canonical.sha256_hex(content),
            competition_version=competition.version,
        )
        submission.number = f"OF/{timezone.localtime(now).year}/{submission.pk:06d}"
        submission.save(update_fields=["number"])
        details = {
            "receipt": submission.number,
            "sha256": submission.sha256,
            "grant": format_money(fresh.grant_requested),
        }
        perform(OFFER, locked, "submit", actor=actor, now=now, details=details)
        email_notify(
            to=[actor.email, fresh.organisation.email],
            template="competitions/email/receipt",
            context={"offer": fresh, "submission": submission, "competition": competition},
        )
    return submission


def offer_withdraw(*, actor, offer: Offer) -> Offer:
    """Withdraw a submitted offer before the deadline; the submission stays on record, marked withdrawn."""
    with transaction.atomic():
        competition = _lock_shared(offer.competition)
        offer = _lock_offer(offer)
        if not actor.has_perm("competitions.submit_offer", offer):
            raise PermissionDenied
        if offer.state != OS.SUBMITTED:
            raise CompetitionError(OFFER.refusal_of(OFFER["withdraw"], offer))
        now = timezone.now()
        if now >= competition.offers_deadline:
            raise CompetitionError(
                _("The offers deadline has passed: the offer can no longer be withdrawn here; write to the authority.")
            )
        submission = offer.submissions.select_for_update().get(withdrawn_at__isnull=True)
        submission.withdrawn_at, submission.withdrawn_by = now, actor
        submission.save(update_fields=["withdrawn_at", "withdrawn_by"])
        perform(OFFER, offer, "withdraw", actor=actor, now=now, details={"receipt": submission.number})
    return offer


# --- The formal check ----------------------------------------------------------------------------
#
# After the offers deadline the officer opens the formal check (published → formal_check), marks each
# offer on the announcement's checklist, may call an applicant to complete the offer (submitted →
# to_complete; again once a call has closed) naming the parts that may be corrected, the attachments to
# add and a deadline, and decides: formally correct
# or rejected with a reason. Then the commission evaluates (formal_check → evaluation).

PAST_FORMAL_CHECK = (OS.FORMALLY_CORRECT, OS.FORMALLY_REJECTED, OS.EVALUATED, OS.FUNDED, OS.NOT_FUNDED)


def _manage(actor, competition: Competition) -> None:
    if not actor.has_perm("competitions.manage_competition", competition):
        raise PermissionDenied


def formal_check_start(*, actor, competition: Competition) -> Competition:
    """Close the call for offers and open the formal check (after the deadline, server time). The
    announcement's checklist gets the default requirements unless the officer set them already."""
    with transaction.atomic():
        competition = _lock(competition)
        _manage(actor, competition)
        submitted = competition.offers.filter(state=OS.SUBMITTED).count()
        perform(COMPETITION, competition, "formal_check_start", actor=actor, details={"offers": submitted})
        if not competition.formal_items.exists():
            FormalCheckItem.objects.bulk_create(
                FormalCheckItem(competition=competition, position=n, text=text)
                for n, text in enumerate(DEFAULT_FORMAL_CHECKLIST, start=1)
            )
        selectors.list_changed_on_commit()
    return competition


def formal_checklist_set(*, actor, competition: Competition, items: list[str]) -> Competition:
    """Replace the checklist of the announcement, before any offer has been marked on it."""
    items = [text.strip() for text in items if text and text.strip()]
    with transaction.atomic():
        competition = _lock(competition)
        _manage(actor, competition)
        if competition.state not in (CS.PUBLISHED, CS.FORMAL_CHECK):
            raise CompetitionError(_("The checklist can be changed only before the commission starts."))
        if FormalMark.objects.filter(item__competition=competition).exists():
            raise CompetitionError(
                _("Offers have been marked on this checklist already: it can no longer be changed."), "items"
            )
        if not items:
            raise CompetitionError(_("Give at least one formal requirement."), "items")
        before = list(competition.formal_items.values_list("text", flat=True))
        competition.formal_items.all().delete()
        FormalCheckItem.objects.bulk_create(
            FormalCheckItem(competition=competition, position=n, text=text[:300])
            for n, text in enumerate(items, start=1)
        )
        audit_log(
            actor=actor,
            action="competitions.formal_checklist_set",
            target=competition,
            acting_for=acting_for_authority(actor, competition),
            details=_details(competition, before=before, after=items),
        )
    return competition


def _checked_offer(actor, offer: Offer) -> tuple[Competition, Offer]:
    """Inside a transaction: the competition (locked) and the offer (locked) under formal check."""
    competition = _lock(offer.competition)
    _manage(actor, competition)
    offer = _lock_offer(offer)
    if competition.state != CS.FORMAL_CHECK:
        raise CompetitionError(_("The formal check is not open in this competition."))
    return competition, offer


def formal_mark(*, actor, offer: Offer, marks: dict[int, tuple[bool, str]]) -> Offer:
    """Mark the offer on the checklist: {item id: (met, note)}. Changes are audited (before → after)."""
    with transaction.atomic():
        competition, offer = _checked_offer(actor, offer)
        if offer.state not in (OS.SUBMITTED, OS.TO_COMPLETE):
            raise CompetitionError(_("The formal check of this offer has been decided already."))
        items = {item.pk: item for item in competition.formal_items.all()}
        existing = {mark.item_id: mark for mark in offer.formal_marks.select_for_update()}
        now, changes = timezone.now(), {}
        for item_id, (met, note) in marks.items():
            if item_id not in items:
                continue
            note = (note or "").strip()[:500]
            mark = existing.get(item_id)
            if mark is None:
                FormalMark.objects.create(
                    offer=offer, item=items[item_id], met=met, note=note, marked_by=actor, marked_at=now
                )
                changes[str(items[item_id].position)] = [None, met, note]
            elif (mark.met, mark.note) != (met, note):
                changes[str(items[item_id].position)] = [mark.met, met, note]
                mark.met, mark.note, mark.marked_by, mark.marked_at = met, note, actor, now
                mark.save(update_fields=["met", "note", "marked_by", "marked_at"])
        if changes:
            audit_log(
                actor=actor,
                action="competitions.formal_mark",
                target=offer,
                acting_for=competition.authority,
                details=_details(competition, offer=offer.pk, marks=changes),
            )
    return offer


def _close_call(call: CompletionCall, offer: Offer, at, name: str, *, actor, values=None) -> CompletionCall:
    """Close the call (`name`: answer, expired, ended) at `at`, recording the content then (in the form of the
    submitted content), its SHA-256 and what changed since the call."""
    document = canonical.content_document(selectors.offer_page(offer.pk))
    content = canonical.canonical_json(document)
    changes = canonical.body_changes(json.loads(call.content_before or "{}"), document)
    sha256 = canonical.sha256_hex(content)
    values = {"closed_at": at, "content": content, "sha256": sha256, "changes": changes, **(values or {})}
    call.offer = offer
    details = {"changes": changes, "sha256": sha256}
    return perform(CALL, call, name, actor=actor, now=at, values=values, details=details)


def _close_expired_call(offer: Offer, competition: Competition, now) -> None:
    """A call whose deadline passed without the completion being sent closes at its deadline, with what
    the applicant saved before it (nothing can be saved after it)."""
    call = offer.completion_calls.select_for_update().filter(closed_at__isnull=True).first()
    if call is not None and now >= call.deadline:
        offer.competition = competition
        _close_call(call, offer, call.deadline, "expired", actor=None)


def completion_call(
    *, actor, offer: Offer, message: str, sections: list[str], deadline, attachments: list[str] = ()
) -> CompletionCall:
    """Call the applicant to complete the offer: what is missing, the parts it may correct, the attachments
    it must add and the deadline. Another call is possible once the earlier one has closed (answered or
    past its deadline). The applicant's admins are e-mailed in the same transaction."""
    with transaction.atomic():
        competition, offer = _checked_offer(actor, offer)
        if not message.strip():
            raise CompetitionError(_("Say what must be completed: the applicant sees exactly this."), "message")
        attachments = list(
            dict.fromkeys(name for name in (" ".join((a or "").split())[:300] for a in attachments) if name)
        )
        if attachments and "zalaczniki" not in sections:
            sections = [*sections, "zalaczniki"]
        if "koszty" in sections:
            sections = [*sections, "zrodla"]  # V.B must add up to V.A again: the sources open with the costs
        sections = [s for s in CALL_PARTS if s in sections]
        if not sections:
            raise CompetitionError(_("Choose at least one part of the offer that may be corrected."), "sections")
        now = timezone.now()
        if deadline <= now:
            raise CompetitionError(_("The deadline to complete must be in the future."), "deadline")
        if offer.state not in (OS.SUBMITTED, OS.TO_COMPLETE):
            raise CompetitionError(_("The formal check of this offer has been decided already."))
        _close_expired_call(offer, competition, now)
        earlier = offer.completion_calls.filter(closed_at__isnull=True).first()
        if earlier is not None:
            raise CompetitionError(
                _("The applicant may still answer the call of %(called)s until %(deadline)s: call again after that.")
                % {"called": _when(earlier.called_at), "deadline": _when(earlier.deadline)}
            )
        if offer.state == OS.SUBMITTED:
            perform(OFFER, offer, "call_to_complete", actor=actor, now=now)
        # The content at the call, in the form of the submitted content: a first call starts from the receipt's checksum.
        fresh = selectors.offer_page(offer.pk)
        content = canonical.canonical_json(canonical.content_document(fresh))
        call = CompletionCall.objects.create(
            offer=offer,
            message=message.strip(),
            sections=sections,
            attachments=attachments,
            deadline=deadline,
            called_by=actor,
            called_at=now,
            content_before=content,
            sha256_before=canonical.sha256_hex(content),
            attachments_before=[a.pk for a in fresh.attachments.all()],
        )
        audit_log(
            actor=actor,
            action="competitions.completion_call",
            target=offer,
            acting_for=competition.authority,
            details=_details(
                competition,
                offer=offer.pk,
                call=call.pk,
                sections=sections,
                attachments=attachments,
                deadline=deadline.isoformat(),
                message=call.message,
                sha256_before=call.sha256_before,
            ),
        )
        admins = offer.organisation.memberships.filter(role="admin").values_list("user__email", flat=True)
        email_notify(
            to=[*admins, offer.organisation.email, offer.contact_email],
            template="competitions/email/completion_call",
            context={
                "offer": offer,
                "call": call,
                "competition": competition,
                "parts": [CALL_PARTS[s] for s in sections],
            },
        )
    return call


def completion_problems(offer: Offer, call: CompletionCall) -> list[canonical.Problem]:
    """What stops the completion from being sent: the offer's checks (its sums and limits, as on
    submission; not the partners' confirmations, which hold the submitted version) and the attachments
    the call asks for that have not been added since the call."""
    problems = [p for p in canonical.offer_problems(offer) if p.step != "partnerzy"]
    added = {a.name for a in offer.attachments.all() if a.pk not in call.attachments_before}
    problems += [
        canonical.Problem("zalaczniki", "", _("Attach “%(name)s”: the call asks for it.") % {"name": name})
        for name in call.attachments
        if name not in added
    ]
    return problems


def completion_answer(*, actor, offer: Offer, call_id: int | None = None, note: str = "") -> CompletionCall:
    """The applicant sends the completion before the deadline: the corrections saved in the parts the call
    opened (they could not be saved elsewhere) and the attachments it asked for. The call closes with the
    content, its SHA-256 and what changed; the officer who called is e-mailed. Exactly once per call: the
    offer's row lock serialises senders, and the second finds the call closed."""
    with transaction.atomic():
        competition = _lock_shared(offer.competition)
        offer = _lock_offer(offer)
        if not actor.has_perm("competitions.submit_offer", offer):
            raise PermissionDenied
        call = offer.completion_calls.select_for_update().filter(closed_at__isnull=True).first()
        # `call_id` is the call the person answers (the page sends it): a second click never answers a newer call.
        if (
            competition.state != CS.FORMAL_CHECK
            or offer.state != OS.TO_COMPLETE
            or call is None
            or (call_id is not None and call.pk != call_id)
        ):
            raise CompetitionError(_("There is no open call to complete this offer."))
        now = timezone.now()
        if now >= call.deadline:
            raise CompetitionError(
                _("The deadline to complete was %(deadline)s; it is %(now)s now. Nothing was changed.")
                % {"deadline": _when(call.deadline), "now": _when(now)}
            )
        fresh = selectors.offer_page(offer.pk)
        problems = completion_problems(fresh, call)
        if problems:
            raise OfferIncomplete(problems)
        values = {"answered_at": now, "answered_by": actor, "answer_note": note.strip()}
        call = _close_call(call, offer, now, "answer", actor=actor, values=values)
        email_notify(
            to=[call.called_by.email],
            template="competitions/email/completion_answer",
            context={"offer": offer, "call": call, "competition": competition},
        )
        # The partners of a joint offer confirmed it as submitted: each is told what the lead completed.
        partner_admins = OrganisationMembership.objects.filter(
            organisation__competition_partnerships__offer=offer, role=OrganisationRole.ADMIN
        ).values_list("user__email", flat=True)
        for address in sorted(set(partner_admins)):
            email_notify(
                to=[address],
                template="competitions/email/completion_answer_partner",
                context={"offer": offer, "call": call, "competition": competition},
            )
    return call


def formal_decide(*, actor, offer: Offer, correct: bool, reason: str = "") -> Offer:
    """The result of the formal check: formally correct (every requirement met) or rejected with the
    reason the applicant reads. An open call waits for its answer or its deadline."""
    with transaction.atomic():
        competition, offer = _checked_offer(actor, offer)
        now = timezone.now()
        _close_expired_call(offer, competition, now)
        call = offer.completion_calls.filter(closed_at__isnull=True).first()
        if call is not None:
            raise CompetitionError(
                _("The applicant may complete the offer until %(deadline)s: decide after the answer or the deadline.")
                % {"deadline": _when(call.deadline)}
            )
        if correct:
            marks = {mark.item_id: mark.met for mark in offer.formal_marks.all()}
            unmet = [item for item in competition.formal_items.all() if not marks.get(item.pk)]
            if unmet:
                raise CompetitionError(
                    _("Not every requirement is marked as met: %(items)s.")
                    % {"items": "; ".join(f"{item.position}. {item.text}" for item in unmet)}
                )
        elif offer.state in OFFER["formally_reject"].sources and not reason.strip():
            raise CompetitionError(_("Give the reason for the rejection: the applicant reads it."), "reason")
        name = "formally_correct" if correct else "formally_reject"
        reason = "" if correct else reason.strip()
        values = {"formal_reason": reason, "formal_decided_by": actor}
        details = {"result": OFFER[name].target, "reason": reason}
        offer.competition = competition
        perform(OFFER, offer, name, actor=actor, now=now, values=values, details=details)
    return offer


# --- The commission --------------------------------------------------------------------------------

DECLARATION_TEMPLATE = (
    "Oświadczenie o bezstronności członka komisji konkursowej\n\n"
    "Ja, {name}, członek komisji konkursowej w otwartym konkursie ofert „{title}” ogłoszonym przez {authority}, "
    "oświadczam, że wobec ofert, z których oceny się nie wyłączę, nie zachodzą okoliczności wyłączenia określone "
    "w art. 24 Kodeksu postępowania administracyjnego (w związku z art. 15 ust. 2d ustawy o działalności pożytku "
    "publicznego i o wolontariacie), w szczególności: nie jestem oferentem ani nie pozostaję z oferentem w takim "
    "stosunku prawnym, że wynik konkursu może mieć wpływ na moje prawa lub obowiązki; nie jestem małżonkiem, "
    "krewnym ani powinowatym do drugiego stopnia, osobą związaną z tytułu przysposobienia, opieki lub kurateli "
    "z oferentem lub członkiem jego organów; nie jestem przedstawicielem oferenta; nie pozostaję wobec oferenta "
    "w stosunku nadrzędności służbowej; nie zachodzą inne okoliczności, które mogą wywołać wątpliwość co do mojej "
    "bezstronności. Zobowiązuję się wyłączyć z oceny oferty, wobec której taka okoliczność zajdzie, oraz zachować "
    "w poufności treść ofert i przebieg prac komisji do ogłoszenia wyników.\n\n"
    "Oferenci: {applicants}"
)


def _participating_organisations(competition: Competition) -> set[int]:
    """Organisations that submitted an offer in the competition (as the lead or a partner)."""
    participating = competition.offers.exclude(state__in=[OS.DRAFT, OS.WITHDRAWN])
    leads = set(participating.values_list("organisation_id", flat=True))
    partners = set(OfferPartner.objects.filter(offer__in=participating).values_list("organisation_id", flat=True))
    return leads | partners


def commission_appoint(
    *, actor, competition: Competition, user, role: str, nominated_by: Organisation | None = None, chair: bool = False
) -> CommissionMember:
    """Appoint a member: a representative of the authority or a person nominated by an organisation. A
    person nominated by an organisation that submitted an offer cannot sit (art. 15 ust. 2d UDPP)."""
    with transaction.atomic():
        competition = _lock(competition)
        _manage(actor, competition)
        if competition.state not in (CS.PUBLISHED, CS.FORMAL_CHECK, CS.EVALUATION):
            raise CompetitionError(_("Members can be appointed until the decision on the grants."))
        if role not in CommissionRole.values:
            raise CompetitionError(_("Choose the member's role."), "role")
        if role == CommissionRole.NGO and nominated_by is None:
            raise CompetitionError(_("Name the organisation that nominated this person."), "nominated_by")
        if role == CommissionRole.OFFICIAL:
            nominated_by = None
        if nominated_by is not None and nominated_by.pk in _participating_organisations(competition):
            raise CompetitionError(
                _(
                    "%(organisation)s submitted an offer in this competition: a person it nominated cannot sit on the "
                    "commission (art. 15 ust. 2d UDPP)."
                )
                % {"organisation": nominated_by.name},
                "nominated_by",
            )
        if competition.commission.filter(user=user).exists():
            raise CompetitionError(_("This person is a member of the commission already."), "email")
        if chair:
            competition.commission.update(chair=False)
        member = CommissionMember.objects.create(
            competition=competition,
            user=user,
            role=role,
            nominated_by=nominated_by,
            chair=chair,
            appointed_by=actor,
            appointed_at=timezone.now(),
        )
        audit_log(
            actor=actor,
            action="competitions.commission_appoint",
            target=member,
            acting_for=acting_for_authority(actor, competition),
            details=_details(
                competition,
                member=user.pk,
                role=role,
                nominated_by=nominated_by.name if nominated_by else None,
                chair=chair,
            ),
        )
        email_notify(
            to=[user.email],
            template="competitions/email/commission_appointed",
            context={"competition": competition, "member": member},
        )
    return member


def commission_remove(*, actor, member) -> None:
    """Remove a member who has not scored any offer."""
    with transaction.atomic():
        competition = _lock(member.competition)
        _manage(actor, competition)
        member = competition.commission.select_related("user").get(pk=member.pk)
        if competition.state in (CS.DECIDED, CS.RESULTS) or member.scores.exists():
            raise CompetitionError(_("This member has scored offers already and stays on record."))
        audit_log(
            actor=actor,
            action="competitions.commission_remove",
            target=competition,
            acting_for=acting_for_authority(actor, competition),
            details=_details(competition, member=member.user_id, name=str(member)),
        )
        member.delete()


def declaration_text(member, competition: Competition) -> str:
    applicants = (
        Organisation.objects.filter(pk__in=_participating_organisations(competition))
        .order_by("name")
        .values_list("name", flat=True)
    )
    return DECLARATION_TEMPLATE.format(
        name=member.user.full_name or member.user.email,
        title=competition.title,
        authority=competition.authority.name,
        applicants="; ".join(applicants) or "–",
    )


def declaration_sign(*, actor, competition: Competition, digest: str):
    """The member signs the impartiality declaration (KPA art. 24) as it was shown to them (`digest`: the
    SHA-256 of the text on their page), after the offers deadline (the list of applicants is final).
    Only then are offers shown."""
    with transaction.atomic():
        competition = _lock_shared(competition)
        member = (
            competition.commission.select_for_update().select_related("user").filter(user=actor).first()
            if actor.is_authenticated
            else None
        )
        if member is None:
            raise PermissionDenied
        if member.has_declared:
            return member
        if competition.state not in (CS.FORMAL_CHECK, CS.EVALUATION):
            raise CompetitionError(
                _("The declaration is signed after the offers deadline, when the applicants are known.")
            )
        expected = declaration_text(member, competition)
        if digest != canonical.sha256_hex(expected):
            raise CompetitionError(
                _("The list of applicants has changed since the page was opened: read the declaration again.")
            )
        member.declared_at, member.declaration_text = timezone.now(), expected
        member.save(update_fields=["declared_at", "declaration_text"])
        audit_log(
            actor=actor,
            action="competitions.declaration_sign",
            target=member,
            acting_for=None,
            details=_details(competition, member=member.pk, sha256=canonical.sha256_hex(expected)),
        )
    return member


def _seat(actor, competition: Competition):
    if not actor.is_authenticated:
        return None
    return competition.commission.select_for_update().filter(user=actor).first()


def _evaluating(actor, offer: Offer):
    """Inside a transaction: the competition, the offer and the member's seat, when the member may act on
    the offer (signed, not recused, the competition under evaluation and not decided)."""
    competition = _lock_shared(offer.competition)
    offer = _lock_offer(offer)
    member = _seat(actor, competition)
    if member is None or not member.has_declared:
        raise PermissionDenied
    if competition.state != CS.EVALUATION:
        raise CompetitionError(_("The commission does not evaluate offers in this competition now."))
    if offer.state != OS.FORMALLY_CORRECT:
        raise CompetitionError(_("Only formally correct offers are evaluated."))
    return competition, offer, member


def recuse(*, actor, offer: Offer, reason: str):
    """The member steps aside from one offer (KPA art. 24): from then on they neither see nor score it;
    points they gave it are removed (the audit log keeps them)."""
    with transaction.atomic():
        competition, offer, member = _evaluating(actor, offer)
        if not reason.strip():
            raise CompetitionError(
                _("Give the reason (e.g. a family tie with a board member of the applicant)."), "reason"
            )
        if member.recusals.filter(offer=offer).exists():
            raise CompetitionError(_("You have stepped aside from this offer already."))
        removed = {str(s.criterion_id): s.points for s in member.scores.filter(offer=offer)}
        member.scores.filter(offer=offer).delete()
        recusal = Recusal.objects.create(member=member, offer=offer, reason=reason.strip(), created_at=timezone.now())
        audit_log(
            actor=actor,
            action="competitions.recuse",
            target=offer,
            acting_for=None,
            details=_details(
                competition, offer=offer.pk, member=member.pk, reason=recusal.reason, removed_points=removed
            ),
        )
    return recusal


def score_offer(*, actor, offer: Offer, scores: dict[int, tuple[int, str]]):
    """The member's score card of the offer: points (0 … the criterion's maximum) and a justification for
    every criterion, saved together. It may be changed until the decision; every change is audited."""
    with transaction.atomic():
        competition, offer, member = _evaluating(actor, offer)
        if member.recusals.filter(offer=offer).exists():
            raise PermissionDenied
        criteria = list(competition.criteria.all())
        errors = {}
        for criterion in criteria:
            points, comment = scores.get(criterion.pk, (None, ""))
            if points is None:
                errors[criterion.pk] = _("Give the points for this criterion.")
            elif not 0 <= points <= criterion.max_points:
                errors[criterion.pk] = _("Give from 0 to %(max)s points.") % {"max": criterion.max_points}
            elif not (comment or "").strip():
                errors[criterion.pk] = _("Justify the points: the applicant reads the justification.")
        if errors:
            error = CompetitionError(
                _("The score card is not complete: %(n)s criterion(s) to correct.") % {"n": len(errors)}
            )
            error.errors = errors
            raise error
        existing = {s.criterion_id: s for s in member.scores.filter(offer=offer).select_for_update()}
        now, changes = timezone.now(), {}
        for criterion in criteria:
            points, comment = scores[criterion.pk]
            comment = comment.strip()
            score = existing.get(criterion.pk)
            if score is None:
                Score.objects.create(
                    member=member, offer=offer, criterion=criterion, points=points, comment=comment, scored_at=now
                )
                changes[str(criterion.position)] = [None, points]
            elif (score.points, score.comment) != (points, comment):
                changes[str(criterion.position)] = [score.points, points]
                score.points, score.comment, score.scored_at = points, comment, now
                score.save(update_fields=["points", "comment", "scored_at"])
        if changes:
            audit_log(
                actor=actor,
                action="competitions.score",
                target=offer,
                acting_for=None,
                details=_details(competition, offer=offer.pk, member=member.pk, points=changes),
            )
    return member


# --- Amounts, decision, results ---------------------------------------------------------------------


def _evaluation_open(actor, competition: Competition) -> Competition:
    competition = _lock(competition)
    _manage(actor, competition)
    if competition.state != CS.EVALUATION:
        raise CompetitionError(_("The amounts can be proposed during the evaluation, before the decision."))
    return competition


def evaluation_start(*, actor, competition: Competition) -> Competition:
    """Close the formal check and hand the formally correct offers to the commission. Every offer must be
    decided formally; the commission must have members, none nominated by an applicant (art. 15 ust. 2d)."""
    with transaction.atomic():
        competition = _lock(competition)
        _manage(actor, competition)
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
        participating = _participating_organisations(competition)
        barred = [m for m in members if m.nominated_by_id in participating]
        if barred:
            raise CompetitionError(
                _("Nominated by an applicant, these members cannot sit (art. 15 ust. 2d UDPP): %(names)s.")
                % {"names": ", ".join(f"{m} ({m.nominated_by.name})" for m in barred)}
            )
        details = {"members": [m.pk for m in members]}
        perform(COMPETITION, competition, "evaluation_start", actor=actor, details=details)
        selectors.list_changed_on_commit()
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
                details=_details(competition, amounts=changes, total=format_money(total)),
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
        competition = _lock(competition)
        _manage(actor, competition)
        values = {"results_published_by": actor}
        details = {"reference": competition.decision_reference}
        perform(COMPETITION, competition, "results_publish", actor=actor, values=values, details=details)
        selectors.list_changed_on_commit()
    return competition


# --- Small grants (art. 19a UDPP) ------------------------------------------------------------------
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
            slug=_unique_slug(f"maly-grant-{organisation.name}"),
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
            contact_name=actor.full_name,
            contact_email=actor.email,
        )
        audit_log(
            actor=actor,
            action="competitions.small_grant_start",
            target=offer,
            acting_for=organisation,
            details=_details(competition, offer=offer.pk, authority=authority.name),
        )
    return offer


def _small_grant_offer(actor, offer: Offer) -> Offer:
    """Inside a transaction: the locked small-grant offer, if the person is an officer of its authority."""
    offer = _lock_offer(offer)
    if not offer.is_small_grant:
        raise CompetitionError(_("This is not a small-grant offer."))
    _manage(actor, offer.competition)
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
        now = timezone.now()
        if not offer.is_small_grant or offer.comments_from is None:
            raise CompetitionError(_("This offer has not been published for comments."), "text")
        if not offer.comments_open(now):
            raise CompetitionError(
                _("Comments were accepted until %(until)s; it is %(now)s now. Your comment was not saved.")
                % {"until": _when(offer.comments_until), "now": _when(now)},
                "text",
            )
        if not text:
            raise CompetitionError(_("Write the comment."), "text")
        comment = OfferComment.objects.create(
            offer=offer,
            author=actor,
            author_name=(actor.full_name or actor.email)[:200],
            text=text[:5000],
            created_at=now,
        )
        audit_log(
            actor=actor,
            action="competitions.small_grant_comment",
            target=offer,
            details=_details(offer.competition, offer=offer.pk, comment=comment.pk),
        )
    return comment


def small_grant_decide(*, actor, offer: Offer, grant: bool, reason: str = "") -> Offer:
    """The officer's decision: before publication only a refusal (→ formally_rejected); after the comment
    window, the grant (→ funded, the amount requested) or a refusal (→ not_funded); a refusal needs its reason."""
    reason = (reason or "").strip()
    with transaction.atomic():
        offer = _small_grant_offer(actor, offer)
        now = timezone.now()
        if not grant and not reason:
            raise CompetitionError(_("Give the reason for the refusal: the organisation reads it."), "reason")
        if offer.state == OS.SUBMITTED and not grant:
            name, values = "refuse_before_publication", {"formal_reason": reason, "formal_decided_by": actor}
        else:
            name = "grant" if grant else "refuse"
            granted = offer.grant_requested if grant else 0
            values = {"granted_amount": granted, "decision_reason": reason, "decided_by": actor}
        details = {"state": OFFER[name].target, "reason": reason, "granted": format_money(values.get("granted_amount"))}
        perform(OFFER, offer, name, actor=actor, now=now, values=values, details=details)
        selectors.list_changed_on_commit()
    return offer
