"""News pages: the public list (with its feeds in `community.feeds`), an item, writing and editing one, the steps
of its course, its image and attachments."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.community import selectors, services
from ngo_platform.community.forms import NewsAttachmentForm, NewsFilterForm, NewsForm
from ngo_platform.community.models import News, NewsAttachment
from ngo_platform.community.workflows import NEWS, NewsError
from ngo_platform.core.markdown import render_markdown
from ngo_platform.core.page_cache import cache_anonymous_page
from ngo_platform.core.permissions import refusal
from ngo_platform.core.workflow import perform
from ngo_platform.organisations.selectors import current_spheres
from ngo_platform.territory.models import TerritorialUnit, UnitLevel

PAGE_SIZE = 20


@cache_anonymous_page(selectors.NEWS_VERSION)
def news_list(request):
    form = NewsFilterForm(
        request.GET,
        authorities=list(selectors.authorities_with_news()),
        powiats=list(TerritorialUnit.objects.filter(level=UnitLevel.POWIAT).order_by("name")),
        spheres=list(current_spheres()),
    )
    filters = form.filters()
    page = Paginator(selectors.public_news(filters), PAGE_SIZE).get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    return render(
        request,
        "community/news_list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "may_write": request.user.is_authenticated and request.user.has_perm("community.write_news"),
        },
    )


def _viewed(request, pk) -> News:
    try:
        news = selectors.news_detail(pk)
    except News.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("community.view_news", news):
        raise Http404  # a draft does not exist for those who may not see it
    return news


def news_detail(request, pk):
    news = _viewed(request, pk)
    may_change = request.user.has_perm("community.change_news", news)
    return render(
        request,
        "community/news_detail.html",
        {
            "news": news,
            "body": render_markdown(news.body),
            "may_change": may_change,
            "steps": NEWS.available(news, request.user) if may_change else [],
        },
    )


def news_create(request):
    if (response := refusal(request, "community.write_news")) is not None:
        return response
    parties = selectors.writing_parties(request.user)
    if not parties:
        raise PermissionDenied
    form = NewsForm(request.POST or None, request.FILES or None, parties=parties)
    if request.method == "POST" and form.is_valid():
        news = services.news_create(actor=request.user, party=form.cleaned_data["party"], data=form.cleaned_data)
        messages.success(request, _("The news item has been saved as a draft. Check it, then publish it."))
        return redirect(news)
    return render(request, "community/news_edit.html", {"form": form})


def _changed(request, pk) -> News:
    news = get_object_or_404(News.objects.select_related("organisation", "authority"), pk=pk)
    if not request.user.has_perm("community.change_news", news):
        raise PermissionDenied
    return news


def news_edit(request, pk):
    if (response := refusal(request)) is not None:
        return response
    news = _changed(request, pk)
    form = NewsForm(request.POST or None, request.FILES or None, instance=news)
    attachment_form = NewsAttachmentForm()
    if request.method == "POST" and form.is_valid():
        try:
            news = services.news_update(actor=request.user, news=news, data=form.cleaned_data)
        except NewsError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The news item has been saved."))
            return redirect(news)
    return render(
        request,
        "community/news_edit.html",
        {"form": form, "news": news, "attachment_form": attachment_form, "attachments": news.attachments.all()},
    )


@require_POST
def news_attach(request, pk):
    if (response := refusal(request)) is not None:
        return response
    news = _changed(request, pk)
    attachment_form = NewsAttachmentForm(request.POST, request.FILES)
    if attachment_form.is_valid():
        data = attachment_form.cleaned_data
        services.news_attach(
            actor=request.user, news=news, title=data["title"], upload=data["file"], file_type=data["file_type"]
        )
        messages.success(request, _("The attachment has been added."))
        return redirect("community:news_edit", pk=news.pk)
    return render(
        request,
        "community/news_edit.html",
        {
            "form": NewsForm(instance=news),
            "news": news,
            "attachment_form": attachment_form,
            "attachments": news.attachments.all(),
        },
        status=400,
    )


@require_POST
def news_detach(request, pk, attachment_id):
    if (response := refusal(request)) is not None:
        return response
    news = _changed(request, pk)
    attachment = get_object_or_404(NewsAttachment, pk=attachment_id, news=news)
    services.news_attachment_remove(actor=request.user, attachment=attachment)
    messages.success(request, _("The attachment has been removed."))
    return redirect("community:news_edit", pk=news.pk)


@require_POST
def news_step(request, pk, step):
    if (response := refusal(request)) is not None:
        return response
    news = _changed(request, pk)
    try:
        transition = NEWS[step]
    except KeyError:
        raise Http404 from None
    try:
        perform(NEWS, news, transition.name, actor=request.user)
    except NewsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": transition.label})
    return redirect(news)


def news_image(request, pk):
    news = get_object_or_404(News.objects.only("pk", "image", "state", "organisation", "authority"), pk=pk)
    if not news.image or not request.user.has_perm("community.view_news", news):
        raise Http404
    try:
        handle = news.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=mimetypes.guess_type(news.image.name)[0] or "image/jpeg")
    response["Cache-Control"] = "public, max-age=3600" if news.is_public else "private, no-store"
    return response


def news_attachment(request, pk, attachment_id):
    news = _viewed(request, pk)
    attachment = get_object_or_404(NewsAttachment, pk=attachment_id, news=news)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=f"zalacznik-{attachment.pk}.{attachment.file_type}"
    )
