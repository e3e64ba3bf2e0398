"""The officers' management: their consultations, creating and editing one, importing and correcting the draft,
attachments and meetings, and the steps of its course."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.consultations import selectors, services
from ngo_platform.consultations.forms import (
    AttachmentForm,
    ConsultationForm,
    DraftImportForm,
    MeetingForm,
    UnitRelabelForm,
    UnitSplitForm,
)
from ngo_platform.consultations.models import Attachment, Consultation, DraftUnit, Meeting
from ngo_platform.consultations.services import ConsultationError
from ngo_platform.consultations.views.common import managed_consultation
from ngo_platform.core.drafting import units as unitlib
from ngo_platform.core.permissions import posted_id, refusal
from ngo_platform.territory.models import Authority


def officer_home(request):
    if (response := refusal(request)) is not None:
        return response
    groups = selectors.officer_consultations(request.user)
    if not groups:
        raise PermissionDenied
    return render(request, "consultations/officer.html", {"groups": groups})


def create(request, authority):
    authority = get_object_or_404(Authority, slug=authority)
    if (response := refusal(request, "consultations.add_consultation", authority)) is not None:
        return response
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_create(actor=request.user, authority=authority, data=form.cleaned_data)
        except ConsultationError as error:
            error.attach_to(form)
        else:
            messages.success(
                request, _("The consultation has been created as a draft. Now import the text of the draft.")
            )
            return redirect("consultations:draft", pk=consultation.pk)
    return render(
        request,
        "consultations/edit.html",
        {
            "form": form,
            "authority": authority,
            "minimum_days": services.minimum_days(authority),
        },
    )


def edit(request, pk):
    consultation, response = managed_consultation(pk, request)
    if response is not None:
        return response
    form = ConsultationForm(request.POST or None, instance=consultation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            consultation = services.consultation_update(
                actor=request.user, consultation=Consultation.objects.get(pk=consultation.pk), data=data
            )
        except ConsultationError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The consultation's data have been saved."))
            return redirect(consultation)
    return render(
        request,
        "consultations/edit.html",
        {
            "form": form,
            "consultation": consultation,
            "authority": consultation.authority,
            "minimum_days": services.minimum_days(consultation.authority),
        },
    )


def draft(request, pk):
    """Import the draft and preview its units (officers, before opening)."""
    consultation, response = managed_consultation(pk, request)
    if response is not None:
        return response
    form = DraftImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.draft_import(
                actor=request.user,
                consultation=consultation,
                root=form.cleaned_data["root"],
                source=form.cleaned_data["source"],
            )
        except ConsultationError as error:
            error.attach_to(form)
        else:
            messages.success(
                request, _("The draft has been imported: %(count)s units. Check them below.") % {"count": count}
            )
            return redirect("consultations:draft", pk=consultation.pk)
    units = list(consultation.units.order_by("position"))
    for unit in units:
        unit.heading = unitlib.heading(unit)
    return render(request, "consultations/draft.html", {"consultation": consultation, "form": form, "units": units})


def unit_correct(request, pk, unit_id):
    consultation, response = managed_consultation(pk, request)
    if response is not None:
        return response
    unit = get_object_or_404(DraftUnit, pk=unit_id, consultation=consultation)
    action = request.POST.get("action", "")
    relabel = UnitRelabelForm(
        request.POST if action == "relabel" else None,
        initial={"label": unit.label, "title": unit.title, "text": unit.text},
        prefix="relabel",
    )
    split = UnitSplitForm(request.POST if action == "split" else None, unit=unit, prefix="split")
    if request.method == "POST":
        try:
            if action == "relabel" and relabel.is_valid():
                services.unit_relabel(actor=request.user, unit=unit, **relabel.cleaned_data)
                messages.success(request, _("The unit has been corrected."))
                return redirect(reverse("consultations:draft", kwargs={"pk": pk}) + f"#j-{unit.pk}")
            if action == "split" and split.is_valid():
                new = services.unit_split(
                    actor=request.user, unit=unit, at=split.cleaned_data["at"], label=split.cleaned_data["new_label"]
                )
                messages.success(request, _("The unit has been split."))
                return redirect(reverse("consultations:draft", kwargs={"pk": pk}) + f"#j-{new.pk}")
            if action == "merge":
                target = services.unit_merge_previous(actor=request.user, unit=unit)
                messages.success(request, _("The unit has been merged with the previous one."))
                return redirect(reverse("consultations:draft", kwargs={"pk": pk}) + f"#j-{target.pk}")
        except ConsultationError as error:
            error.attach_to(split if action == "split" else relabel)
    return render(
        request,
        "consultations/unit.html",
        {
            "consultation": consultation,
            "unit": unit,
            "relabel": relabel,
            "split": split,
        },
    )


def files(request, pk):
    """Attachments and meetings (officers, until closing)."""
    consultation, response = managed_consultation(pk, request)
    if response is not None:
        return response
    kind = request.POST.get("form", "")
    attachment_form = AttachmentForm(
        request.POST if kind == "attachment" else None,
        request.FILES if kind == "attachment" else None,
        prefix="attachment",
    )
    meeting_form = MeetingForm(request.POST if kind == "meeting" else None, prefix="meeting")
    if request.method == "POST":
        try:
            if kind == "attachment" and attachment_form.is_valid():
                data = attachment_form.cleaned_data
                services.attachment_add(
                    actor=request.user,
                    consultation=consultation,
                    title=data["title"],
                    upload=data["file"],
                    file_type=data["file_type"],
                )
                messages.success(request, _("The attachment has been added."))
                return redirect("consultations:files", pk=pk)
            if kind == "meeting" and meeting_form.is_valid():
                services.meeting_add(actor=request.user, consultation=consultation, **meeting_form.cleaned_data)
                messages.success(request, _("The meeting has been added."))
                return redirect("consultations:files", pk=pk)
            if kind == "remove_meeting":
                meeting = get_object_or_404(Meeting, pk=posted_id(request), consultation=consultation)
                services.meeting_remove(actor=request.user, meeting=meeting)
                messages.success(request, _("The meeting has been removed."))
                return redirect("consultations:files", pk=pk)
            if kind == "remove_attachment":
                attachment = get_object_or_404(Attachment, pk=posted_id(request), consultation=consultation)
                services.attachment_remove(actor=request.user, attachment=attachment)
                messages.success(request, _("The attachment has been removed."))
                return redirect("consultations:files", pk=pk)
        except ConsultationError as error:
            messages.error(request, str(error))
            return redirect("consultations:files", pk=pk)
    return render(
        request,
        "consultations/files.html",
        {
            "consultation": consultation,
            "attachment_form": attachment_form,
            "meeting_form": meeting_form,
            "attachments": list(consultation.attachments.all()),
            "meetings": list(consultation.meetings.all()),
        },
    )


STATE_ACTIONS = {
    "publikuj": (services.consultation_schedule, _("The consultation has been published.")),
    "wycofaj": (services.consultation_unschedule, _("The consultation is a draft again.")),
    "otworz": (services.consultation_open, _("The consultation is open.")),
    "zamknij": (services.consultation_close, _("The consultation is closed. Now answer every comment.")),
    "archiwizuj": (services.consultation_archive, _("The consultation has been archived.")),
}


@require_POST
def state_change(request, pk, action):
    consultation, response = managed_consultation(pk, request)
    if response is not None:
        return response
    if action not in STATE_ACTIONS:
        raise Http404
    service, message = STATE_ACTIONS[action]
    try:
        service(actor=request.user, consultation=consultation)
    except ConsultationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect(consultation)
