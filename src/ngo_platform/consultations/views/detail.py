"""A consultation's page, its comments and attachments; submitting, changing and withdrawing a comment."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ngo_platform.consultations import selectors, services
from ngo_platform.consultations.forms import RESIDENT, WHOLE, CommentForm
from ngo_platform.consultations.models import Attachment, Comment, DraftUnit
from ngo_platform.consultations.services import ConsultationError
from ngo_platform.consultations.views.common import COMMENTS_PAGE_SIZE, viewed_consultation
from ngo_platform.core.permissions import refusal
from ngo_platform.organisations.models import Organisation


def detail(request, pk):
    consultation = viewed_consultation(pk, request)
    comments_visible = request.user.has_perm("consultations.view_comments", consultation)
    context = selectors.consultation_page(
        consultation=consultation, user=request.user, comments_visible=comments_visible
    )
    context["comments_visible"] = comments_visible
    context["can_manage"] = request.user.has_perm("consultations.manage_consultation", consultation)
    context["can_comment"] = request.user.has_perm("consultations.comment", consultation)
    for comment in context["my_comments"]:
        comment.consultation = consultation  # read once, not once per comment
        comment.can_change = request.user.has_perm("consultations.change_comment", comment)
    context["minimum_days"] = services.minimum_days(consultation.authority)
    # Reversed once, not once per unit: a draft may have thousands of units.
    context["comment_url"] = reverse("consultations:comment", args=[consultation.pk])
    context["comments_url"] = reverse("consultations:comments", args=[consultation.pk])
    return render(request, "consultations/detail.html", context)


def comments(request, pk):
    consultation = viewed_consultation(pk, request)
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
    consultation = viewed_consultation(pk, request)
    attachment = get_object_or_404(Attachment, pk=attachment_id, consultation=consultation)
    extension = attachment.file_type
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=f"zalacznik-{attachment.pk}.{extension}"
    )


def _posted(request, field: str) -> bool:
    return request.method == "POST" and field in request.POST


def comment_create(request, pk):
    consultation = viewed_consultation(pk, request)
    # The form is offered while the rule allows commenting; a form posted too late (or too early) by someone who
    # may take part gets the service's reason, with what they typed, and nothing is saved.
    posted = _posted(request, "justification")
    perm = "consultations.take_part" if posted else "consultations.comment"
    if (response := refusal(request, perm, consultation)) is not None:
        return response
    in_time = request.user.has_perm("consultations.comment", consultation)
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
    if posted and not in_time:
        initial |= {name: request.POST.get(name, "") for name in CommentForm.base_fields if name != "unit"}
    form = CommentForm(
        request.POST if posted and in_time else None,
        initial=initial,
        units=units,
        organisations=organisations,
        allow_resident=allow_resident,
    )
    error = None if in_time else services.comments_refusal(consultation)
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
            except ConsultationError as problem:
                problem.attach_to(form)
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
            "can_comment": in_time,
            "error": error,
        },
    )


def _own_comment(request, comment_id):
    """The comment for its page: shown while the rule allows changing it; a form posted too late by one of the
    comment's own people goes to the service, which says why nothing was saved."""
    comment = get_object_or_404(
        Comment.objects.select_related("consultation", "consultation__authority", "organisation", "unit"), pk=comment_id
    )
    perm = "consultations.own_comment" if request.method == "POST" else "consultations.change_comment"
    if (response := refusal(request, perm, comment)) is not None:
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
