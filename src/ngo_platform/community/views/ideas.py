"""Ideas and needs: the list (sorted by support, newest or state, filtered) and its CSV export, an idea with its
supports and the official answers, posting one, supporting one, and the addressed authority's answer."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from ngo_platform.accounts.selectors import represented_organisations
from ngo_platform.community import selectors, services
from ngo_platform.community.forms import IdeaAnswerForm, IdeaFilterForm, IdeaForm, IdeaSupportForm
from ngo_platform.community.models import Idea, IdeaKind, IdeaState
from ngo_platform.community.workflows import IDEA, IdeaError
from ngo_platform.core import spreadsheets
from ngo_platform.core.documents import file_response
from ngo_platform.core.markdown import render_markdown
from ngo_platform.core.page_cache import cache_anonymous_page
from ngo_platform.core.permissions import refusal
from ngo_platform.core.spreadsheets import Column, Kind
from ngo_platform.notifications.selectors import follow_of
from ngo_platform.organisations.selectors import current_spheres

PAGE_SIZE = 20
EXPORT_LIMIT = 50_000


def _filter_form(request, *, with_choices=True) -> IdeaFilterForm:
    if not with_choices:
        return IdeaFilterForm(request.GET)
    return IdeaFilterForm(
        request.GET, authorities=list(selectors.authorities_with_ideas()), spheres=list(current_spheres())
    )


@cache_anonymous_page(selectors.IDEAS_VERSION)
def idea_list(request):
    form = _filter_form(request)
    filters = form.filters()
    page = Paginator(selectors.public_ideas(filters), PAGE_SIZE).get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    return render(
        request,
        "community/idea_list.html",
        {"form": form, "filters": filters, "page": page, "query": query.urlencode()},
    )


def _idea(pk) -> Idea:
    try:
        return selectors.idea_page(pk)
    except Idea.DoesNotExist:
        raise Http404 from None


def idea_detail(request, pk):
    idea = _idea(pk)
    return _detail(request, idea)


def _detail(request, idea, *, support_form=None, answer_form=None, status=200):
    user = request.user
    steps = IDEA.available(idea, user) if user.has_perm("community.answer_idea", idea) else []
    if support_form is None and user.has_perm("community.support_idea", idea):
        support_form = IdeaSupportForm(
            organisations=represented_organisations(user), given=selectors.supports_by(user, idea)
        )
    if answer_form is None and steps:
        answer_form = IdeaAnswerForm(steps=steps)
    return render(
        request,
        "community/idea_detail.html",
        {
            "idea": idea,
            "description": render_markdown(idea.description),
            "support_form": support_form,
            "answer_form": answer_form,
            "following": follow_of(user, idea) is not None,
        },
        status=status,
    )


def idea_create(request):
    if (response := refusal(request, "community.propose_idea")) is not None:
        return response
    form = IdeaForm(request.POST or None, organisations=represented_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        idea = services.idea_submit(
            actor=request.user, data=form.cleaned_data, organisation=form.cleaned_data["organisation"]
        )
        messages.success(request, _("Your idea has been posted. Others can support it now."))
        return redirect(idea)
    return render(request, "community/idea_edit.html", {"form": form})


@require_POST
def idea_support(request, pk):
    if (response := refusal(request)) is not None:
        return response
    idea = _idea(pk)
    form = IdeaSupportForm(
        request.POST,
        organisations=represented_organisations(request.user),
        given=selectors.supports_by(request.user, idea),
    )
    if not form.is_valid():
        return _detail(request, idea, support_form=form, status=400)
    try:
        given = services.idea_support(actor=request.user, idea=idea, organisation=form.cleaned_data["organisation"])
    except IdeaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you for your support.") if given else _("This support was already given."))
    return redirect(idea)


@require_POST
def idea_answer(request, pk):
    idea = _idea(pk)
    if (response := refusal(request, "community.answer_idea", idea)) is not None:
        return response
    form = IdeaAnswerForm(request.POST, steps=IDEA.available(idea, request.user))
    if form.is_valid():
        try:
            services.idea_answer(
                actor=request.user, idea=idea, step=form.cleaned_data["step"], text=form.cleaned_data["text"]
            )
        except IdeaError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The answer has been published and e-mailed to the author and the supporters."))
            return redirect(idea)
    return _detail(request, idea, answer_form=form, status=400)


IDEA_COLUMNS = [
    Column("id", pgettext_lazy("spreadsheet", "number of the idea"), lambda idea: idea.pk, Kind.INTEGER),
    Column("rodzaj", pgettext_lazy("spreadsheet", "idea or need"), lambda idea: idea.kind, Kind.CODE, IdeaKind),
    Column("tytul", pgettext_lazy("spreadsheet", "title"), lambda idea: idea.title),
    Column(
        "adresat",
        pgettext_lazy("spreadsheet", "the addressed local government (empty: the platform)"),
        lambda idea: idea.authority.name if idea.authority else "",
    ),
    Column(
        "sfera",
        pgettext_lazy("spreadsheet", "sphere of public tasks (number)"),
        lambda idea: idea.sphere.number if idea.sphere else "",
    ),
    Column("stan", pgettext_lazy("spreadsheet", "state"), lambda idea: idea.state, Kind.CODE, IdeaState),
    Column("poparcie", pgettext_lazy("spreadsheet", "number of supports"), lambda idea: idea.supporters, Kind.INTEGER),
    Column("zgloszono", pgettext_lazy("spreadsheet", "date posted"), lambda idea: idea.created_at, Kind.DATE),
    Column("adres", pgettext_lazy("spreadsheet", "address of its page"), lambda idea: idea.get_absolute_url()),
]


def idea_export(request):
    """The list, with its filters and order, as CSV (`?wariant=excel` for Polish Excel; docs/open-data.md)."""
    variant = spreadsheets.csv_variant(request.GET)
    if variant is None:
        raise Http404
    ideas = selectors.public_ideas(_filter_form(request, with_choices=False).filters())[:EXPORT_LIMIT]
    content = "".join(spreadsheets.csv_chunks(IDEA_COLUMNS, ideas.iterator(chunk_size=2000), variant))
    return file_response(
        content.encode("utf-8"), spreadsheets.csv_filename("pomysly", variant), "text/csv; charset=utf-8"
    )
