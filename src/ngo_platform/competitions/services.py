"""Writes of competitions and offers. Every change runs in one transaction, locks the row it changes,
is checked against the server's clock (Europe/Warsaw) at that moment, and is audited with the
competition's id in `details["competition"]` (and the offer's in `details["offer"]`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ngo_platform.competitions import canonical, selectors
from ngo_platform.competitions.models import (
    Competition,
    CompetitionState,
    CompetitionVersion,
    CostCategory,
    CostLine,
    EvaluationCriterion,
    Offer,
    OfferAction,
    OfferPartner,
    OfferResult,
    OfferState,
    OfferSubmission,
    PartnerState,
)
from ngo_platform.competitions.money import format_money, line_total
from ngo_platform.core.services import audit_log, email_notify
from ngo_platform.core.text import slugify_pl
from ngo_platform.organisations.models import Organisation, OrganisationStatus

CS = CompetitionState
OS = OfferState

# The stages of a competition, declared once. This increment performs draft → published and the
# annulment (art. 18a UDPP); the formal check, the commission and the results follow.
COMPETITION_TRANSITIONS = {
    CS.DRAFT: {CS.PUBLISHED},
    CS.PUBLISHED: {CS.FORMAL_CHECK, CS.ANNULLED},
    CS.FORMAL_CHECK: {CS.EVALUATION, CS.ANNULLED},
    CS.EVALUATION: {CS.RESULTS, CS.ANNULLED},
    CS.RESULTS: set(),
    CS.ANNULLED: set(),
}

# The states of an offer, declared once (this increment: draft → submitted → withdrawn).
OFFER_TRANSITIONS = {
    OS.DRAFT: {OS.SUBMITTED},
    OS.SUBMITTED: {OS.WITHDRAWN, OS.FORMALLY_CORRECT, OS.TO_COMPLETE, OS.FORMALLY_REJECTED},
    OS.WITHDRAWN: set(),
    OS.TO_COMPLETE: {OS.FORMALLY_CORRECT, OS.FORMALLY_REJECTED},
    OS.FORMALLY_CORRECT: {OS.EVALUATED},
    OS.FORMALLY_REJECTED: set(),
    OS.EVALUATED: {OS.FUNDED, OS.NOT_FUNDED},
    OS.FUNDED: set(),
    OS.NOT_FUNDED: set(),
}

# Fields of the announcement a form may set; all of them are versioned after publication.
COMPETITION_FIELDS = (
    "title", "task_kind", "sphere", "task_form", "total_funds", "min_grant", "max_grant", "own_contribution_min_bp",
    "own_counts_financial", "own_counts_personal", "own_counts_in_kind", "own_counts_fees", "admin_costs_max_bp",
    "eligible_entities", "require_verified", "task_start", "task_end", "offers_deadline", "funds_this_year",
    "funds_last_year", "required_attachments", "rules_text", "selection_deadline",
)

# The fields each step of the offer form writes (the rows of III.4, III.6, V.A and partners have their own services).
OFFER_STEP_FIELDS = {
    "oferent": ("correspondence_address", "contact_name", "contact_email", "contact_phone"),
    "opis": ("title", "date_from", "date_to", "summary", "expected_results"),
    "dzialania": (),
    "zasoby": ("previous_activity", "resources"),
    "koszty": (),
    "zrodla": ("grant_requested", "own_financial", "own_personal", "own_in_kind", "beneficiary_fees", "lead_cost_share"),
    "inne": ("paid_activity", "partners_split", "other_info"),
    "oswiadczenia": (
        "declares_pbo_only", "declares_fees_rules", "tax_arrears", "tax_arrears_note", "declares_register_data",
        "declares_truth", "declares_gdpr", "signatories",
    ),
}
MONEY_FIELDS = {"grant_requested", "own_financial", "own_personal", "own_in_kind", "beneficiary_fees", "lead_cost_share"}


class CompetitionError(Exception):
    """A step that is not allowed now; the message is for the person (`field` names the form field)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class OfferIncomplete(CompetitionError):
    """The offer cannot be submitted: `problems` lists every reason, each with its step."""

    def __init__(self, problems: list[canonical.Problem]):
        super().__init__(_("The offer cannot be submitted yet: %(n)s problem(s) to correct.") % {"n": len(problems)})
        self.problems = problems


def _when(value) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _details(competition: Competition, **extra) -> dict[str, Any]:
    return {"competition": competition.pk, **extra}


def _lock(competition: Competition) -> Competition:
    return Competition.objects.select_for_update(of=("self",)).select_related("authority").get(pk=competition.pk)


def _lock_shared(competition: Competition) -> Competition:
    """Lock the competition so that its deadline cannot change while an offer is being submitted, without
    making submissions wait for one another: FOR SHARE on PostgreSQL (SQLite serialises writers anyway)."""
    if connection.vendor == "postgresql":
        return list(Competition.objects.raw("SELECT * FROM competitions_competition WHERE id = %s FOR SHARE", [competition.pk]))[0]
    return Competition.objects.get(pk=competition.pk)


def _acting_for_authority(actor, competition: Competition):
    if actor is not None and actor.is_authenticated and actor.authority_memberships.filter(authority_id=competition.authority_id).exists():
        return competition.authority
    return None


# --- Announcements ----------------------------------------------------------------------------

RESERVED_SLUGS = frozenset({"nowy", "oferty", "moje-oferty", "partnerstwa"})


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
            raise CompetitionError(_(
                "The offers deadline must be at least %(days)s days after the publication (art. 13 ust. 1 UDPP): "
                "published now, the earliest deadline is %(earliest)s."
            ) % {"days": params.offer_deadline_min_days, "earliest": _when(earliest)}, "offers_deadline")


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
        audit_log(actor=actor, action="competitions.competition_create", target=competition,
                  acting_for=_acting_for_authority(actor, competition), details=_details(competition, title=competition.title))
    return competition


def _snapshot(competition: Competition) -> dict:
    values = {}
    for field in COMPETITION_FIELDS:
        value = getattr(competition, field if field != "sphere" else "sphere_id")
        values[field] = value.isoformat() if hasattr(value, "isoformat") else value
    values["criteria"] = _criteria_data(competition)
    return values


def competition_update(*, actor, competition: Competition, data: dict[str, Any], criteria: list[dict], note: str = "") -> Competition:
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
            params = selectors.legal_parameters(authority=competition.authority, on=timezone.localdate(competition.published_at))
            earliest = max(competition.published_at + timedelta(days=params.offer_deadline_min_days), now)
            if competition.offers_deadline < earliest:
                raise CompetitionError(_(
                    "The offers deadline must stay at least %(days)s days after the publication (art. 13 ust. 1 UDPP) "
                    "and in the future: not before %(earliest)s."
                ) % {"days": params.offer_deadline_min_days, "earliest": _when(earliest)}, "offers_deadline")
        competition.save()
        _set_criteria(competition, criteria)
        after = _snapshot(competition)
        changes = {key: [before[key], after[key]] for key in after if before.get(key) != after[key]}
        if competition.state == CS.PUBLISHED and changes:
            competition.version += 1
            competition.save(update_fields=["version"])
            CompetitionVersion.objects.create(
                competition=competition, number=competition.version, snapshot=after, changes=changes,
                note=note.strip(), published_by=actor, published_at=now,
            )
            selectors.list_changed_on_commit()
        if changes:
            action = "competitions.competition_correct" if competition.state == CS.PUBLISHED else "competitions.competition_update"
            audit_log(actor=actor, action=action, target=competition, acting_for=_acting_for_authority(actor, competition),
                      details=_details(competition, changes=changes, note=note.strip(), version=competition.version))
    return competition


def competition_publish(*, actor, competition: Competition) -> Competition:
    """Publish the announcement: it is public at /konkursy/ and accepts offers until its deadline."""
    with transaction.atomic():
        competition = _lock(competition)
        if not actor.has_perm("competitions.manage_competition", competition):
            raise PermissionDenied
        if CS.PUBLISHED not in COMPETITION_TRANSITIONS[competition.state]:
            raise CompetitionError(_("This announcement has already been published."))
        now = timezone.now()
        competition_check(competition, criteria=_criteria_data(competition), publishing_at=now)
        competition.state, competition.published_at, competition.version = CS.PUBLISHED, now, 1
        competition.save(update_fields=["state", "published_at", "version"])
        CompetitionVersion.objects.create(
            competition=competition, number=1, snapshot=_snapshot(competition), published_by=actor, published_at=now
        )
        audit_log(actor=actor, action="competitions.competition_publish", target=competition,
                  acting_for=_acting_for_authority(actor, competition),
                  details=_details(competition, deadline=competition.offers_deadline.isoformat()))
        selectors.list_changed_on_commit()
    return competition


def competition_annul(*, actor, competition: Competition, reason: str) -> Competition:
    """Annul the competition (art. 18a UDPP), with the published reason."""
    with transaction.atomic():
        competition = _lock(competition)
        if not actor.has_perm("competitions.manage_competition", competition):
            raise PermissionDenied
        if CS.ANNULLED not in COMPETITION_TRANSITIONS[competition.state]:
            raise CompetitionError(_("This competition cannot be annulled now."))
        if not reason.strip():
            raise CompetitionError(_("Give the reason for the annulment: it is published."), "reason")
        previous = competition.state
        competition.state, competition.annulled_at, competition.annulment_reason = CS.ANNULLED, timezone.now(), reason.strip()
        competition.save(update_fields=["state", "annulled_at", "annulment_reason"])
        audit_log(actor=actor, action="competitions.competition_annul", target=competition,
                  acting_for=_acting_for_authority(actor, competition),
                  details=_details(competition, **{"from": previous, "reason": competition.annulment_reason}))
        selectors.list_changed_on_commit()
    return competition


# --- Offers: drafts -------------------------------------------------------------------------


def _eligibility_error(competition: Competition, organisation: Organisation) -> str | None:
    if organisation.status != OrganisationStatus.ACTIVE:
        return _("%(organisation)s is not active in the register.") % {"organisation": organisation}
    if competition.require_verified and not organisation.is_verified:
        return _("Only organisations verified on the platform may take part in this competition; %(organisation)s is not verified yet.") % {
            "organisation": organisation
        }
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
            competition=competition, organisation=organisation, template=competition.template, created_by=actor,
            contact_name=actor.full_name, contact_email=actor.email,
            date_from=competition.task_start, date_to=competition.task_end,
        )
        audit_log(actor=actor, action="competitions.offer_start", target=offer, acting_for=organisation,
                  details=_details(competition, offer=offer.pk))
    return offer


def _lock_offer(offer: Offer) -> Offer:
    return Offer.objects.select_for_update(of=("self",)).select_related("competition", "organisation").get(pk=offer.pk)


def _editable(actor, offer: Offer) -> Offer:
    """Inside a transaction: the locked offer, if the person may edit it and it is still a draft."""
    offer = _lock_offer(offer)
    if not actor.has_perm("competitions.edit_offer", offer):
        raise PermissionDenied
    if offer.state != OS.DRAFT:
        raise CompetitionError(_("The offer has been submitted: the submitted version is frozen and cannot be changed."))
    return offer


def _audit_save(actor, offer: Offer, section: str, changes: dict) -> None:
    if changes:
        audit_log(actor=actor, action="competitions.offer_save", target=offer, acting_for=offer.organisation,
                  details=_details(offer.competition, offer=offer.pk, section=section, changes=changes))


def _printable(field: str, value) -> Any:
    if field in MONEY_FIELDS:
        return format_money(value)
    return value.isoformat() if hasattr(value, "isoformat") else value


def offer_save_step(*, actor, offer: Offer, step: str, data: dict[str, Any]) -> Offer:
    """Save the fields of one step of the form (a draft: sums are checked on submission and shown)."""
    fields = OFFER_STEP_FIELDS[step]
    with transaction.atomic():
        offer = _editable(actor, offer)
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


def offer_set_rows(*, actor, offer: Offer, actions: list[dict] | None = None, results: list[dict] | None = None) -> Offer:
    """Replace the plan of actions (III.4) and/or the results table (III.6). Cost lines keep their
    action by its number in the plan."""
    with transaction.atomic():
        offer = _editable(actor, offer)
        changes = {}
        if actions is not None:
            by_position = {a.position: a for a in offer.actions.all()}
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
                OfferResult(offer=offer, position=n, name=row["name"], target_value=row["target_value"], monitoring=row.get("monitoring", ""))
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
        offer = _editable(actor, offer)
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
            created.append(CostLine(
                offer=offer, position=n, category=category, action=action, name=row["name"], unit=row["unit"],
                unit_cost=row["unit_cost"], units=row["units"], total=line_total(row["unit_cost"], row["units"]), year=year,
            ))
        CostLine.objects.bulk_create(created)
        offer.save(update_fields=["updated_at"])
        after = {line.position: (line.name, line.total) for line in created}
        if before != after:
            _audit_save(actor, offer, "koszty", {
                "lines": [[name, format_money(total)] for name, total in after.values()],
                "total": [format_money(sum(t for _, t in before.values())), format_money(sum(t for _, t in after.values()))],
            })
    return offer


# --- Joint offers ----------------------------------------------------------------------------


def offer_partner_add(*, actor, offer: Offer, organisation: Organisation, scope: str, cost_share: int) -> OfferPartner:
    """The lead organisation names a partner of a joint offer; the partner's admins must confirm."""
    with transaction.atomic():
        offer = _editable(actor, offer)
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
        audit_log(actor=actor, action="competitions.partner_add", target=partner, acting_for=offer.organisation,
                  details=_details(offer.competition, offer=offer.pk, partner=organisation.name, cost_share=format_money(cost_share)))
        admins = organisation.memberships.filter(role="admin").values_list("user__email", flat=True)
        email_notify(to=list(admins), template="competitions/email/partner_invited",
                     context={"offer": offer, "partner": partner, "competition": offer.competition})
    return partner


def offer_partner_update(*, actor, partner: OfferPartner, scope: str, cost_share: int) -> OfferPartner:
    with transaction.atomic():
        offer = _editable(actor, partner.offer)
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
            audit_log(actor=actor, action="competitions.partner_update", target=partner, acting_for=offer.organisation,
                      details=_details(offer.competition, offer=offer.pk, partner=str(partner.organisation), changes=changes))
    return partner


def offer_partner_remove(*, actor, partner: OfferPartner) -> None:
    with transaction.atomic():
        offer = _editable(actor, partner.offer)
        partner = OfferPartner.objects.select_related("organisation").get(pk=partner.pk, offer=offer)
        audit_log(actor=actor, action="competitions.partner_remove", target=offer, acting_for=offer.organisation,
                  details=_details(offer.competition, offer=offer.pk, partner=partner.organisation.name))
        partner.delete()
        offer.save(update_fields=["updated_at"])


def offer_partner_confirm(*, actor, partner: OfferPartner, agree: bool) -> OfferPartner:
    """An admin of the partner organisation confirms (or declines) its part of the joint offer as it
    reads now: the confirmation holds the checksum of that content."""
    with transaction.atomic():
        offer = _lock_offer(partner.offer)
        partner = OfferPartner.objects.select_for_update().select_related("organisation").get(pk=partner.pk, offer=offer)
        if not actor.has_perm("competitions.confirm_partnership", partner):
            raise PermissionDenied
        if offer.state != OS.DRAFT:
            raise CompetitionError(_("The offer has been submitted already."))
        fresh = selectors.offer_page(offer.pk)
        digest = canonical.body_digest(fresh)
        partner.state = PartnerState.CONFIRMED if agree else PartnerState.DECLINED
        partner.confirmed_digest = digest if agree else ""
        partner.confirmed_by, partner.confirmed_at = actor, timezone.now()
        partner.save(update_fields=["state", "confirmed_digest", "confirmed_by", "confirmed_at"])
        audit_log(actor=actor, action=f"competitions.partner_{partner.state}", target=partner, acting_for=partner.organisation,
                  details=_details(offer.competition, offer=offer.pk, body_sha256=digest))
    return partner


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
        if OS.SUBMITTED not in OFFER_TRANSITIONS[locked.state]:
            raise CompetitionError(_("This offer has been withdrawn and cannot be submitted again."))
        now = timezone.now()
        if competition.state != CS.PUBLISHED or now >= competition.offers_deadline:
            if now >= competition.offers_deadline:
                raise CompetitionError(_(
                    "The offers deadline was %(deadline)s; the offer arrived at %(now)s, too late. It was not submitted; "
                    "your draft is kept."
                ) % {"deadline": _when(competition.offers_deadline), "now": _when(now)})
            raise CompetitionError(_("This competition does not accept offers now. Your draft is kept."))
        fresh = selectors.offer_page(locked.pk)
        body = canonical.offer_body(fresh)
        digest = canonical.sha256_hex(canonical.canonical_json(body))
        problems = canonical.offer_problems(fresh, digest=digest)
        if (error := _eligibility_error(competition, fresh.organisation)) is not None:
            problems.insert(0, canonical.Problem("oferent", "", error))
        if problems:
            raise OfferIncomplete(problems)
        content = canonical.submission_content(fresh, body)
        submission = OfferSubmission.objects.create(
            offer=locked, submitted_at=now, submitted_by=actor, content=content, sha256=canonical.sha256_hex(content),
            competition_version=competition.version,
        )
        submission.number = f"OF/{timezone.localtime(now).year}/{submission.pk:06d}"
        submission.save(update_fields=["number"])
        locked.state = OS.SUBMITTED
        locked.save(update_fields=["state"])
        audit_log(actor=actor, action="competitions.offer_submit", target=locked, acting_for=locked.organisation,
                  details=_details(competition, offer=locked.pk, receipt=submission.number, sha256=submission.sha256,
                                   grant=format_money(fresh.grant_requested)))
        email_notify(
            to=[actor.email, fresh.organisation.email], template="competitions/email/receipt",
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
        if OS.WITHDRAWN not in OFFER_TRANSITIONS[offer.state] or offer.state != OS.SUBMITTED:
            raise CompetitionError(_("Only a submitted offer can be withdrawn."))
        now = timezone.now()
        if now >= competition.offers_deadline:
            raise CompetitionError(_("The offers deadline has passed: the offer can no longer be withdrawn here; write to the authority."))
        submission = offer.submissions.select_for_update().get(withdrawn_at__isnull=True)
        submission.withdrawn_at, submission.withdrawn_by = now, actor
        submission.save(update_fields=["withdrawn_at", "withdrawn_by"])
        offer.state = OS.WITHDRAWN
        offer.save(update_fields=["state"])
        audit_log(actor=actor, action="competitions.offer_withdraw", target=offer, acting_for=offer.organisation,
                  details=_details(competition, offer=offer.pk, receipt=submission.number))
    return offer
