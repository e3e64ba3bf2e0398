"""The library's pages: the list with search and filters, a document with its versions and downloads, adding a
document or a version (officers), changing its description, publishing a working group's version, the feed."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from ngo_platform.accounts.selectors import officer_authorities
from ngo_platform.core.page_cache import cache_anonymous_page
from ngo_platform.core.permissions import refusal
from ngo_platform.core.text import slugify_pl
from ngo_platform.library import selectors, services
from ngo_platform.library.forms import DocumentForm, FileForm, FilterForm, NewDocumentForm, PublishForm
from ngo_platform.library.models import LibraryDocument
from ngo_platform.library.services import LibraryError
from ngo_platform.organisations.selectors import current_spheres
from ngo_platform.territory.models import Authority

PAGE_SIZE = 20
FORMATS = ("original", "pdf")


@cache_anonymous_page(selectors.LIBRARY_VERSION)
def document_list(request):
    form = FilterForm(
        request.GET,
        authorities=list(selectors.authorities_with_documents()),
        spheres=list(current_spheres()),
        years=selectors.years(),
        tags=list(selectors.tags_in_use()),
    )
    filters = form.filters()
    page = Paginator(selectors.public_documents(filters), PAGE_SIZE).get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    authorities = officer_authorities(request.user)
    return render(
        request,
        "library/list.html",
        {"form": form, "filters": filters, "page": page, "query": query.urlencode(), "authorities": authorities},
    )


def _document(pk) -> LibraryDocument:
    try:
        return selectors.document_page(pk)
    except LibraryDocument.DoesNotExist:
        raise Http404 from None


def document_detail(request, pk):
    document = _document(pk)
    return render(
        request,
        "library/detail.html",
        {
            "document": document,
            "revisions": selectors.revisions_of(document),
            "may_change": request.user.has_perm("library.change_document", document),
        },
    )


def download(request, pk, number, kind):
    if kind not in FORMATS:
        raise Http404
    revision = get_object_or_404(selectors.revision(pk, number))
    stored = revision.original if kind == "original" else revision.pdf
    if not stored:
        raise Http404
    extension = revision.original_type if kind == "original" else "pdf"
    name = get_valid_filename(f"{slugify_pl(revision.document.title)[:80]}-{revision.number}.{extension}")
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name)


def document_add(request, authority):
    authority = get_object_or_404(Authority, slug=authority)
    if (response := refusal(request, "library.add_document", authority)) is not None:
        return response
    form = NewDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        document = services.document_add(
            actor=request.user, authority=authority, data=form.cleaned_data, upload=upload, file_type=upload.file_type
        )
        messages.success(request, _("The document has been published in the library."))
        return redirect(document)
    return render(request, "library/edit.html", {"form": form, "authority": authority})


def document_edit(request, pk):
    document = _document(pk)
    if (response := refusal(request, "library.change_document", document)) is not None:
        return response
    form = DocumentForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        services.document_update(actor=request.user, document=document, data=form.cleaned_data)
        messages.success(request, _("The changes have been saved."))
        return redirect(document)
    return render(request, "library/edit.html", {"form": form, "document": document})


def revision_add(request, pk):
    document = _document(pk)
    if (response := refusal(request, "library.change_document", document)) is not None:
        return response
    form = FileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        services.revision_add(
            actor=request.user, document=document, upload=upload, file_type=upload.file_type,
            note=form.cleaned_data["note"],
        )  # fmt: skip
        messages.success(request, _("The new version is the current one now."))
        return redirect(document)
    return render(request, "library/revision.html", {"form": form, "document": document})


def publish_version(request, pk):
    from ngo_platform.workgroups.models import DocumentVersion
    from ngo_platform.workgroups.selectors import version_page

    try:
        version = version_page(pk)
    except DocumentVersion.DoesNotExist:
        raise Http404 from None
    if (response := refusal(request, "library.add_document", version.document.group.authority)) is not None:
        return response
    existing = LibraryDocument.objects.filter(group_document=version.document).first()
    form = PublishForm(request.POST or None)
    if request.method == "POST" and (existing is not None or form.is_valid()):
        try:
            document = services.publish_version(
                actor=request.user, version=version, data=form.cleaned_data if existing is None else {}
            )
        except LibraryError as error:
            messages.error(request, str(error))
            return redirect(version)
        messages.success(request, _("The version has been published in the library."))
        return redirect(document)
    return render(request, "library/publish.html", {"form": form, "version": version, "existing": existing})
