"""The formal check: the checklist, the marks, calls to complete (repeatable) and the result."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.accounts.models import OrganisationMembership, OrganisationRole
from ngo_platform.competitions import canonical, selectors
from ngo_platform.competitions.models import (
    CALL_PARTS,
    DEFAULT_FORMAL_CHECKLIST,
    Competition,
    CompletionCall,
    FormalCheckItem,
    FormalMark,
    Offer,
)
from ngo_platform.competitions.services.common import (
    CS,
    OS,
    check_manage,
    details_of,
    lock_competition,
    lock_competition_shared,
    lock_offer,
)
from ngo_platform.competitions.workflows import (
    CALL,
    COMPETITION,
    OFFER,
    CompetitionError,
    OfferIncomplete,
    acting_for_authority,
)
from ngo_platform.core.arrival import arrived_at, lateness
from ngo_platform.core.services import audit_log, email_notify
from ngo_platform.core.text import local_time as _when
from ngo_platform.core.workflow import perform

#
# After the offers deadline the officer opens the formal check (published → formal_check), marks each
# offer on the announcement's checklist, may call an applicant to complete the offer (submitted →
# to_complete; again once a call has closed) naming the parts that may be corrected, the attachments to
# add and a deadline, and decides: formally correct
# or rejected with a reason. Then the commission evaluates (formal_check → evaluation).

PAST_FORMAL_CHECK = (OS.FORMALLY_CORRECT, OS.FORMALLY_REJECTED, OS.EVALUATED, OS.FUNDED, OS.NOT_FUNDED)


def formal_check_start(*, actor, competition: Competition) -> Competition:
    """Close the call for offers and open the formal check (after the deadline, server time). The
    announcement's checklist gets the default requirements unless the officer set them already."""
    with transaction.atomic():
        competition = lock_competition(competition)
        check_manage(actor, competition)
        submitted = competition.offers.filter(state=OS.SUBMITTED).count()
        perform(COMPETITION, competition, "formal_check_start", actor=actor, details={"offers": submitted})
        if not competition.formal_items.exists():
            FormalCheckItem.objects.bulk_create(
                FormalCheckItem(competition=competition, position=n, text=text)
                for n, text in enumerate(DEFAULT_FORMAL_CHECKLIST, start=1)
            )
    return competition


def formal_checklist_set(*, actor, competition: Competition, items: list[str]) -> Competition:
    """Replace the checklist of the announcement, before any offer has been marked on it."""
    items = [text.strip() for text in items if text and text.strip()]
    with transaction.atomic():
        competition = lock_competition(competition)
        check_manage(actor, competition)
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
            details=details_of(competition, before=before, after=items),
        )
    return competition


def _checked_offer(actor, offer: Offer) -> tuple[Competition, Offer]:
    """Inside a transaction: the competition (locked) and the offer (locked) under formal check."""
    competition = lock_competition(offer.competition)
    check_manage(actor, competition)
    offer = lock_offer(offer)
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
                details=details_of(competition, offer=offer.pk, marks=changes),
            )
    return offer


def close_call(call: CompletionCall, offer: Offer, at, name: str, *, actor, values=None) -> CompletionCall:
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
        close_call(call, offer, call.deadline, "expired", actor=None)


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
            details=details_of(
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
        competition = lock_competition_shared(offer.competition)
        offer = lock_offer(offer)
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
        now = arrived_at()
        if now >= call.deadline:
            raise CompetitionError(
                _("The time to complete has passed. Nothing was changed.") + " " + lateness(call.deadline, now)
            )
        fresh = selectors.offer_page(offer.pk)
        problems = completion_problems(fresh, call)
        if problems:
            raise OfferIncomplete(problems)
        values = {"answered_at": now, "answered_by": actor, "answer_note": note.strip()}
        call = close_call(call, offer, now, "answer", actor=actor, values=values)
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
