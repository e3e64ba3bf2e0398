"""Views of the consultations app: thin, asking the rules, calling selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.consultations import ical, selectors, services
from ngo_platform.consultations.forms import (
    RESIDENT,
    WHOLE,
    AnswerForm,
    AttachmentForm,
    CommentForm,
    ConsultationForm,
    DraftImportForm,
    FinalVersionForm,
    FollowForm,
    ListFilterForm,
    MeetingForm,
    PreferenceForm,
    UnitRelabelForm,
    UnitSplitForm,
)
from ngo_platform.consultations.models import (
    Attachment,
    Comment,
    Consultation,
    DraftUnit,
    Follow,
    Meeting,
    NotificationPreference,
)
from ngo_platform.consultations.services import ConsultationError
from ngo_platform.core.documents import DOCX_TYPE, PDF_TYPE
from ngo_platform.core.permissions import refusal
from ngo_platform.organisations.models import Organisation
from ngo_platform.organisations.selectors import current_spheres
from ngo_platform.territory.models import Authority, TerritorialUnit, UnitLevel

PAGE_SIZE = 20
COMMENTS_PAGE_SIZE = 50


def _posted_id(request) -> int:
    """The object id a form posted; a missing or non-numeric one is a 404, not a server error."""
    value = request.POST.get("id", "")
    if not value.isdigit():
        raise Http404
    return int(value)


def _consultation(pk: int, request, perm: str = "consultations.view_consultation") -> Consultation:
    try:
        consultation = selectors.consultation_for(pk)
    except Consultation.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("consultations.view_consultation", consultation):
        raise Http404
    return services.consultation_advance_due(consultation)


def _managed(pk: int, request):
    """(consultation, None) for its officers; (None, response) otherwise."""
    consultation = _consultation(pk, request)
    if (response := refusal(request, "consultations.manage_consultation", consultation)) is not None:
        return None, response
    return consultation, None


# --- Public pages ----------------------------------------------------------------------------


def consultation_list(request):
    authorities = list(selectors.authorities_with_consultations().select_related("unit"))
    powiats = list(TerritorialUnit.objects.filter(level=UnitLevel.POWIAT).order_by("name"))
    spheres = list(current_spheres())
    form = ListFilterForm(request.GET, authorities=authorities, powiats=powiats, spheres=spheres)
    filters = form.filters()
    page = Paginator(selectors.public_consultations(filters), PAGE_SIZE).get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    return render(
        request,
        "consultations/list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
        },
    )


def detail(request, pk):
    consultation = _consultation(pk, request)
    comments_visible = request.user.has_perm("consultations.view_comments", consultation)
    context = selectors.consultation_page(
        consultation=consultation, user=request.user, comments_visible=comments_visible
    )
    context["comments_visible"] = comments_visible
    context["can_manage"] = request.user.has_perm("consultations.manage_consultation", consultation)
    context["can_comment"] = request.user.has_perm("consultations.comment", consultation)
    context["minimum_days"] = services.minimum_days(consultation.authority)
    # Reversed once, not once per unit: a draft may have thousands of units.
    context["comment_url"] = reverse("consultations:comment", args=[consultation.pk])
    context["comments_url"] = reverse("consultations:comments", args=[consultation.pk])
    return render(request, "consultations/detail.html", context)


def comments(request, pk):
    consultation = _consultation(pk, request)
    if not request.user.has_perm("consultations.view_comments", consultation):
        raise Http404
    unit = None
    unit_id = request.GET.get("jednostka", "")
    if unit_id.isdigit():
        unit = get_object_or_404(DraftUnit, pk=unit_id, consultation=consultation)
    comments = selectors.comments_list(consultation=consultation, unit=unit, whole=unit_id == WHOLE)
    page = Paginator(comments, COMMENTS_PAGE_SIZE).get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    return render(
        request,
        "consultations/comments.html",
        {
            "consultation": consultation,
            "unit": unit,
            "whole": unit_id == WHOLE,
            "page": page,
            "query": query.urlencode(),
        },
    )


def attachment_download(request, pk, attachment_id):
    consultation = _consultation(pk, request)
    attachment = get_object_or_404(Attachment, pk=attachment_id, consultation=consultation)
    extension = attachment.file_type
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=f"zalacznik-{attachment.pk}.{extension}"
    )


def report_download(request, pk, fmt):
    consultation = _consultation(pk, request)
    if not consultation.report_published:
        raise Http404
    field = {"pdf": consultation.report_pdf, "docx": consultation.report_docx}.get(fmt)
    if not field:
        raise Http404
    content_type = PDF_TYPE if fmt == "pdf" else DOCX_TYPE
    return FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=f"raport-konsultacji-{consultation.pk}.{fmt}",
        content_type=content_type,
    )


def changes(request, pk):
    consultation = _consultation(pk, request)
    if not consultation.final_attached_at:
        raise Http404
    rows = selectors.changes(consultation)
    summary = {
        status: sum(1 for r in rows if r["status"] == status) for status in ("same", "changed", "removed", "added")
    }
    return render(
        request, "consultations/changes.html", {"consultation": consultation, "rows": rows, "summary": summary}
    )


def calendar(request, pk=None):
    if pk is not None:
        consultations = [_consultation(pk, request)]
    else:
        filters = ListFilterForm(request.GET).filters()
        consultations = list(selectors.public_consultations(filters)[:500])
    meetings = list(Meeting.objects.filter(consultation__in=[c.pk for c in consultations]).order_by("starts_at"))
    body = ical.calendar(consultations, meetings, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="konsultacje.ics"'
    return response


# --- Officers: creating and preparing --------------------------------------------------------


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
    consultation, response = _managed(pk, request)
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
    consultation, response = _managed(pk, request)
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
    from ngo_platform.consultations import units as unitlib

    for unit in units:
        unit.heading = unitlib.heading(unit)
    return render(request, "consultations/draft.html", {"consultation": consultation, "form": form, "units": units})


def unit_correct(request, pk, unit_id):
    consultation, response = _managed(pk, request)
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
    consultation, response = _managed(pk, request)
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
                meeting = get_object_or_404(Meeting, pk=_posted_id(request), consultation=consultation)
                services.meeting_remove(actor=request.user, meeting=meeting)
                messages.success(request, _("The meeting has been removed."))
                return redirect("consultations:files", pk=pk)
            if kind == "remove_attachment":
                attachment = get_object_or_404(Attachment, pk=_posted_id(request), consultation=consultation)
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
    consultation, response = _managed(pk, request)
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


# --- Comments --------------------------------------------------------------------------------


def comment_create(request, pk):
    consultation = _consultation(pk, request)
    if (response := refusal(request, "consultations.comment", consultation)) is not None:
        return response
    units = list(
        consultation.units.order_by("position").only(
            "id", "citation", "label", "title", "kind", "consultation_id", "position", "depth", "text"
        )
    )
    organisations = list(Organisation.objects.filter(memberships__user=request.user).order_by("name"))
    allow_resident = request.user.has_perm("consultations.comment_as_resident", consultation)
    chosen = request.POST.get("unit") or request.GET.get("jednostka") or WHOLE
    unit = next((u for u in units if str(u.pk) == chosen), None)
    initial = {"unit": str(unit.pk) if unit else WHOLE}
    if unit is not None:
        initial["current_wording"] = services.unit_wording(unit)
    form = CommentForm(
        request.POST if request.method == "POST" and "justification" in request.POST else None,
        initial=initial,
        units=units,
        organisations=organisations,
        allow_resident=allow_resident,
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        organisation = next((o for o in organisations if str(o.pk) == data["on_behalf"]), None)
        if data["on_behalf"] != RESIDENT and organisation is None:
            form.add_error("on_behalf", _("Choose who submits the comment."))
        else:
            try:
                services.comment_submit(
                    actor=request.user,
                    consultation=consultation,
                    unit=unit,
                    organisation=organisation,
                    current_wording=data["current_wording"],
                    proposed_wording=data["proposed_wording"],
                    justification=data["justification"],
                )
            except ConsultationError as error:
                error.attach_to(form)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: your comment has been submitted. You can change or withdraw it until the end of the consultation."
                    ),
                )
                return redirect(reverse("consultations:detail", kwargs={"pk": pk}) + "#moje-uwagi")
    return render(
        request,
        "consultations/comment_form.html",
        {
            "consultation": consultation,
            "form": form,
            "unit": unit,
            "can_comment": True,
        },
    )


def _own_comment(request, comment_id):
    comment = get_object_or_404(
        Comment.objects.select_related("consultation", "consultation__authority", "organisation", "unit"), pk=comment_id
    )
    if (response := refusal(request, "consultations.change_comment", comment)) is not None:
        return comment, response
    return comment, None


def comment_edit(request, comment_id):
    comment, response = _own_comment(request, comment_id)
    if response is not None:
        return response
    form = CommentForm(
        request.POST or None,
        fixed_author=True,
        initial={
            "current_wording": comment.current_wording,
            "proposed_wording": comment.proposed_wording,
            "justification": comment.justification,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_update(actor=request.user, comment=comment, **form.cleaned_data)
        except ConsultationError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("Your comment has been changed."))
            return redirect(reverse("consultations:detail", kwargs={"pk": comment.consultation_id}) + "#moje-uwagi")
    return render(
        request,
        "consultations/comment_form.html",
        {
            "consultation": comment.consultation,
            "form": form,
            "comment": comment,
            "unit": comment.unit,
        },
    )


def comment_withdraw(request, comment_id):
    comment, response = _own_comment(request, comment_id)
    if response is not None:
        return response
    error = None
    if request.method == "POST":
        try:
            services.comment_withdraw(actor=request.user, comment=comment)
        except ConsultationError as problem:
            error = str(problem)
        else:
            messages.success(request, _("Your comment has been withdrawn."))
            return redirect(reverse("consultations:detail", kwargs={"pk": comment.consultation_id}) + "#moje-uwagi")
    return render(
        request,
        "consultations/comment_withdraw.html",
        {"comment": comment, "consultation": comment.consultation, "error": error},
    )


# --- Answers, report, adopted text -----------------------------------------------------------


def answers(request, pk):
    consultation, response = _managed(pk, request)
    if response is not None:
        return response
    show_all = request.GET.get("wszystkie") == "1"
    groups = selectors.answer_groups(consultation=consultation, only_unanswered=not show_all)
    page = Paginator(groups, 25).get_page(request.GET.get("strona"))
    choices = [(str(c.pk), str(c.pk)) for group in page.object_list for c in group]
    if request.method == "POST":
        choices = [(value, value) for value in request.POST.getlist("comments")]
    form = AnswerForm(request.POST or None, comment_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.comments_answer(
                actor=request.user,
                consultation=consultation,
                comment_ids=[int(v) for v in form.cleaned_data["comments"]],
                position=form.cleaned_data["position"],
                justification=form.cleaned_data["justification"],
            )
        except ConsultationError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("Answer saved for %(count)s comment(s).") % {"count": count})
            return redirect(request.get_full_path())
    answered, total = selectors.answer_progress(consultation)
    return render(
        request,
        "consultations/answers.html",
        {
            "consultation": consultation,
            "page": page,
            "form": form,
            "answered": answered,
            "total": total,
            "show_all": show_all,
            "selected": set(request.POST.getlist("comments")),
            "query": "wszystkie=1" if show_all else "",
        },
    )


@require_POST
def report_publish(request, pk):
    consultation, response = _managed(pk, request)
    if response is not None:
        return response
    try:
        services.report_publish(actor=request.user, consultation=consultation)
    except ConsultationError as error:
        messages.error(request, str(error))
        return redirect("consultations:answers", pk=pk)
    messages.success(request, _("The report has been published."))
    return redirect(consultation)


def final_version(request, pk):
    consultation, response = _managed(pk, request)
    if response is not None:
        return response
    form = FinalVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.final_version_attach(
                actor=request.user,
                consultation=consultation,
                root=form.cleaned_data["root"],
                text=form.cleaned_data["plain"],
                note=form.cleaned_data["note"],
            )
        except ConsultationError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The adopted text has been attached."))
            return redirect("consultations:changes", pk=pk)
    return render(request, "consultations/final.html", {"consultation": consultation, "form": form})


# --- Following -------------------------------------------------------------------------------


@login_required
def follows(request):
    form = FollowForm(request.POST if request.POST.get("form") == "follow" else None)
    preference, _created = NotificationPreference.objects.get_or_create(user=request.user)
    preference_form = PreferenceForm(
        request.POST if request.POST.get("form") == "preference" else None,
        initial={"email_enabled": preference.email_enabled, "daily_digest": preference.daily_digest},
    )
    if request.method == "POST":
        kind = request.POST.get("form")
        if kind == "follow" and form.is_valid():
            services.follow_add(actor=request.user, **{k: v for k, v in form.cleaned_data.items() if v})
            messages.success(request, _("You now follow it: we will e-mail you about its consultations."))
            return redirect("consultations:follows")
        if kind == "preference" and preference_form.is_valid():
            services.preference_set(actor=request.user, **preference_form.cleaned_data)
            messages.success(request, _("Your e-mail preferences have been saved."))
            return redirect("consultations:follows")
        if kind == "remove":
            follow = get_object_or_404(Follow, pk=_posted_id(request), user=request.user)
            services.follow_remove(actor=request.user, follow=follow)
            messages.success(request, _("You no longer follow it."))
            return redirect("consultations:follows")
    return render(
        request,
        "consultations/follows.html",
        {
            "form": form,
            "preference_form": preference_form,
            "follows": selectors.follows_of(request.user),
        },
    )


@require_POST
def follow_authority(request, pk):
    consultation = _consultation(pk, request)
    if (response := refusal(request, "consultations.follow")) is not None:
        return response
    services.follow_add(actor=request.user, authority=consultation.authority)
    messages.success(
        request,
        _("You now follow %(name)s: we will e-mail you about its consultations.")
        % {"name": consultation.authority.name},
    )
    return redirect(consultation)
