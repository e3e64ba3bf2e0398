"""Conversation pages: writing to an announcement's author, a conversation with its messages and attachments, a
report of abuse, proposing and confirming a partnership, starting its joint offer; a person's conversations; the
reports for the platform's administrators."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.competitions.services import CompetitionError
from ngo_platform.core.permissions import hidden_refusal, refusal
from ngo_platform.organisations.models import Organisation
from ngo_platform.partnerships import conversations as services
from ngo_platform.partnerships import selectors
from ngo_platform.partnerships.forms import JointOfferForm, MessageForm, PartnershipForm, ReportForm
from ngo_platform.partnerships.models import Announcement, Conversation, Message, Partnership
from ngo_platform.partnerships.workflows import PARTNERSHIP, PartnershipError


@require_POST
def conversation_start(request, pk):
    announcement = get_object_or_404(Announcement, pk=pk)
    if (response := refusal(request, "partnerships.contact_author", announcement)) is not None:
        return response
    organisations = selectors.contacting_organisations(request.user, announcement)
    form = MessageForm(request.POST, request.FILES, organisations=organisations)
    if form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.conversation_start(
                actor=request.user,
                announcement=announcement,
                organisation=data["organisation"],
                text=data["text"],
                upload=data.get("attachment"),
            )
        except PartnershipError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The message has been sent. The answer will come here and by e-mail."))
            return redirect(conversation)
    context = {"announcement": selectors.announcement_page(pk), "contact_form": form}
    return render(request, "partnerships/detail.html", context, status=400)


def conversation_invite(request, pk, slug):
    """The author writes to an organisation about the announcement (from the suggestions)."""
    announcement = get_object_or_404(Announcement.objects.select_related("organisation", "authority"), pk=pk)
    if (response := refusal(request, "partnerships.change_announcement", announcement)) is not None:
        return response
    organisation = get_object_or_404(Organisation, slug=slug, is_listed=True)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.conversation_invite(
                actor=request.user,
                announcement=announcement,
                organisation=organisation,
                text=form.cleaned_data["text"],
                upload=form.cleaned_data.get("attachment"),
            )
        except PartnershipError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The message has been sent. The answer will come here and by e-mail."))
            return redirect(conversation)
    context = {"announcement": announcement, "organisation": organisation, "form": form}
    return render(request, "partnerships/write.html", context)


def _conversation(request, pk, perm="partnerships.view_conversation"):
    try:
        conversation = selectors.conversation_page(pk)
    except Conversation.DoesNotExist:
        raise Http404 from None
    if (response := hidden_refusal(request, perm, conversation)) is not None:
        return None, response
    return conversation, None


def conversation_detail(request, pk):
    conversation, response = _conversation(request, pk)
    if response is not None:
        return response
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_send(
                actor=request.user,
                conversation=conversation,
                text=form.cleaned_data["text"],
                upload=form.cleaned_data.get("attachment"),
            )
        except PartnershipError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The message has been sent."))
            return redirect(conversation)
    return render(request, "partnerships/conversation.html", _conversation_context(request, conversation, form))


def _conversation_context(request, conversation, form, **more) -> dict:
    partnership = selectors.standing_partnership(conversation)
    user = request.user
    context = {
        "conversation": conversation,
        "announcement": conversation.announcement,
        "messages_": selectors.messages_of(conversation),
        "form": form,
        "partnership": partnership,
        "steps": PARTNERSHIP.available(partnership, user) if partnership else [],
        **more,
    }
    if partnership is None:
        context.setdefault("partnership_form", PartnershipForm())
    elif user.has_perm("partnerships.start_joint_offer", partnership):
        initial = {"competition": conversation.announcement.competition_id}
        context.setdefault("offer_form", JointOfferForm(initial=initial))
    return context


def message_attachment(request, pk, message):
    conversation, response = _conversation(request, pk)
    if response is not None:
        return response
    found = get_object_or_404(Message, pk=message, conversation=conversation)
    if not found.attachment:
        raise Http404
    name = f"zalacznik-{found.pk}.{found.attachment_type}"
    return FileResponse(found.attachment.open("rb"), as_attachment=True, filename=name)


def message_report(request, pk, message):
    conversation, response = _conversation(request, pk)
    if response is not None:
        return response
    found = get_object_or_404(Message.objects.select_related("author"), pk=message, conversation=conversation)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reported = services.message_report(actor=request.user, message=found, comment=form.cleaned_data["comment"])
        except PartnershipError as error:
            error.attach_to(form)
        else:
            if reported:
                messages.success(request, _("Thank you: the platform's administrators will look at the message."))
            else:
                messages.info(request, _("You have reported this message already."))
            return redirect(conversation)
    return render(request, "partnerships/report.html", {"conversation": conversation, "message": found, "form": form})


@require_POST
def partnership_propose(request, pk):
    conversation, response = _conversation(request, pk, "partnerships.propose_partnership")
    if response is not None:
        return response
    form = PartnershipForm(request.POST)
    if form.is_valid():
        try:
            services.partnership_propose(actor=request.user, conversation=conversation, **form.cleaned_data)
        except PartnershipError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The partnership has been proposed: the other side confirms it."))
            return redirect(conversation)
    context = _conversation_context(request, conversation, MessageForm(), partnership_form=form)
    return render(request, "partnerships/conversation.html", context, status=400)


def _partnership(request, pk) -> Partnership:
    partnership = get_object_or_404(
        Partnership.objects.select_related("conversation__announcement", "conversation__organisation"), pk=pk
    )
    if not request.user.has_perm("partnerships.view_conversation", partnership.conversation):
        raise Http404
    return partnership


@require_POST
def partnership_step(request, pk, step):
    if (response := refusal(request)) is not None:
        return response
    partnership = _partnership(request, pk)
    if step not in ("confirm", "withdraw"):
        raise Http404
    try:
        if step == "confirm":
            services.partnership_confirm(actor=request.user, partnership=partnership)
        else:
            from ngo_platform.core.workflow import perform

            perform(PARTNERSHIP, partnership, "withdraw", actor=request.user)
    except PartnershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": PARTNERSHIP[step].label})
    return redirect(partnership.conversation)


@require_POST
def joint_offer(request, pk):
    if (response := refusal(request)) is not None:
        return response
    partnership = _partnership(request, pk)
    if not request.user.has_perm("partnerships.start_joint_offer", partnership):
        raise PermissionDenied
    form = JointOfferForm(request.POST)
    if form.is_valid():
        try:
            offer = services.joint_offer_start(
                actor=request.user, partnership=partnership, competition=form.cleaned_data["competition"]
            )
        except (PartnershipError, CompetitionError) as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The joint offer has been started with the partner filled in."))
            return redirect(offer)
    conversation = partnership.conversation
    context = _conversation_context(request, conversation, MessageForm(), offer_form=form)
    return render(request, "partnerships/conversation.html", context, status=400)


def conversation_list(request):
    if (response := refusal(request)) is not None:
        return response
    return render(
        request, "partnerships/conversations.html", {"conversations": selectors.conversations_of(request.user)}
    )


def reports(request):
    if (response := refusal(request, "partnerships.review_reports")) is not None:
        return response
    return render(request, "partnerships/reports.html", {"reports": selectors.abuse_reports()[:100]})
