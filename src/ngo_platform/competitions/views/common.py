"""What the competitions' views share: finding the competition or the offer a page is about (with the
permission it needs), the steps of the offer form, the authorities a person acts for."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy

from ngo_platform.competitions import selectors
from ngo_platform.competitions.models import Competition, Offer
from ngo_platform.core.permissions import refusal
from ngo_platform.territory.models import Authority

PAGE_SIZE = 20

# The steps of the offer form: (slug, label). Sections of the template, in its order.
STEPS = [
    ("oferent", gettext_lazy("II. Applicant")),
    ("opis", gettext_lazy("III. The task")),
    ("dzialania", gettext_lazy("III. Actions and results")),
    ("zasoby", gettext_lazy("IV. Resources")),
    ("koszty", gettext_lazy("V.A Cost calculation")),
    ("zrodla", gettext_lazy("V.B–V.C Sources of financing")),
    ("inne", gettext_lazy("VI. Other information")),
    ("oswiadczenia", gettext_lazy("VII. Declarations")),
]
STEP_SLUGS = [slug for slug, _label in STEPS]

# The simplified offer of a small grant has no sections IV and VI (domain.md §B3).
SIMPLIFIED_STEPS = [(slug, label) for slug, label in STEPS if slug not in ("zasoby", "inne")]


def steps_of(offer):
    return SIMPLIFIED_STEPS if offer.is_small_grant else STEPS


def _steps(offer, current=None, problems=(), call=None):
    """Everything the stepper lists, in order: the steps of the form (all of them in a draft; while answering a
    call to complete, only the ones it opens), then the pages that follow them (attachments, partners and the
    summary in a draft; the attachments if the call opens them and the call itself while completing)."""
    with_problems = {p.step for p in problems}
    steps = [
        {
            "slug": slug,
            "label": label,
            "current": slug == current,
            "problem": slug in with_problems,
            "url": reverse("competitions:offer_step", kwargs={"pk": offer.pk, "step": slug}),
        }
        for slug, label in steps_of(offer)
        if call is None or slug in call.sections
    ]
    if call is not None:
        pages = [("zalaczniki", gettext_lazy("Attachments"), "competitions:offer_attachments")] * (
            "zalaczniki" in call.sections
        )
        pages.append(
            ("uzupelnienie", gettext_lazy("The call and sending the completion"), "competitions:offer_complete")
        )
    else:
        pages = [
            ("zalaczniki", gettext_lazy("Attachments"), "competitions:offer_attachments"),
            ("partnerzy", gettext_lazy("Partners (joint offer)"), "competitions:offer_partners"),
            ("podsumowanie", gettext_lazy("Summary and submission"), "competitions:offer"),
        ]
    steps += [
        {
            "slug": slug,
            "label": label,
            "current": slug == current,
            "problem": False,
            "url": reverse(name, args=[offer.pk]),
        }
        for slug, label, name in pages
    ]
    return steps


def _competition(request, slug) -> Competition:
    try:
        competition = selectors.competition_page(slug)
    except Competition.DoesNotExist:
        raise Http404 from None
    if not competition.is_public and not request.user.has_perm("competitions.manage_competition", competition):
        raise Http404
    return competition


def _manage(request, slug):
    """The competition and, when the person may not manage it, the response that refuses."""
    competition = _competition(request, slug)
    if (response := refusal(request, "competitions.manage_competition", competition)) is not None:
        return competition, response
    return competition, None


def _offer(request, pk, perm="competitions.view_offer", *, whole=True) -> Offer:
    """The offer if the person may (`perm`) act on it: `whole` with everything its page shows, else only the row
    with its competition, authority and organisation (a service that reads the rest itself, under its lock)."""
    try:
        if whole:
            offer = selectors.offer_page(pk)
        else:
            offer = Offer.objects.select_related("competition__authority", "organisation").get(pk=pk)
    except Offer.DoesNotExist:
        raise Http404 from None
    if not request.user.is_authenticated:
        return offer
    if not request.user.has_perm(perm, offer):
        raise PermissionDenied
    return offer


def _authorities_of(user):
    return (
        Authority.objects.all().order_by("name")
        if user.is_staff
        else Authority.objects.filter(memberships__user=user).order_by("name")
    )
