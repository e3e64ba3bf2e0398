"""The announcement (art. 13 UDPP): drafts, corrections published as versions, publication and the annulment (art. 18a)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.accounts.models import OrganisationMembership, OrganisationRole
from ngo_platform.competitions import selectors
from ngo_platform.competitions.models import (
    AnnulmentGround,
    Competition,
    CompetitionVersion,
    CompletionCall,
    EvaluationCriterion,
)
from ngo_platform.competitions.services.common import COMPETITION_FIELDS, CS, OS, details_of, lock_competition
from ngo_platform.competitions.services.formal_check import close_call
from ngo_platform.competitions.workflows import (
    COMPETITION,
    CompetitionError,
    acting_for_authority,
)
from ngo_platform.core.services import audit_log, email_notify
from ngo_platform.core.text import local_time as _when
from ngo_platform.core.text import slugify_pl
from ngo_platform.core.workflow import perform

RESERVED_SLUGS = frozenset({"nowy", "oferty", "moje-oferty", "partnerstwa", "male-granty"})


def unique_slug(text: str) -> str:
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
        competition = Competition(authority=authority, slug=unique_slug(values["title"]), created_by=actor, **values)
        competition_check(competition, criteria=criteria)
        competition.save()
        _set_criteria(competition, criteria)
        audit_log(
            actor=actor,
            action="competitions.competition_create",
            target=competition,
            acting_for=acting_for_authority(actor, competition),
            details=details_of(competition, title=competition.title),
        )
    return competition


def snapshot(competition: Competition) -> dict:
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
        competition = lock_competition(competition)
        if not actor.has_perm("competitions.manage_competition", competition):
            raise PermissionDenied
        if competition.state not in (CS.DRAFT, CS.PUBLISHED):
            raise CompetitionError(_("The announcement can be corrected only while offers are accepted."))
        now = timezone.now()
        if competition.state == CS.PUBLISHED and competition.offers_deadline <= now:
            raise CompetitionError(_("The offers deadline has passed: the announcement can no longer be corrected."))
        before = snapshot(competition)
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
        after = snapshot(competition)
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
                details=details_of(competition, changes=changes, note=note.strip(), version=competition.version),
            )
    return competition


def competition_publish(*, actor, competition: Competition) -> Competition:
    """Publish the announcement: it is public at /konkursy/ and accepts offers until its deadline."""
    with transaction.atomic():
        competition = lock_competition(competition)
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
            competition=competition, number=1, snapshot=snapshot(competition), published_by=actor, published_at=now
        )
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
        competition = lock_competition(competition)
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
            close_call(call, call.offer, min(now, call.deadline), "ended", actor=actor)
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
    return competition
