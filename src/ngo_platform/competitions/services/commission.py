"""The commission (art. 15 ust. 2a–2f UDPP): appointment, the impartiality declaration, recusal, scores."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.accounts import memberships
from ngo_platform.competitions import canonical
from ngo_platform.competitions.models import (
    CommissionMember,
    CommissionRole,
    Competition,
    Offer,
    OfferPartner,
    Recusal,
    Score,
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
    CompetitionError,
    acting_for_authority,
)
from ngo_platform.core.services import audit_log, email_notify
from ngo_platform.organisations.models import Organisation

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


def participating_organisations(competition: Competition) -> set[int]:
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
        competition = lock_competition(competition)
        check_manage(actor, competition)
        if competition.state not in (CS.PUBLISHED, CS.FORMAL_CHECK, CS.EVALUATION):
            raise CompetitionError(_("Members can be appointed until the decision on the grants."))
        if role not in CommissionRole.values:
            raise CompetitionError(_("Choose the member's role."), "role")
        if role == CommissionRole.NGO and nominated_by is None:
            raise CompetitionError(_("Name the organisation that nominated this person."), "nominated_by")
        if role == CommissionRole.OFFICIAL:
            nominated_by = None
        if nominated_by is not None and nominated_by.pk in participating_organisations(competition):
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
            details=details_of(
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
    memberships.forget()  # a seat changed: the rules read the seats again
    return member


def commission_remove(*, actor, member) -> None:
    """Remove a member who has not scored any offer."""
    with transaction.atomic():
        competition = lock_competition(member.competition)
        check_manage(actor, competition)
        member = competition.commission.select_related("user").get(pk=member.pk)
        if competition.state in (CS.DECIDED, CS.RESULTS) or member.scores.exists():
            raise CompetitionError(_("This member has scored offers already and stays on record."))
        audit_log(
            actor=actor,
            action="competitions.commission_remove",
            target=competition,
            acting_for=acting_for_authority(actor, competition),
            details=details_of(competition, member=member.user_id, name=str(member)),
        )
        member.delete()
    memberships.forget()  # a seat changed: the rules read the seats again


def declaration_text(member, competition: Competition) -> str:
    applicants = (
        Organisation.objects.filter(pk__in=participating_organisations(competition))
        .order_by("name")
        .values_list("name", flat=True)
    )
    return DECLARATION_TEMPLATE.format(
        name=str(member.user),
        title=competition.title,
        authority=competition.authority.name,
        applicants="; ".join(applicants) or "–",
    )


def declaration_sign(*, actor, competition: Competition, digest: str):
    """The member signs the impartiality declaration (KPA art. 24) as it was shown to them (`digest`: the
    SHA-256 of the text on their page), after the offers deadline (the list of applicants is final).
    Only then are offers shown."""
    with transaction.atomic():
        competition = lock_competition_shared(competition)
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
            details=details_of(competition, member=member.pk, sha256=canonical.sha256_hex(expected)),
        )
    memberships.forget()  # a seat changed: the rules read the seats again
    return member


def _seat(actor, competition: Competition):
    if not actor.is_authenticated:
        return None
    return competition.commission.select_for_update().filter(user=actor).first()


def _evaluating(actor, offer: Offer):
    """Inside a transaction: the competition, the offer and the member's seat, when the member may act on
    the offer (signed, not recused, the competition under evaluation and not decided)."""
    competition = lock_competition_shared(offer.competition)
    offer = lock_offer(offer)
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
            details=details_of(
                competition, offer=offer.pk, member=member.pk, reason=recusal.reason, removed_points=removed
            ),
        )
    memberships.forget()  # a seat changed: the rules read the seats again
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
                details=details_of(competition, offer=offer.pk, member=member.pk, points=changes),
            )
    return member
