"""The groups: the list, a group's page, setting one up and changing it, invitations and their acceptance,
members, meetings and their minutes."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.accounts.selectors import officer_authorities
from ngo_platform.core.permissions import hidden_refusal, refusal
from ngo_platform.territory.models import Authority
from ngo_platform.workgroups import selectors, services
from ngo_platform.workgroups.forms import (
    DocumentForm,
    GroupCreateForm,
    GroupForm,
    InvitationForm,
    MeetingForm,
    MinutesForm,
)
from ngo_platform.workgroups.models import GroupInvitation, GroupMeeting, GroupMember, WorkingGroup
from ngo_platform.workgroups.services import GroupError


def _group(pk) -> WorkingGroup:
    try:
        return selectors.group_page(pk)
    except WorkingGroup.DoesNotExist:
        raise Http404 from None


def group_list(request):
    return render(
        request,
        "workgroups/list.html",
        {"groups": selectors.groups(), "authorities": officer_authorities(request.user)},
    )


def group_detail(request, pk):
    group = _group(pk)
    user = request.user
    may_see_work = user.has_perm("workgroups.view_work", group)
    return render(
        request,
        "workgroups/detail.html",
        {
            "group": group,
            "members": selectors.members_of(group),
            "meetings": selectors.meetings_of(group),
            "documents": selectors.documents_of(group) if may_see_work else [],
            "may_see_work": may_see_work,
            "may_manage": user.has_perm("workgroups.manage_group", group),
            "is_member": user.has_perm("workgroups.take_part", group),
        },
    )


def group_create(request, authority):
    authority = get_object_or_404(Authority, slug=authority)
    if (response := refusal(request, "workgroups.add_group", authority)) is not None:
        return response
    form = GroupCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.group_create(
                actor=request.user,
                authority=authority,
                coordinator=data["coordinator_email"] or request.user,
                data=data,
            )
        except GroupError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The working group has been set up. Invite its members now."))
            return redirect(group)
    return render(request, "workgroups/edit.html", {"form": form, "authority": authority})


def group_edit(request, pk):
    group = _group(pk)
    if (response := refusal(request, "workgroups.manage_group", group)) is not None:
        return response
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(actor=request.user, group=group, data=form.cleaned_data)
        except GroupError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(group)
    return render(request, "workgroups/edit.html", {"form": form, "group": group})


def invitations(request, pk):
    group = _group(pk)
    if (response := refusal(request, "workgroups.manage_group", group)) is not None:
        return response
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_send(
                actor=request.user,
                group=group,
                email=form.cleaned_data["email"],
                organisation=form.cleaned_data["organisation"],
            )
        except GroupError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The invitation has been sent."))
            return redirect("workgroups:invitations", pk=group.pk)
    return render(
        request,
        "workgroups/invitations.html",
        {
            "group": group,
            "form": form,
            "pending": selectors.pending_invitations(group),
            "days": services.groups.INVITATION_DAYS,
        },
    )


def invitation_accept(request, token):
    invitation = get_object_or_404(
        GroupInvitation.objects.select_related("group__authority", "organisation", "invited_by"), token=token
    )
    error = None
    if request.method == "POST":
        if (response := refusal(request)) is not None:
            return response
        try:
            services.invitation_accept(actor=request.user, invitation=invitation)
        except GroupError as problem:
            error = str(problem)
        else:
            messages.success(request, _("You are now a member of %(name)s.") % {"name": invitation.group.name})
            return redirect(invitation.group)
    return render(request, "workgroups/invitation.html", {"invitation": invitation, "error": error})


@require_POST
def member_remove(request, pk):
    member = get_object_or_404(GroupMember.objects.select_related("group__authority", "user"), pk=pk)
    if (response := refusal(request)) is not None:
        return response
    try:
        services.member_remove(actor=request.user, member=member)
    except GroupError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(name)s is no longer a member.") % {"name": member.user.display_name or member.user}
        )
    return redirect(member.group)


def meeting_add(request, pk):
    group = _group(pk)
    if (response := refusal(request, "workgroups.manage_group", group)) is not None:
        return response
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_add(actor=request.user, group=group, data=form.cleaned_data)
        except GroupError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The meeting has been added to the group's page and the calendar."))
            return redirect(group)
    return render(request, "workgroups/meeting_edit.html", {"group": group, "form": form})


def _meeting(pk) -> GroupMeeting:
    return get_object_or_404(GroupMeeting.objects.select_related("group__authority"), pk=pk)


def minutes_attach(request, pk):
    meeting = _meeting(pk)
    if (response := refusal(request, "workgroups.manage_group", meeting.group)) is not None:
        return response
    form = MinutesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_attach(
                actor=request.user,
                meeting=meeting,
                upload=form.cleaned_data["file"],
                file_type=form.cleaned_data["file"].file_type,
            )
        except GroupError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The minutes have been attached."))
            return redirect(meeting.group)
    return render(request, "workgroups/minutes.html", {"meeting": meeting, "group": meeting.group, "form": form})


def minutes_download(request, pk):
    meeting = _meeting(pk)
    if (response := hidden_refusal(request, "workgroups.view_work", meeting.group)) is not None:
        return response
    if not meeting.minutes:
        raise Http404
    filename = f"protokol-{meeting.starts_at:%Y-%m-%d}.{meeting.minutes_type}"
    response = FileResponse(meeting.minutes.open("rb"), as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


def document_create(request, pk):
    group = _group(pk)
    if (response := refusal(request, "workgroups.manage_group", group)) is not None:
        return response
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        document = services.document_create(actor=request.user, group=group, title=form.cleaned_data["title"])
        messages.success(request, _("The document has been set up. Add its first version now."))
        return redirect("workgroups:version_upload", pk=document.pk)
    return render(request, "workgroups/document_edit.html", {"group": group, "form": form})
