"""Writes of council elections. Every change runs in one transaction, locks the row it changes, is
checked against the server's clock (Europe/Warsaw) at commit time, and is audited with the election's
id in `details["election"]` (the committee's view of the audit log filters on it)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo_platform.core.arrival import arrived_at, lateness
from ngo_platform.core.services import audit_log, email_notify
from ngo_platform.core.text import local_time as _when
from ngo_platform.core.text import slugify_pl
from ngo_platform.core.workflow import perform
from ngo_platform.elections import selectors
from ngo_platform.elections.counting import place, tied_for_last_seat
from ngo_platform.elections.models import (
    Ballot,
    Candidate,
    CandidateState,
    Council,
    Election,
    ElectionState,
    Protest,
    ProtestState,
    TieBreak,
)
from ngo_platform.elections.workflows import CANDIDATE, ELECTION, PROTEST, TIMED, ElectionError, acting_for
from ngo_platform.organisations.models import Organisation

S = ElectionState
C = CandidateState

# Fields of an election a form may set (settings of the resolution, timeline, eligibility).
ELECTION_FIELDS = (
    "kind",
    "title",
    "description",
    "term_start",
    "term_end",
    "seats",
    "eligibility_basis",
    "eligible_legal_forms",
    "require_verified",
    "nominations_per_organisation",
    "acting_role",
    "choices_per_ballot",
    "ballot_changeable",
    "open_voting",
    "tie_rule",
    "nominations_start",
    "nominations_end",
    "voting_start",
    "voting_end",
    "protest_days",
)
DEFAULT_VOTING_DAYS = 7


def _details(election: Election, **extra) -> dict[str, Any]:
    return {"election": election.pk, **extra}


def _lock(election: Election) -> Election:
    return Election.objects.select_for_update().select_related("council", "council__authority").get(pk=election.pk)


def _lock_shared(election: Election) -> Election:
    """Lock the election so that it cannot change stage while a ballot is being stored, without making
    ballots wait for one another: FOR SHARE on PostgreSQL; SQLite serialises writing transactions anyway."""
    if connection.vendor == "postgresql":
        return list(Election.objects.raw("SELECT * FROM elections_election WHERE id = %s FOR SHARE", [election.pk]))[0]
    return Election.objects.get(pk=election.pk)


# --- Councils and elections ---------------------------------------------------------------


# Path segments under /wybory/ that an election's address must not take.
RESERVED_SLUGS = frozenset({"nowe", "rady", "zgoda"})


def _unique_slug(model, text: str) -> str:
    base = slugify_pl(text, max_length=140) or "wybory"
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def council_create(*, actor, authority, name: str) -> Council:
    if actor is not None and not actor.has_perm("elections.create_council", authority):
        raise PermissionDenied
    with transaction.atomic():
        council = Council.objects.create(authority=authority, name=name.strip(), slug=_unique_slug(Council, name))
        audit_log(
            actor=actor,
            action="elections.council_create",
            target=council,
            acting_for=authority if actor is not None and not actor.is_staff else None,
            details={"name": council.name},
        )
    return council


def _check_timeline(election: Election) -> None:
    if not (election.nominations_start < election.nominations_end <= election.voting_start < election.voting_end):
        raise ElectionError(
            _("The stages must follow one another: nominations open, nominations close, voting opens, voting closes.")
        )
    if election.term_start > election.term_end:
        raise ElectionError(_("The term must end after it starts."))


def election_create(*, actor, council: Council, data: dict[str, Any]) -> Election:
    """An officer of the council's authority prepares an election (a draft)."""
    if actor is not None and not actor.has_perm("elections.manage_election", council):
        raise PermissionDenied
    values = {field: data[field] for field in ELECTION_FIELDS if field in data}
    if "voting_end" not in values and "voting_start" in values:
        values["voting_end"] = timezone.localtime(values["voting_start"]) + timedelta(
            days=DEFAULT_VOTING_DAYS
        )  # calendar days
    with transaction.atomic():
        election = Election(council=council, slug=_unique_slug(Election, values["title"]), created_by=actor, **values)
        _check_timeline(election)
        election.save()
        audit_log(
            actor=actor,
            action="elections.election_create",
            target=election,
            acting_for=acting_for(actor, election),
            details=_details(election, title=election.title, kind=election.kind),
        )
    return election


def election_update(*, actor, election: Election, data: dict[str, Any]) -> Election:
    """Change the settings and timeline while the election is a draft or in nominations (only dates
    not yet passed may move then)."""
    with transaction.atomic():
        election = _lock(election)
        if actor is not None and not actor.has_perm("elections.manage_election", election):
            raise PermissionDenied
        if election.state not in (S.DRAFT, S.NOMINATIONS):
            raise ElectionError(_("The settings can be changed only before the nominations close."))
        changes = {}
        for field in ELECTION_FIELDS:
            if field in data and getattr(election, field) != data[field]:
                if election.state != S.DRAFT and field not in (
                    "description",
                    "nominations_end",
                    "voting_start",
                    "voting_end",
                ):
                    raise ElectionError(
                        _("Once the nominations have opened, only the announcement and the later dates can change.")
                    )
                changes[field] = [str(getattr(election, field)), str(data[field])]
                setattr(election, field, data[field])
        _check_timeline(election)
        if election.state == S.NOMINATIONS and election.nominations_end <= timezone.now():
            raise ElectionError(_("The nominations close in the past: choose a later time."))
        election.save()
        if changes:
            selectors.public_changed_on_commit()
            audit_log(
                actor=actor,
                action="elections.election_update",
                target=election,
                acting_for=acting_for(actor, election),
                details=_details(election, changes=changes),
            )
    return election


def election_transition(*, actor, election: Election, target: str, reason: str = "") -> Election:
    """An officer of the council's authority moves the election to its next stage (or cancels it)."""
    with transaction.atomic():
        election = _lock(election)
        if target not in ELECTION.table():
            raise PermissionDenied
        if target == S.CANCELLED and not reason.strip() and actor.has_perm(ELECTION[target].permission, election):
            raise ElectionError(_("Give the reason for cancelling the election: it is published."))
        details = {"reason": reason.strip()}
        return perform(ELECTION, election, target, actor=actor, now=timezone.now(), details=details)


def election_advance_due(*, election: Election) -> Election:
    """Make the transitions whose time has come (the system acts; nothing happens if none is due)."""
    now = timezone.now()
    step = TIMED.get(election.state)
    if step is None or getattr(election, step[0]) > now:
        return election
    with transaction.atomic():
        election = _lock(election)
        while (step := TIMED.get(election.state)) and getattr(election, step[0]) <= now:
            perform(ELECTION, election, step[1], actor=None, now=now, details={"reason": ""})
    return election


# --- Nominations --------------------------------------------------------------------------


# --- The election committee's members from outside the authority -------------------------------------


def _committee_changeable(actor, election: Election) -> Election:
    """Inside a transaction: the locked election, if the person manages it and it is not over."""
    election = _lock(election)
    if not actor.has_perm("elections.manage_election", election):
        raise PermissionDenied
    if election.state in (S.FINAL, S.CANCELLED):
        raise ElectionError(_("The election is over: its committee can no longer change."))
    return election


def committee_add(*, actor, election: Election, user) -> None:
    """The authority names a person from outside it (e.g. a delegate of the NGOs) to the election's
    committee: they verify candidates, break ties and decide protests. Not a candidate in this election;
    not once the election is final or cancelled. The person is e-mailed."""
    with transaction.atomic():
        election = _committee_changeable(actor, election)
        if not user.is_active:
            raise ElectionError(_("This account is not active."))
        if election.committee.filter(pk=user.pk).exists():
            raise ElectionError(_("This person is on the committee already."))
        if election.candidates.filter(email__iexact=user.email).exclude(state__in=[C.REJECTED, C.WITHDRAWN]).exists():
            raise ElectionError(_("This person is a candidate in this election and cannot sit on its committee."))
        election.committee.add(user)
        audit_log(
            actor=actor,
            action="elections.committee_add",
            target=election,
            acting_for=acting_for(actor, election),
            details=_details(election, member=user.email),
        )
        email_notify(
            to=[user.email], template="elections/email/committee_named", context={"election": election, "member": user}
        )


def committee_remove(*, actor, election: Election, user) -> None:
    with transaction.atomic():
        election = _committee_changeable(actor, election)
        if not election.committee.filter(pk=user.pk).exists():
            raise ElectionError(_("This person is not on the committee."))
        election.committee.remove(user)
        audit_log(
            actor=actor,
            action="elections.committee_remove",
            target=election,
            acting_for=acting_for(actor, election),
            details=_details(election, member=user.email),
        )


def _organisation_check(*, actor, election: Election, organisation: Organisation) -> None:
    if not selectors.acting_organisations(user=actor, election=election).filter(pk=organisation.pk).exists():
        if not selectors.eligible_organisations(election).filter(pk=organisation.pk).exists():
            raise ElectionError(_("This organisation is not eligible in this election."))
        raise ElectionError(_("Your role in this organisation does not allow you to act for it in this election."))


def candidate_nominate(*, actor, election: Election, organisation: Organisation, data: dict[str, Any]) -> Candidate:
    """A representative of an eligible organisation nominates a candidate; the candidate is e-mailed a
    link to consent to standing and to the publication of their data."""
    with transaction.atomic():
        election = _lock(election)  # serialises nominations: the per-organisation limit holds
        now = arrived_at()
        if now >= election.nominations_end:
            raise ElectionError(
                _("Nominations are not being accepted now.") + " " + lateness(election.nominations_end, now)
            )
        if election.state != S.NOMINATIONS or now < election.nominations_start:
            raise ElectionError(_("Nominations are not being accepted now."))
        _organisation_check(actor=actor, election=election, organisation=organisation)
        used = (
            election.candidates.filter(organisation=organisation).exclude(state__in=[C.REJECTED, C.WITHDRAWN]).count()
        )
        if used >= election.nominations_per_organisation:
            raise ElectionError(
                _("Your organisation has already nominated %(n)s candidate(s), the most this election allows.")
                % {"n": used}
            )
        email = data["email"].strip().lower()
        if election.candidates.filter(email=email).exclude(state__in=[C.REJECTED, C.WITHDRAWN]).exists():
            raise ElectionError(_("This person is already a candidate in this election."))
        if election.committee.filter(email__iexact=email).exists():
            raise ElectionError(_("This person sits on the election's committee and cannot stand in it."))
        candidate = Candidate.objects.create(
            election=election,
            organisation=organisation,
            nominated_by=actor,
            email=email,
            full_name=data["full_name"].strip(),
            qualifications=data["qualifications"].strip(),
            statement=data.get("statement", "").strip(),
        )
        audit_log(
            actor=actor,
            action="elections.candidate_nominate",
            target=candidate,
            acting_for=organisation,
            details=_details(election, candidate=candidate.full_name, organisation=organisation.name),
        )
        email_notify(
            to=[email],
            template="elections/email/consent_request",
            context={"candidate": candidate, "election": election, "organisation": organisation},
        )
    return candidate


def candidate_consent(*, candidate: Candidate, agree: bool) -> Candidate:
    """The candidate, following the e-mailed link, consents to stand and to publication, or declines."""
    with transaction.atomic():
        # The election first, as the stage transitions lock it: publishing the list (which withdraws
        # candidates without consent) cannot interleave with a consent being recorded.
        election = _lock(candidate.election)
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        candidate.election = election
        if candidate.state == C.AWAITING_CONSENT and election.state not in (S.NOMINATIONS, S.VERIFICATION):
            raise ElectionError(_("The time for consents in this election is over."))
        perform(CANDIDATE, candidate, "consent" if agree else "withdraw", actor=None)
    return candidate


def candidate_decide(*, actor, candidate: Candidate, approve: bool, reason: str = "") -> Candidate:
    """The committee verifies a consenting candidate, or rejects them with a reason (sent to the organisation)."""
    with transaction.atomic():
        candidate = (
            Candidate.objects.select_for_update()
            .select_related("election", "election__council", "organisation")
            .get(pk=candidate.pk)
        )
        election = candidate.election
        if not actor.has_perm("elections.act_as_committee", election):
            raise PermissionDenied
        if election.state not in (S.NOMINATIONS, S.VERIFICATION):
            raise ElectionError(_("Candidates are verified before the list is published."))
        if candidate.state == C.CONSENTED and not approve and not reason.strip():
            raise ElectionError(_("Give the reason for the rejection: the organisation will read it."))
        values, details = {"decided_by": actor, "reason": reason.strip()}, {"reason": reason.strip()}
        perform(CANDIDATE, candidate, "verify" if approve else "reject", actor=actor, values=values, details=details)
        candidate.election = election
        email_notify(
            to=[candidate.nominated_by.email, candidate.email],
            template="elections/email/candidate_decided",
            context={"candidate": candidate, "election": election},
        )
    return candidate


# --- Voting -------------------------------------------------------------------------------

ALREADY_VOTED = "already_voted"


def voting_refusal(election: Election, now) -> str | None:
    """Why a ballot cannot be stored at `now` (the window is closed or not open yet), or None."""
    if election.state == S.VOTING and election.voting_start <= now < election.voting_end:
        return None
    if now >= election.voting_end:
        return _("The voting has closed. The ballot was not stored.") + " " + lateness(election.voting_end, now)
    return _("The voting is not open now. The ballot was not stored.")


def ballot_cast(*, actor, election: Election, organisation: Organisation, candidate_ids: list[int]) -> Ballot:
    """Cast (or, if the election allows, change) the one ballot of an organisation.

    Refused, with nothing stored, when the window is closed at the moment of writing, when the person may
    not vote for the organisation, or when the organisation has voted already. Two representatives casting
    at the same instant: the unique constraint (election, organisation) lets exactly one ballot in.
    """
    with transaction.atomic():
        election = _lock_shared(election)
        now = arrived_at()
        refusal = voting_refusal(election, now)
        if refusal:
            raise ElectionError(refusal)
        _organisation_check(actor=actor, election=election, organisation=organisation)
        wanted = list(dict.fromkeys(int(pk) for pk in candidate_ids))
        if not wanted:
            raise ElectionError(_("Choose a candidate."))
        if len(wanted) > election.choices_per_ballot:
            raise ElectionError(_("Choose at most %(n)s candidate(s).") % {"n": election.choices_per_ballot})
        candidates = list(election.candidates.filter(pk__in=wanted, state=C.VERIFIED))
        if len(candidates) != len(wanted):
            raise ElectionError(_("Choose only candidates from the published list."))
        existing = Ballot.objects.select_for_update().filter(election=election, organisation=organisation).first()
        if existing is not None:
            if not election.ballot_changeable:
                raise ElectionError(_already_voted(existing))
            existing.candidates.set(candidates)
            existing.changed_at, existing.cast_by = now, actor
            existing.save(update_fields=["changed_at", "cast_by"])
            audit_log(
                actor=actor,
                action="elections.ballot_change",
                target=election,
                acting_for=organisation,
                details=_details(election, organisation=organisation.name),
            )
            return existing
        try:
            with transaction.atomic():
                ballot = Ballot.objects.create(election=election, organisation=organisation, cast_by=actor, cast_at=now)
        except IntegrityError:
            raise ElectionError(_already_voted(None)) from None
        ballot.candidates.set(candidates)
        # Who cast for which organisation, and when (art. 41 integrity) — not the receipt nor the choice: the
        # receipts and choices are published after the count, and together they would name each vote.
        audit_log(
            actor=actor,
            action="elections.ballot_cast",
            target=election,
            acting_for=organisation,
            details=_details(election, organisation=organisation.name),
        )
    return ballot


def _already_voted(ballot: Ballot | None) -> str:
    if ballot is None:
        return _(
            "Your organisation has already voted in this election (another representative cast its ballot at this moment). One organisation has one vote; nothing more was stored."
        )
    return _(
        "Your organisation has already voted in this election, at %(time)s. One organisation has one vote; nothing more was stored."
    ) % {"time": _when(ballot.cast_at)}


# --- Counting, ties, results --------------------------------------------------------------


def tie_break_record(*, actor, election: Election, order: list[int], witnesses: str, note: str = "") -> TieBreak:
    """The committee records a drawing of lots among the tied candidates: the drawn order and the witnesses."""
    with transaction.atomic():
        election = _lock(election)
        if not actor.has_perm("elections.act_as_committee", election):
            raise PermissionDenied
        if election.state != S.RESULTS or not election.tie_pending:
            raise ElectionError(_("There is no tie waiting for a drawing of lots."))
        candidates = list(election.candidates.filter(state=C.VERIFIED).order_by("nominated_at", "id"))
        tied = {c.pk for c in tied_for_last_seat(election, candidates)}
        if set(order) != tied or len(order) != len(tied):
            raise ElectionError(_("Give the drawn place of every tied candidate, each place once."))
        lines = [line.strip() for line in witnesses.splitlines() if line.strip()]
        if len(lines) < 2:
            raise ElectionError(_("Name at least two witnesses of the drawing, one per line."))
        tie_break = TieBreak.objects.create(
            election=election, order=order, witnesses="\n".join(lines), note=note.strip(), recorded_by=actor
        )
        election.tie_pending = False
        election.save(update_fields=["tie_pending"])
        place(election, candidates, tie_order=order)
        names = {c.pk: c.full_name for c in candidates}
        audit_log(
            actor=actor,
            action="elections.tie_break_record",
            target=election,
            acting_for=acting_for(actor, election),
            details=_details(election, order=[names[pk] for pk in order], witnesses=lines),
        )
    return tie_break


# --- Protests -----------------------------------------------------------------------------


def protest_submit(*, actor, election: Election, organisation: Organisation, text: str) -> Protest:
    with transaction.atomic():
        election = _lock(election)
        now = arrived_at()
        if now >= election.protests_end:
            raise ElectionError(_("Protests are not being accepted now.") + " " + lateness(election.protests_end, now))
        if election.state != S.PROTESTS:
            raise ElectionError(_("Protests are not being accepted now."))
        _organisation_check(actor=actor, election=election, organisation=organisation)
        if not text.strip():
            raise ElectionError(_("Write the content of the protest."))
        protest = Protest.objects.create(
            election=election, organisation=organisation, submitted_by=actor, text=text.strip()
        )
        audit_log(
            actor=actor,
            action="elections.protest_submit",
            target=protest,
            acting_for=organisation,
            details=_details(election, organisation=organisation.name),
        )
    return protest


def protest_decide(*, actor, protest: Protest, upheld: bool, decision: str) -> Protest:
    with transaction.atomic():
        protest = Protest.objects.select_for_update().select_related("election", "election__council").get(pk=protest.pk)
        election = protest.election
        if not actor.has_perm("elections.act_as_committee", election):
            raise PermissionDenied
        if protest.state == ProtestState.PENDING and not decision.strip():
            raise ElectionError(_("Give the decision's reasons: they are sent to the organisation."))
        values = {"decision": decision.strip(), "decided_by": actor}
        name = "uphold" if upheld else "dismiss"
        perform(PROTEST, protest, name, actor=actor, values=values, details={"decision": decision.strip()})
    return protest
