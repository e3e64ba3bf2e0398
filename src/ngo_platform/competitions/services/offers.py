"""Offers: drafts step by step, joint offers and their partners, attachments, submission and withdrawal."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.competitions import canonical, files, selectors
from ngo_platform.competitions.models import (
    Competition,
    CostCategory,
    CostLine,
    Offer,
    OfferAction,
    OfferAttachment,
    OfferPartner,
    OfferResult,
    OfferSubmission,
)
from ngo_platform.competitions.services.common import (
    CS,
    OFFER_STEP_FIELDS,
    OS,
    details_of,
    lock_competition_shared,
    lock_offer,
    printable,
)
from ngo_platform.competitions.workflows import (
    OFFER,
    PARTNER,
    CompetitionError,
    OfferIncomplete,
)
from ngo_platform.core.arrival import arrived_at, lateness
from ngo_platform.core.money import format_money, line_total
from ngo_platform.core.services import audit_log, email_notify
from ngo_platform.core.workflow import perform
from ngo_platform.organisations.models import Organisation, OrganisationStatus


def _eligibility_error(competition: Competition, organisation: Organisation) -> str | None:
    if organisation.status != OrganisationStatus.ACTIVE:
        return _("%(organisation)s is not active in the register.") % {"organisation": organisation}
    if organisation.is_institution:  # art. 3 ust. 2 and 3 UDPP: who may be entrusted with public tasks
        return _(
            "%(organisation)s is an institution of the directory, not a non-governmental organisation: it can be a "
            "partner in a project, but not an applicant or partner of an offer."
        ) % {"organisation": organisation}
    if competition.require_verified and not organisation.is_verified:
        return _(
            "Only organisations verified on the platform may take part in this competition; %(organisation)s is not verified yet."
        ) % {"organisation": organisation}
    return None


def offer_start(*, actor, competition: Competition, organisation: Organisation, title: str = "") -> Offer:
    """A member of an organisation starts a draft offer in a competition that accepts offers (`title`: the public
    task's, when the draft is started from something that names it, such as a partnership's announcement)."""
    if not actor.is_authenticated or not actor.organisation_memberships.filter(organisation=organisation).exists():
        raise PermissionDenied
    with transaction.atomic():
        competition = Competition.objects.get(pk=competition.pk)
        if not competition.accepting_offers(arrived_at()):
            raise CompetitionError(_("This competition does not accept offers now."))
        if (error := _eligibility_error(competition, organisation)) is not None:
            raise CompetitionError(error, "organisation")
        offer = Offer.objects.create(
            competition=competition,
            organisation=organisation,
            title=title[: Offer._meta.get_field("title").max_length],
            template=competition.template,
            created_by=actor,
            contact_name=actor.display_name,
            contact_email=actor.email,
            date_from=competition.task_start,
            date_to=competition.task_end,
        )
        audit_log(
            actor=actor,
            action="competitions.offer_start",
            target=offer,
            acting_for=organisation,
            details=details_of(competition, offer=offer.pk),
        )
    return offer


def _editable(actor, offer: Offer, part: str) -> Offer:
    """Inside a transaction: the locked offer, if the person may edit it and this part of it (a step of the
    form, "zalaczniki" or "partnerzy") may change now: anything in a draft; after submission only the
    parts an open call to complete names, before its deadline. `offer.completing` is that call (or None)."""
    offer = lock_offer(offer)
    if not actor.has_perm("competitions.edit_offer", offer):
        raise PermissionDenied
    now = arrived_at()
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
            details=details_of(offer.competition, offer=offer.pk, section=section, changes=changes),
        )


def offer_save_step(*, actor, offer: Offer, step: str, data: dict[str, Any]) -> Offer:
    """Save the fields of one step of the form (a draft: sums are checked on submission and shown)."""
    fields = OFFER_STEP_FIELDS[step]
    with transaction.atomic():
        offer = _editable(actor, offer, step)
        changes = {}
        for field in fields:
            if field in data and getattr(offer, field) != data[field]:
                changes[field] = [printable(field, getattr(offer, field)), printable(field, data[field])]
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
            details=details_of(
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
                details=details_of(
                    offer.competition, offer=offer.pk, partner=str(partner.organisation), changes=changes
                ),
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
            details=details_of(offer.competition, offer=offer.pk, partner=partner.organisation.name),
        )
        partner.delete()
        offer.save(update_fields=["updated_at"])


def offer_partner_confirm(*, actor, partner: OfferPartner, agree: bool) -> OfferPartner:
    """An admin of the partner organisation confirms (or declines) its part of the joint offer as it
    reads now: the confirmation holds the checksum of that content."""
    with transaction.atomic():
        offer = lock_offer(partner.offer)
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
                details=details_of(
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
            details=details_of(
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
    """Submit the offer: arrived before the deadline (to the second, core.arrival), complete, its sums right.

    Idempotent: an offer already submitted returns its receipt (a double click never makes two).
    Refused with nothing changed when late or incomplete: the draft is kept as it was. The submission records
    when the offer arrived (what the deadline is judged by) and when it was stored.
    """
    arrived = arrived_at()
    with transaction.atomic():
        competition = lock_competition_shared(offer.competition)
        locked = lock_offer(offer)
        if not actor.has_perm("competitions.submit_offer", locked):
            raise PermissionDenied
        if locked.state == OS.SUBMITTED:
            existing = locked.submissions.filter(withdrawn_at__isnull=True).first()
            if existing is not None:
                return existing
        if locked.state != OS.DRAFT:
            raise CompetitionError(OFFER.refusal_of(OFFER["submit"], locked))
        if locked.is_small_grant:
            pass  # no announcement and no deadline (art. 19a); its limits are checked below
        elif arrived >= competition.offers_deadline:
            raise CompetitionError(
                _("The offer arrived too late. It was not submitted; your draft is kept.")
                + " "
                + lateness(competition.offers_deadline, arrived)
            )
        elif competition.state != CS.PUBLISHED:
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
            params = selectors.legal_parameters(authority=competition.authority, on=timezone.localdate(arrived))
            problems += canonical.small_grant_problems(fresh, params, earlier=selectors.earlier_small_grants(fresh))
        if problems:
            raise OfferIncomplete(problems)
        content = canonical.submission_content(fresh, body)
        submission = OfferSubmission.objects.create(
            offer=locked,
            submitted_at=arrived,
            processed_at=timezone.now(),
            submitted_by=actor,
            content=content,
            sha256=canonical.sha256_hex(content),
            competition_version=competition.version,
        )
        submission.number = f"OF/{timezone.localtime(arrived).year}/{submission.pk:06d}"
        submission.save(update_fields=["number"])
        details = {
            "receipt": submission.number,
            "sha256": submission.sha256,
            "grant": format_money(fresh.grant_requested),
            "arrived_at": submission.submitted_at.isoformat(),
            "processed_at": submission.processed_at.isoformat(),
        }
        perform(OFFER, locked, "submit", actor=actor, now=arrived, details=details)
        email_notify(
            to=[actor.email, fresh.organisation.email],
            template="competitions/email/receipt",
            context={"offer": fresh, "submission": submission, "competition": competition},
        )
    return submission


def offer_withdraw(*, actor, offer: Offer) -> Offer:
    """Withdraw a submitted offer before the deadline; the submission stays on record, marked withdrawn."""
    with transaction.atomic():
        competition = lock_competition_shared(offer.competition)
        offer = lock_offer(offer)
        if not actor.has_perm("competitions.submit_offer", offer):
            raise PermissionDenied
        if offer.state != OS.SUBMITTED:
            raise CompetitionError(OFFER.refusal_of(OFFER["withdraw"], offer))
        now = arrived_at()
        if now >= competition.offers_deadline:
            raise CompetitionError(
                _("The offers deadline has passed: the offer can no longer be withdrawn here; write to the authority.")
                + " "
                + lateness(competition.offers_deadline, now)
            )
        submission = offer.submissions.select_for_update().get(withdrawn_at__isnull=True)
        submission.withdrawn_at, submission.withdrawn_by = now, actor
        submission.save(update_fields=["withdrawn_at", "withdrawn_by"])
        perform(OFFER, offer, "withdraw", actor=actor, now=now, details={"receipt": submission.number})
    return offer
