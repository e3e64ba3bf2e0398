"""Every write of the conversations and partnerships: starting a conversation with an announcement's author,
messages (an attachment checked by content), reports of abuse, proposing, confirming and withdrawing a partnership
(`workflows.PARTNERSHIP`), and a confirmed partnership's joint offer in a competition, its partner filled in.

The other side is told of each by e-mail, one message per person, so that nobody sees another's address; no page
shows one either (the members are named by their display names, the sides by their organisations)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ngo_platform.accounts.models import AuthorityMembership, OrganisationMembership
from ngo_platform.competitions import services as competitions
from ngo_platform.core.bounds import too_long
from ngo_platform.core.permissions import check_permission
from ngo_platform.core.services import audit_log, email_notify
from ngo_platform.core.workflow import perform
from ngo_platform.partnerships.models import AbuseReport, Conversation, Leader, Message, Partnership
from ngo_platform.partnerships.workflows import PARTNERSHIP, PartnershipError

EMAIL = "partnerships/email/conversation"


def side_addresses(conversation: Conversation, *, announcer: bool) -> list[str]:
    """The e-mail addresses of one side's people: the announcing organisation's representatives or authority's
    officers, or the interested organisation's representatives."""
    announcement = conversation.announcement
    if not announcer:
        members = OrganisationMembership.objects.filter(organisation_id=conversation.organisation_id)
    elif announcement.organisation_id:
        members = OrganisationMembership.objects.filter(organisation_id=announcement.organisation_id)
    else:
        members = AuthorityMembership.objects.filter(authority_id=announcement.authority_id)
    return sorted(set(members.filter(user__is_active=True).values_list("user__email", flat=True)))


def _tell(conversation: Conversation, *, announcer: bool, event: str, actor, **context) -> None:
    """E-mail each person of one side alone (never one e-mail to several: nobody sees another's address)."""
    for address in side_addresses(conversation, announcer=announcer):
        if address != actor.email:
            email_notify(
                to=[address], template=EMAIL, context={"conversation": conversation, "event": event, **context}
            )


def _on_announcer_side(actor, conversation: Conversation) -> bool:
    return actor.has_perm("partnerships.change_announcement", conversation.announcement)


def conversation_start(*, actor, announcement, organisation, text: str, upload=None) -> Conversation:
    """The interested organisation writes to the announcement's author; a second start continues the first."""
    check_permission(actor, "partnerships.contact_author", announcement)
    if organisation.pk == announcement.organisation_id or not actor.has_perm(
        "partnerships.see_organisation_suggestions", organisation
    ):
        raise PartnershipError(_("Write on behalf of an organisation you represent."), field="organisation")
    with transaction.atomic():
        conversation, created = Conversation.objects.get_or_create(
            announcement=announcement, organisation=organisation, defaults={"started_by": actor}
        )
        if created:
            audit_log(
                actor=actor,
                action="partnerships.conversation_start",
                target=announcement,
                acting_for=organisation,
                details={"conversation": conversation.pk},
            )
        message_send(actor=actor, conversation=conversation, text=text, upload=upload)
    return conversation


def conversation_invite(*, actor, announcement, organisation, text: str, upload=None) -> Conversation:
    """The announcement's author writes to an organisation (one of those suggested, say) about it."""
    check_permission(actor, "partnerships.change_announcement", announcement)
    if not announcement.is_current:
        raise PartnershipError(_("Publish the announcement first: its conversations are about what others can read."))
    if organisation.pk == announcement.organisation_id:
        raise PartnershipError(_("Write to another organisation than your own."), field="organisation")
    with transaction.atomic():
        conversation, created = Conversation.objects.get_or_create(
            announcement=announcement, organisation=organisation, defaults={"started_by": actor}
        )
        if created:
            audit_log(
                actor=actor,
                action="partnerships.conversation_invite",
                target=announcement,
                acting_for=announcement.party,
                details={"conversation": conversation.pk, "organisation": organisation.pk},
            )
        message_send(actor=actor, conversation=conversation, text=text, upload=upload)
    return conversation


def message_send(*, actor, conversation: Conversation, text: str, upload=None) -> Message:
    """A message from the actor's side; `upload` already checked by content (its `file_type`)."""
    check_permission(actor, "partnerships.write_message", conversation)
    text = (text or "").strip()
    if not text:
        raise PartnershipError(_("Write the message."), field="text")
    if problem := too_long(Message, text=text):
        raise PartnershipError(problem[1], field="text")
    from_announcer = _on_announcer_side(actor, conversation)
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().select_related("announcement").get(pk=conversation.pk)
        message = Message(conversation=conversation, author=actor, from_announcer=from_announcer, text=text)
        if upload is not None:
            message.attachment, message.attachment_type = upload, upload.file_type
        message.save()
        conversation.last_message_at = message.created_at
        conversation.save(update_fields=["last_message_at"])
        _tell(conversation, announcer=not from_announcer, event="message", actor=actor, message=message)
    return message


def message_report(*, actor, message: Message, comment: str) -> bool:
    """Ask the platform's administrators to look at a message; False when the person had reported it already."""
    check_permission(actor, "partnerships.report_message", message)
    comment = (comment or "").strip()
    if not comment:
        raise PartnershipError(_("Say what is wrong with the message."), field="comment")
    if problem := too_long(AbuseReport, comment=comment):
        raise PartnershipError(problem[1], field="comment")
    if message.author_id == actor.pk:
        raise PartnershipError(_("You cannot report your own message."), field="comment")
    try:
        with transaction.atomic():
            report = AbuseReport.objects.create(message=message, reporter=actor, comment=comment)
            admins = get_user_model().objects.filter(is_staff=True, is_active=True).values_list("email", flat=True)
            for address in admins:
                email_notify(to=[address], template="partnerships/email/abuse_report", context={"report": report})
    except IntegrityError:
        return False
    return True


def partnership_propose(*, actor, conversation: Conversation, leader: str, scope: str) -> Partnership:
    check_permission(actor, "partnerships.propose_partnership", conversation)
    scope = (scope or "").strip()
    if leader not in Leader.values:
        raise PartnershipError(_("Choose who leads the partnership."), field="leader")
    if not scope:
        raise PartnershipError(_("Describe the scope of the partnership."), field="scope")
    if problem := too_long(Partnership, scope=scope):
        raise PartnershipError(problem[1], field="scope")
    by_announcer = _on_announcer_side(actor, conversation)
    try:
        with transaction.atomic():
            partnership = Partnership.objects.create(
                conversation=conversation,
                leader=leader,
                scope=scope,
                proposed_by_announcer=by_announcer,
                proposed_by=actor,
            )
            audit_log(
                actor=actor,
                action="partnerships.partnership_propose",
                target=conversation.announcement,
                details={"partnership": partnership.pk, "leader": leader},
            )
            _tell(conversation, announcer=not by_announcer, event="proposed", actor=actor, partnership=partnership)
    except IntegrityError:
        raise PartnershipError(_("A partnership is proposed or confirmed in this conversation already.")) from None
    return partnership


def partnership_confirm(*, actor, partnership: Partnership) -> Partnership:
    with transaction.atomic():
        partnership = perform(PARTNERSHIP, partnership, "confirm", actor=actor, values={"confirmed_by": actor})
        conversation = partnership.conversation
        _tell(conversation, announcer=partnership.proposed_by_announcer, event="confirmed", actor=actor)
    return partnership


def joint_offer_start(*, actor, partnership: Partnership, competition):
    """The leading organisation's draft offer in `competition`, with the other organisation as its partner (its
    part: the partnership's scope; its admins confirm it in the offer, as for any joint offer)."""
    check_permission(actor, "partnerships.start_joint_offer", partnership)
    with transaction.atomic():
        partnership = (
            Partnership.objects.select_for_update(of=("self",))
            .select_related("conversation__announcement__organisation", "conversation__organisation")
            .get(pk=partnership.pk)
        )
        if partnership.offer_id:
            raise PartnershipError(_("The joint offer of this partnership has been started already."))
        conversation = partnership.conversation
        announcer, interested = conversation.announcement.organisation, conversation.organisation
        lead, partner = (announcer, interested) if partnership.leader == Leader.ANNOUNCER else (interested, announcer)
        offer = competitions.offer_start(
            actor=actor, competition=competition, organisation=lead, title=conversation.announcement.title
        )
        competitions.offer_partner_add(actor=actor, offer=offer, organisation=partner, scope=partnership.scope,
                                       cost_share=0)  # fmt: skip
        partnership.offer = offer
        partnership.save(update_fields=["offer"])
        audit_log(
            actor=actor,
            action="partnerships.joint_offer_start",
            target=conversation.announcement,
            acting_for=lead,
            details={"partnership": partnership.pk, "offer": offer.pk, "competition": competition.pk},
        )
    return offer
