from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from ngo_platform.core import spreadsheets
from ngo_platform.core.page_cache import cache_anonymous_page
from ngo_platform.core.permissions import refusal
from ngo_platform.organisations import exports, krs, selectors, services
from ngo_platform.organisations.forms import (
    ClaimForm,
    DecisionForm,
    DirectoryFilterForm,
    InvitationForm,
    OrganisationEditForm,
    OrganisationRegistrationForm,
)
from ngo_platform.organisations.freshness import DIRECTORY, directory_version
from ngo_platform.organisations.models import (
    DirectoryExport,
    ExportState,
    Invitation,
    Organisation,
    VerificationRequest,
    VerificationState,
)
from ngo_platform.organisations.selectors import DirectoryFilters

PAGE_SIZE = 20


class CountedPaginator(Paginator):
    """A paginator told its total (cached by the selector) instead of counting again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


@cache_anonymous_page(DIRECTORY)
def directory(request):
    form = DirectoryFilterForm(request.GET)
    typed = form.filters()
    found = selectors.directory_search(typed)
    filters, summary = found.filters, found.summary
    organisations = selectors.directory_queryset(filters, broad=summary["broad"])
    paginator = CountedPaginator(organisations, PAGE_SIZE, count=summary["count"])
    page = paginator.get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    facets = selectors.directory_facets(filters, summary)
    for facet in facets:
        for option in facet.options:
            option.url = _toggle(request.GET, facet.name, option.value, option.selected)
    return render(
        request,
        "organisations/directory.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "facets": facets,
            "broad": summary.get("broad", False),
            "found": found,
            "typed": typed.q,
            "filtered": typed != DirectoryFilters(q=typed.q, sort=typed.sort),
            "suggestion_url": _with_query(request.GET, found.suggestion) if found.suggestion else "",
            "query": query.urlencode(),
        },
    )


def _toggle(params, name: str, value: str, selected: bool) -> str:
    """The directory URL with one facet value chosen (or, if it was chosen, removed); back to page 1.

    Called for every option of every facet (seventy or more per page): it builds the query string from
    the request's pairs directly rather than copying the QueryDict each time.
    """
    dropped = {"strona", name, "gmina"} if name == "powiat" else {"strona", name}
    pairs = [(key, item) for key, items in params.lists() if key not in dropped for item in items]
    if not selected:
        pairs.append((name, value))
    return "?" + urlencode(pairs) if pairs else "?"


def _with_query(params, q: str) -> str:
    """The directory URL with another query, the filters kept, back to page 1."""
    pairs = [(key, item) for key, items in params.lists() if key not in ("q", "strona") for item in items]
    return "?" + urlencode([("q", q), *pairs])


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# A filtered directory up to this size is built as XLSX while the person waits (about a second);
# a larger one by the worker, with a page that says when the file is ready.
XLSX_INLINE_LIMIT = 2000


def directory_export(request, fmt):
    """The filtered directory as a file; `eksport.csv?wariant=excel` is the CSV for Polish Excel."""
    if fmt not in EXPORT_TYPES:
        raise Http404
    variant = spreadsheets.csv_variant(request.GET) if fmt == "csv" else spreadsheets.CsvVariant.PLAIN
    if variant is None:
        raise Http404
    filters = DirectoryFilterForm(request.GET).filters()
    organisations = selectors.directory_queryset(filters)
    if fmt == "xlsx":
        summary = selectors.directory_summary(filters)
        if summary["broad"] or summary["count"] > XLSX_INLINE_LIMIT:
            export = services.directory_export_request(query=request.GET.urlencode(), version=directory_version())
            return redirect("organisations:export_status", key=export.key)
        response = HttpResponse(exports.as_xlsx(organisations), content_type=EXPORT_TYPES[fmt])
    else:
        stream = exports.as_csv(organisations, variant) if fmt == "csv" else exports.as_json(organisations)
        response = StreamingHttpResponse(stream, content_type=EXPORT_TYPES[fmt])
    filename = spreadsheets.csv_filename("organizacje", variant) if fmt == "csv" else f"organizacje.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_status(request, key):
    export = get_object_or_404(DirectoryExport, key=key)
    pending = export.state in (ExportState.QUEUED, ExportState.RUNNING)
    return render(request, "organisations/export_status.html", {"export": export, "pending": pending})


def export_file(request, key):
    export = get_object_or_404(DirectoryExport, key=key, state=ExportState.DONE)
    return FileResponse(
        export.file.open("rb"), as_attachment=True, filename="organizacje.xlsx", content_type=EXPORT_TYPES["xlsx"]
    )


def detail(request, slug):
    try:
        organisation = selectors.organisation_profile(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404 from None
    return render(request, "organisations/detail.html", {"organisation": organisation})


# --- Registration, verification, invitations ---------------------------------------------


# The name of the submit button "Fetch data from the KRS": the form comes back filled, nothing is saved.
KRS_FETCH = "krs_fetch"


def _krs_filled(request, form_class, **form_kwargs):
    """The posted form filled from the KRS entry of its KRS number, unsaved; or as posted, with the KRS's refusal.

    Returns the form and the page's context about the look-up."""
    data = request.POST.copy()
    try:
        entry = krs.fetch(data.get("krs", ""))
    except krs.KrsError as error:
        form = form_class(data, **form_kwargs).unvalidated()
        error.attach_to(form)
        return form, {"krs_error": error.message}
    values, notes = form_class.krs_values(entry)
    for name, value in values.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return form_class(data, **form_kwargs).unvalidated(), {"krs_entry": entry, "krs_notes": notes}


@login_required
def register(request):
    if request.method == "POST" and KRS_FETCH in request.POST:
        form, context = _krs_filled(request, OrganisationRegistrationForm)
        return render(request, "organisations/register.html", {"form": form, "krs_lookup": krs.enabled(), **context})
    form = OrganisationRegistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        verification = services.organisation_register(
            actor=request.user, data=data, evidence=form.cleaned_data["evidence"], note=form.cleaned_data["note"]
        )
        messages.success(
            request, _("Thank you. The organisation will be listed once your request is verified; we will e-mail you.")
        )
        return redirect("organisations:request_status", pk=verification.pk)
    return render(request, "organisations/register.html", {"form": form, "krs_lookup": krs.enabled()})


@login_required
def claim(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug, is_listed=True)
    form = ClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            verification = services.organisation_claim(
                actor=request.user,
                organisation=organisation,
                evidence=form.cleaned_data["evidence"],
                note=form.cleaned_data["note"],
            )
        except services.VerificationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your request has been sent for verification; we will e-mail you."))
            return redirect("organisations:request_status", pk=verification.pk)
    return render(request, "organisations/claim.html", {"form": form, "organisation": organisation})


@login_required
def request_status(request, pk):
    verification = get_object_or_404(
        VerificationRequest.objects.select_related("organisation"), pk=pk, applicant=request.user
    )
    return render(request, "organisations/request_status.html", {"verification": verification})


VERIFICATION_PAGE_SIZE = 30


def verification_list(request):
    if (response := refusal(request, None)) is not None:
        return response
    requests = selectors.verification_queue(user=request.user)
    if requests is None:
        raise PermissionDenied
    page = Paginator(requests, VERIFICATION_PAGE_SIZE).get_page(request.GET.get("strona"))
    return render(request, "organisations/verification_list.html", {"page": page})


def verification_detail(request, pk):
    verification = get_object_or_404(
        VerificationRequest.objects.select_related("organisation", "organisation__seat", "applicant", "decided_by"),
        pk=pk,
    )
    if (response := refusal(request, "organisations.verify_organisation", verification.organisation)) is not None:
        return response
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.verification_decide(
                actor=request.user,
                request=verification,
                approve=form.cleaned_data["decision"] == "verify",
                reason=form.cleaned_data["reason"],
            )
        except services.VerificationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Decision recorded; the applicant has been notified."))
            return redirect("organisations:verification_list")
    return render(
        request,
        "organisations/verification_detail.html",
        {"verification": verification, "form": form, "krs_check": _krs_check(verification)},
    )


def _krs_check(verification: VerificationRequest) -> dict | None:
    """For a pending request of an organisation in the KRS: its representation there, and whether the applicant's
    name is among its members (see `krs.member_match`)."""
    number = verification.organisation.krs
    if verification.state != VerificationState.PENDING or not number or not krs.enabled():
        return None
    try:
        entry = krs.fetch(number)
    except krs.KrsError as error:
        return {"error": error.message}
    members = krs.matching_members(verification.applicant.display_name, entry.representation.members)
    kinds = {kind for _member, kind in members}
    return {
        "entry": entry,
        "members": members,
        "match": "exact" if "exact" in kinds else "masked" if "masked" in kinds else None,
    }


def verification_evidence(request, pk):
    verification = get_object_or_404(VerificationRequest.objects.select_related("organisation"), pk=pk)
    if (
        request.user.pk != verification.applicant_id
        and (response := refusal(request, "organisations.verify_organisation", verification.organisation)) is not None
    ):
        return response
    if not verification.evidence:
        raise Http404
    response = FileResponse(
        verification.evidence.open("rb"), as_attachment=True, filename=verification.evidence.name.rsplit("/", 1)[-1]
    )
    response["Cache-Control"] = "private, no-store"
    return response


def logo(request, name):
    """An organisation's logo at the address `organisation.logo.url` gives (MEDIA_URL): streamed from the
    storage, whichever it is (with object storage nothing else answers MEDIA_URL). Logos of organisations
    not yet listed only to those who may edit them."""
    organisation = Organisation.objects.filter(logo=f"logos/{name}").only("pk", "logo", "is_listed").first()
    if organisation is None or not (
        organisation.is_listed or request.user.has_perm("organisations.change_organisation", organisation)
    ):
        raise Http404
    try:
        handle = organisation.logo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600" if organisation.is_listed else "private, no-store"
    return response


def members(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if (response := refusal(request, "organisations.invite_member", organisation)) is not None:
        return response
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_send(
                actor=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except services.VerificationError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("The invitation has been sent."))
            return redirect("organisations:members", slug=organisation.slug)
    return render(
        request,
        "organisations/members.html",
        {"organisation": organisation, "form": form, **selectors.organisation_members(organisation=organisation)},
    )


@login_required
def invitation_accept(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("organisation", "invited_by"), token=token)
    error = None
    if request.method == "POST":
        try:
            services.invitation_accept(actor=request.user, invitation=invitation)
        except services.VerificationError as problem:
            error = str(problem)
        else:
            messages.success(request, _("You now represent %(name)s.") % {"name": invitation.organisation.name})
            return redirect("accounts:profile")
    return render(request, "organisations/invitation.html", {"invitation": invitation, "error": error})


def edit(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if (response := refusal(request, "organisations.change_organisation", organisation)) is not None:
        return response
    if request.method == "POST" and KRS_FETCH in request.POST:
        form, context = _krs_filled(request, OrganisationEditForm, instance=organisation)
        return render(
            request,
            "organisations/edit.html",
            {"form": form, "organisation": organisation, "krs_lookup": krs.enabled(), **context},
        )
    form = OrganisationEditForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if form.cleaned_data["logo"] is not None:  # no new file: keep the current logo
            data["logo"] = form.cleaned_data["logo"]
        services.organisation_update(actor=request.user, organisation=organisation, data=data)
        messages.success(request, _("The organisation's data have been saved."))
        return redirect(organisation.get_absolute_url())
    return render(
        request, "organisations/edit.html", {"form": form, "organisation": organisation, "krs_lookup": krs.enabled()}
    )
