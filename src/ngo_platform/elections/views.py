"""Views of the elections app: thin; the services decide and write, the selectors read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.core.arrival import arrived_at
from ngo_platform.core.confirmation import ask_before
from ngo_platform.core.documents import PDF_TYPE, file_response, render_pdf
from ngo_platform.core.permissions import refusal
from ngo_platform.elections import counting, selectors, services
from ngo_platform.elections.forms import (
    BallotForm,
    CandidateDecisionForm,
    CommitteeMemberForm,
    ConsentForm,
    CouncilForm,
    ElectionForm,
    NominationForm,
    ProtestDecisionForm,
    ProtestForm,
    ReceiptForm,
    TieBreakForm,
    TransitionForm,
)
from ngo_platform.elections.models import STAGE_ORDER, Candidate, Council, Election, ElectionState, TieBreak
from ngo_platform.elections.workflows import ELECTION
from ngo_platform.organisations.models import LegalForm
from ngo_platform.territory.models import Authority

S = ElectionState
PAGE_SIZE = 20
BALLOTS_PAGE_SIZE = 100
AUDIT_PAGE_SIZE = 50


def _election(slug: str, *, advance: bool = True) -> Election:
    election = get_object_or_404(selectors.election_queryset(), slug=slug)
    if advance:
        election = services.election_advance_due(election=election)
    return election


def _public(request, election: Election) -> None:
    """A draft is seen only by those who run the election."""
    if election.state == S.DRAFT and not request.user.has_perm("elections.act_as_committee", election):
        raise Http404


def election_list(request):
    page = Paginator(selectors.public_elections(), PAGE_SIZE).get_page(request.GET.get("strona"))
    managed = (
        selectors.elections_managed_by(request.user).filter(state=S.DRAFT) if request.user.is_authenticated else []
    )
    may_create = request.user.is_authenticated and (
        request.user.is_staff or request.user.authority_memberships.exists()
    )
    return render(request, "elections/list.html", {"page": page, "drafts": managed, "may_create": may_create})


def council_detail(request, slug):
    council = get_object_or_404(Council.objects.select_related("authority"), slug=slug)
    return render(
        request,
        "elections/council.html",
        {
            "council": council,
            "members": selectors.current_members(council),
            "elections": council.elections.exclude(state=S.DRAFT),
        },
    )


def council_create(request):
    if (response := refusal(request)) is not None:
        return response
    authorities = (
        Authority.objects.all() if request.user.is_staff else Authority.objects.filter(memberships__user=request.user)
    )
    if not authorities.exists():
        raise PermissionDenied
    form = CouncilForm(request.POST or None, authorities=authorities)
    if request.method == "POST" and form.is_valid():
        services.council_create(
            actor=request.user, authority=form.cleaned_data["authority"], name=form.cleaned_data["name"]
        )
        messages.success(request, _("The council has been added."))
        return redirect("elections:create")
    return render(request, "elections/council_form.html", {"form": form})


def election_create(request):
    if (response := refusal(request)) is not None:
        return response
    councils = selectors.councils_managed_by(request.user)
    if not councils.exists():
        if request.user.is_staff or request.user.authority_memberships.exists():
            return redirect("elections:council_create")
        raise PermissionDenied
    form = ElectionForm(request.POST or None, councils=councils)
    if request.method == "POST" and form.is_valid():
        try:
            election = services.election_create(
                actor=request.user, council=form.cleaned_data["council"], data=form.data_for_service()
            )
        except services.ElectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The election has been prepared as a draft."))
            return redirect("elections:committee", slug=election.slug)
    return render(request, "elections/election_form.html", {"form": form})


def election_edit(request, slug):
    election = _election(slug)
    if (response := refusal(request, "elections.manage_election", election)) is not None:
        return response
    form = ElectionForm(request.POST or None, instance=election)
    if request.method == "POST" and form.is_valid():
        try:
            services.election_update(actor=request.user, election=election, data=form.data_for_service())
        except services.ElectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The election's settings have been saved."))
            return redirect("elections:committee", slug=election.slug)
    return render(request, "elections/election_form.html", {"form": form, "election": election})


def _stages(election: Election) -> list[dict]:
    current = STAGE_ORDER.index(election.state) if election.state in STAGE_ORDER else -1
    return [
        {"label": stage.label, "current": index == current, "done": index < current}
        for index, stage in enumerate(STAGE_ORDER)
    ]


def detail(request, slug):
    election = _election(slug)
    _public(request, election)
    user = request.user
    context = {
        "election": election,
        "stages": _stages(election),
        "legal_forms": [
            LegalForm(code).label if code in LegalForm.values else code for code in election.eligible_legal_forms
        ],
        "may_act": user.is_authenticated and user.has_perm("elections.act_for_organisation", election),
        "is_committee": user.is_authenticated and user.has_perm("elections.act_as_committee", election),
    }
    if election.list_public:
        context["candidates"] = (
            selectors.results(election) if election.results_public else list(selectors.published_candidates(election))
        )
    if election.results_public:
        context["turnout"] = selectors.turnout(election)
    return render(request, "elections/detail.html", context)


# --- Nominations and consent --------------------------------------------------------------


def nominate(request, slug):
    election = _election(slug)
    _public(request, election)
    if (response := refusal(request, "elections.act_for_organisation", election)) is not None:
        return response
    organisations = selectors.acting_organisations(user=request.user, election=election)
    form = NominationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_nominate(
                actor=request.user,
                election=election,
                organisation=form.cleaned_data["organisation"],
                data=form.cleaned_data,
            )
        except services.ElectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The nomination has been recorded. The candidate has been e-mailed a link to consent.")
            )
            return redirect("elections:nominate", slug=election.slug)
    nominations = election.candidates.filter(organisation__in=organisations).select_related("organisation")
    return render(request, "elections/nominate.html", {"election": election, "form": form, "nominations": nominations})


def consent(request, token):
    candidate = get_object_or_404(
        Candidate.objects.select_related("election", "election__council", "organisation"), consent_token=token
    )
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_consent(candidate=candidate, agree=form.cleaned_data["decision"] == "agree")
        except services.ElectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you: your answer has been recorded."))
            return redirect("elections:consent", token=token)
    return render(
        request, "elections/consent.html", {"candidate": candidate, "election": candidate.election, "form": form}
    )


# --- The committee --------------------------------------------------------------------------


def committee(request, slug):
    election = _election(slug)
    if (response := refusal(request, "elections.act_as_committee", election)) is not None:
        return response
    return _committee_page(request, election, CommitteeMemberForm())


def _committee_page(request, election: Election, member_form, status: int = 200):
    audit = Paginator(selectors.election_audit(election), AUDIT_PAGE_SIZE).get_page(request.GET.get("strona"))
    targets = sorted((t.target for t in ELECTION.from_state(election.state)), key=lambda s: s == S.CANCELLED)
    return render(
        request,
        "elections/committee.html",
        {
            "election": election,
            "stages": _stages(election),
            "candidates": selectors.committee_candidates(election),
            "protests": election.protests.select_related("organisation"),
            "targets": [(target, S(target).label) for target in targets],
            "may_manage": request.user.has_perm("elections.manage_election", election),
            "members": list(election.committee.order_by("display_name", "email")),
            "member_form": member_form,
            "turnout": selectors.turnout(election) if election.counted_at else None,
            "page": audit,
        },
        status=status,
    )


@require_POST
def committee_members(request, slug):
    """The authority names people from outside it to the committee, or removes them; a refusal is shown
    next to the e-mail field."""
    election = _election(slug, advance=False)
    if (response := refusal(request, "elections.manage_election", election)) is not None:
        return response
    form = CommitteeMemberForm(request.POST)
    if request.POST.get("remove"):
        member = get_object_or_404(election.committee.all(), pk=request.POST["remove"])
        try:
            services.committee_remove(actor=request.user, election=election, user=member)
        except services.ElectionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s is no longer on the committee.") % {"name": member})
        return redirect("elections:committee", slug=election.slug)
    if form.is_valid():
        try:
            services.committee_add(actor=request.user, election=election, user=form.user)
        except services.ElectionError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request, _("%(name)s has been named to the committee and told by e-mail.") % {"name": form.user}
            )
            return redirect("elections:committee", slug=election.slug)
    return _committee_page(request, election, form, status=400)


@require_POST
def transition(request, slug):
    election = _election(slug, advance=False)
    if (response := refusal(request, "elections.act_as_committee", election)) is not None:
        return response
    form = TransitionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["target"] not in S.values:
        raise Http404
    step = ELECTION[form.cleaned_data["target"]]
    # Ask only when the step would be taken (a refusal is shown at once, e.g. a cancellation without its reason).
    reasoned = step.target != S.CANCELLED or form.cleaned_data["reason"].strip()
    if step.confirm and reasoned:
        page = ask_before(
            request,
            ELECTION,
            step.name,
            election,
            title=_("Confirm: %(action)s") % {"action": step.label},
            consequences=[_("Election: %(title)s.") % {"title": election.title}],
            button=step.label,
            cancel_url=reverse("elections:committee", args=[election.slug]),
        )
        if page is not None:
            return page
    try:
        services.election_transition(
            actor=request.user,
            election=election,
            target=form.cleaned_data["target"],
            reason=form.cleaned_data["reason"],
        )
    except services.ElectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The election has moved to the stage: %(stage)s.") % {"stage": S(form.cleaned_data["target"]).label},
        )
    return redirect("elections:committee", slug=election.slug)


def candidate_decide(request, slug, pk):
    election = _election(slug)
    if (response := refusal(request, "elections.act_as_committee", election)) is not None:
        return response
    candidate = get_object_or_404(election.candidates.select_related("organisation", "decided_by"), pk=pk)
    form = CandidateDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_decide(
                actor=request.user,
                candidate=candidate,
                approve=form.cleaned_data["decision"] == "verify",
                reason=form.cleaned_data["reason"],
            )
        except services.ElectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Decision recorded; the organisation and the candidate have been notified."))
            return redirect("elections:committee", slug=election.slug)
    return render(
        request, "elections/candidate_decide.html", {"election": election, "candidate": candidate, "form": form}
    )


def tie_break(request, slug):
    election = _election(slug)
    if (response := refusal(request, "elections.act_as_committee", election)) is not None:
        return response
    if not election.tie_pending:
        raise Http404
    candidates = list(election.candidates.filter(state="verified").order_by("nominated_at", "id"))
    tied = counting.tied_for_last_seat(election, candidates)
    form = TieBreakForm(request.POST or None, tied=tied)
    if request.method == "POST" and form.is_valid():
        try:
            services.tie_break_record(
                actor=request.user,
                election=election,
                order=form.order(),
                witnesses=form.cleaned_data["witnesses"],
                note=form.cleaned_data["note"],
            )
        except services.ElectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The drawing of lots has been recorded and the seats assigned."))
            return redirect("elections:committee", slug=election.slug)
    return render(request, "elections/tie_break.html", {"election": election, "tied": tied, "form": form})


def protest_decide(request, slug, pk):
    election = _election(slug)
    if (response := refusal(request, "elections.act_as_committee", election)) is not None:
        return response
    protest = get_object_or_404(election.protests.select_related("organisation", "submitted_by"), pk=pk)
    form = ProtestDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.protest_decide(
                actor=request.user,
                protest=protest,
                upheld=form.cleaned_data["decision"] == "upheld",
                decision=form.cleaned_data["reasons"],
            )
        except services.ElectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The decision on the protest has been recorded."))
            return redirect("elections:committee", slug=election.slug)
    return render(request, "elections/protest_decide.html", {"election": election, "protest": protest, "form": form})


# --- Voting, receipts, results ------------------------------------------------------------


def vote(request, slug):
    election = _election(slug)
    _public(request, election)
    if (response := refusal(request, "elections.act_for_organisation", election)) is not None:
        return response
    organisations = selectors.acting_organisations(user=request.user, election=election)
    ballots = selectors.ballots_of(election=election, organisations=organisations)
    candidates = list(selectors.published_candidates(election)) if election.state == S.VOTING else []
    waiting = [o for o in organisations if o.pk not in ballots or election.ballot_changeable]
    form = BallotForm(
        request.POST or None,
        election=election,
        organisations=organisations,
        candidates=candidates,
        initial={"organisation": waiting[0].pk} if waiting else None,
    )
    confirm = None
    if request.method == "POST" and election.state != S.VOTING:
        # The window closed (or has not opened) since the page was loaded: nothing is stored, and the
        # person is told why rather than shown a form without candidates.
        form.errors.clear()
        form.add_error(None, services.voting_refusal(election, arrived_at()))
    elif request.method == "POST" and form.is_valid():
        if request.POST.get("step") != "cast":
            chosen = [c for c in candidates if c.pk in form.cleaned_data["candidates"]]
            confirm = {"organisation": form.cleaned_data["organisation"], "candidates": chosen}
        else:
            try:
                ballot = services.ballot_cast(
                    actor=request.user,
                    election=election,
                    organisation=form.cleaned_data["organisation"],
                    candidate_ids=form.cleaned_data["candidates"],
                )
            except services.ElectionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "The ballot has been cast. Receipt code: %(code)s. Keep it to check, after the results, that the ballot was counted."
                    )
                    % {"code": ballot.receipt},
                )
                return redirect("elections:vote", slug=election.slug)
    return render(
        request,
        "elections/vote.html",
        {
            "election": election,
            "form": form,
            "confirm": confirm,
            "candidates": candidates,
            "organisations": organisations,
            "ballots": ballots,
            "waiting": waiting,
            "voting_over": timezone.now() >= election.voting_end,
        },
    )


def receipt_check(request, slug):
    election = _election(slug)
    _public(request, election)
    form = ReceiptForm(request.GET or None)
    ballot, checked = None, False
    if election.results_public and form.is_valid():
        ballot, checked = selectors.ballot_by_receipt(election, form.cleaned_data["kod"]), True
    return render(
        request, "elections/receipt.html", {"election": election, "form": form, "ballot": ballot, "checked": checked}
    )


def ballots(request, slug):
    election = _election(slug)
    if not election.results_public:
        raise Http404
    page = Paginator(selectors.counted_ballots(election), BALLOTS_PAGE_SIZE).get_page(request.GET.get("strona"))
    return render(request, "elections/ballots.html", {"election": election, "page": page})


def protest(request, slug):
    election = _election(slug)
    if (response := refusal(request, "elections.act_for_organisation", election)) is not None:
        return response
    form = ProtestForm(
        request.POST or None, organisations=selectors.acting_organisations(user=request.user, election=election)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.protest_submit(
                actor=request.user,
                election=election,
                organisation=form.cleaned_data["organisation"],
                text=form.cleaned_data["text"],
            )
        except services.ElectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The protest has been submitted to the election committee."))
            return redirect(election.get_absolute_url())
    return render(request, "elections/protest.html", {"election": election, "form": form})


def protocol(request, slug):
    election = _election(slug)
    if not election.results_public:
        if election.state != S.RESULTS:
            raise Http404
        if (response := refusal(request, "elections.act_as_committee", election)) is not None:
            return response
    context = {
        "election": election,
        "candidates": selectors.results(election),
        "turnout": selectors.turnout(election),
        "tie_break": TieBreak.objects.filter(election=election).first(),
        "protests": election.protests.select_related("organisation"),
        "draft": election.state == S.RESULTS,
    }
    return file_response(render_pdf("elections/protocol.html", context), f"protokol-{election.slug}.pdf", PDF_TYPE)
