"""A group's document and its versions: the document's page with its versions, a new version from a file or a
copy, a version's units with their comments, editing a unit of one's draft, the version's steps (propose,
accept, reject), a comment in the standard form, the comparison of two versions and sending to consultation."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.consultations.forms import WHOLE
from ngo_platform.core.drafting import units as unitlib
from ngo_platform.core.drafting.models import unit_wording
from ngo_platform.core.permissions import hidden_refusal, refusal
from ngo_platform.workgroups import selectors, services
from ngo_platform.workgroups.forms import (
    CompareForm,
    DecisionForm,
    UnitEditForm,
    VersionCommentForm,
    VersionFromForm,
    VersionUploadForm,
)
from ngo_platform.workgroups.models import DocumentVersion, GroupDocument, VersionUnit
from ngo_platform.workgroups.services import GroupError
from ngo_platform.workgroups.workflows import VERSION


def _document(pk) -> GroupDocument:
    try:
        return selectors.document_page(pk)
    except GroupDocument.DoesNotExist:
        raise Http404 from None


def _version(pk) -> DocumentVersion:
    try:
        return selectors.version_page(pk)
    except DocumentVersion.DoesNotExist:
        raise Http404 from None


def document_detail(request, pk):
    document = _document(pk)
    if (response := hidden_refusal(request, "workgroups.view_work", document.group)) is not None:
        return response
    versions = selectors.versions_of(document, request.user)
    numbered = sorted((version for version in versions if version.number), key=lambda version: version.number)
    compare = None
    if len(numbered) > 1:
        compare = CompareForm(
            versions=numbered, initial={"od": numbered[-2].number, "do": numbered[-1].number}, auto_id="porownaj_%s"
        )
    return render(
        request,
        "workgroups/document.html",
        {
            "document": document,
            "group": document.group,
            "versions": versions,
            "compare": compare,
            "may_propose": request.user.has_perm("workgroups.take_part", document.group),
        },
    )


def version_upload(request, pk):
    document = _document(pk)
    if (response := refusal(request, "workgroups.take_part", document.group)) is not None:
        return response
    form = VersionUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload:
            upload.seek(0)  # read by the form's parser
        try:
            version = services.version_from_text(
                actor=request.user,
                document=document,
                root=form.cleaned_data["root"],
                note=form.cleaned_data["note"],
                upload=upload,
            )
        except GroupError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("Your draft has been read. Check it, edit its units, then propose it."))
            return redirect(version)
    return render(
        request, "workgroups/version_upload.html", {"document": document, "group": document.group, "form": form}
    )


@require_POST
def version_copy(request, pk):
    base = _version(pk)
    if (response := refusal(request, "workgroups.take_part", base.document.group)) is not None:
        return response
    form = VersionFromForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect(base)
    try:
        version = services.version_from(actor=request.user, base=base, note=form.cleaned_data["note"])
    except GroupError as error:
        messages.error(request, str(error))
        return redirect(base)
    messages.success(
        request, _("Your draft starts as a copy of version %(number)s: edit its units.") % {"number": base.number}
    )
    return redirect(version)


def version_detail(request, pk, *, decision_form=None, status=200):
    version = _version(pk)
    if (response := hidden_refusal(request, "workgroups.view_version", version)) is not None:
        return response
    user = request.user
    units, whole = selectors.units_with_comments(version)
    steps = VERSION.available(version, user)
    if decision_form is None and any(step.name in ("accept", "reject") for step in steps):
        decision_form = DecisionForm(steps=[step for step in steps if step.name != "propose"])
    return render(
        request,
        "workgroups/version.html",
        {
            "version": version,
            "document": version.document,
            "group": version.document.group,
            "units": units,
            "whole": whole,
            "may_edit": user.has_perm("workgroups.edit_version", version),
            "may_propose": any(step.name == "propose" for step in steps),
            "decision_form": decision_form,
            "may_comment": user.has_perm("workgroups.comment_version", version),
            "copy_form": VersionFromForm()
            if not version.is_draft and user.has_perm("workgroups.take_part", version.document.group)
            else None,
            "may_send": user.has_perm("workgroups.send_to_consultation", version) and not version.consultation_id,
            "may_publish": _publishable(version)
            and user.has_perm("library.add_document", version.document.group.authority),
        },
        status=status,
    )


def _publishable(version: DocumentVersion) -> bool:
    """Accepted and not in the library yet."""
    try:
        version.library_revision  # noqa: B018 (read with the version)
    except ObjectDoesNotExist:
        return version.state == "accepted"
    return False


@require_POST
def version_step(request, pk):
    version = _version(pk)
    if (response := refusal(request)) is not None:
        return response
    name = request.POST.get("step", "")
    if name == "propose":
        try:
            services.version_step(actor=request.user, version=version, name="propose")
        except GroupError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The version has been proposed to the group."))
        return redirect(version)
    steps = [step for step in VERSION.available(version, request.user) if step.name != "propose"]
    form = DecisionForm(request.POST, steps=steps)
    if not form.is_valid():
        return version_detail(request, pk, decision_form=form, status=400)
    try:
        services.version_step(
            actor=request.user, version=version, name=form.cleaned_data["step"], note=form.cleaned_data["note"]
        )
    except GroupError as error:
        error.attach_to(form)
        return version_detail(request, pk, decision_form=form, status=400)
    messages.success(request, _("The decision has been recorded."))
    return redirect(version)


def unit_edit(request, pk):
    unit = get_object_or_404(VersionUnit.objects.select_related("version__document__group"), pk=pk)
    version = unit.version
    if (response := refusal(request, "workgroups.edit_version", version)) is not None:
        return response
    form = UnitEditForm(request.POST or None, initial={"title": unit.title, "text": unit.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_edit(
                actor=request.user, unit=unit, title=form.cleaned_data["title"], text=form.cleaned_data["text"]
            )
        except GroupError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The unit has been changed."))
            return redirect(f"{version.get_absolute_url()}#j{unit.position}")
    return render(
        request,
        "workgroups/unit_edit.html",
        {"unit": unit, "version": version, "document": version.document, "group": version.document.group, "form": form},
    )


def comment_create(request, pk):
    version = _version(pk)
    if (response := refusal(request, "workgroups.comment_version", version)) is not None:
        return response
    choice = request.GET.get("jednostka", WHOLE)
    unit = None
    if choice != WHOLE:
        if not choice.isdigit():
            raise Http404
        unit = get_object_or_404(VersionUnit, pk=int(choice), version=version)
    initial = {"current_wording": unit_wording(unit, VersionUnit.objects.filter(version_id=version.pk))} if unit else {}
    form = VersionCommentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_submit(actor=request.user, version=version, unit=unit, data=form.cleaned_data)
        except GroupError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("Your comment has been added."))
            anchor = f"#j{unit.position}" if unit else "#uwagi"
            return redirect(f"{version.get_absolute_url()}{anchor}")
    return render(
        request,
        "workgroups/comment_form.html",
        {"version": version, "document": version.document, "group": version.document.group, "unit": unit, "form": form},
    )


def compare(request, pk):
    document = _document(pk)
    if (response := hidden_refusal(request, "workgroups.view_work", document.group)) is not None:
        return response
    numbered = selectors.comparable_versions(document)
    form = CompareForm(request.GET, versions=numbered, auto_id="porownaj_%s")
    if not form.is_valid():
        raise Http404
    by_number = {version.number: version for version in numbered}
    old, new = by_number[form.cleaned_data["od"]], by_number[form.cleaned_data["do"]]
    rows = selectors.comparison(old, new)
    return render(
        request,
        "workgroups/compare.html",
        {
            "document": document,
            "group": document.group,
            "old": old,
            "new": new,
            "rows": rows,
            "summary": unitlib.summary(rows),
            "form": form,
        },
    )


def version_source(request, pk):
    version = _version(pk)
    if (response := hidden_refusal(request, "workgroups.view_version", version)) is not None:
        return response
    if not version.source:
        raise Http404
    response = FileResponse(version.source.open("rb"), as_attachment=True, filename=version.source_name)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def send_to_consultation(request, pk):
    version = _version(pk)
    if (response := refusal(request, "workgroups.send_to_consultation", version)) is not None:
        return response
    try:
        consultation = services.send_to_consultation(actor=request.user, version=version)
    except GroupError as error:
        messages.error(request, str(error))
        return redirect(version)
    messages.success(
        request,
        _("A consultation has been prepared with the units of version %(number)s. Check its terms and publish it.")
        % {"number": version.number},
    )
    return redirect(reverse("consultations:edit", kwargs={"pk": consultation.pk}))
