"""The course of a partnership announcement, declared once (`core.workflow`): draft → published → archived. A
published announcement may go back to a draft (taken off to be corrected); it is archived by its author or, the
day after its deadline, by the clock (`notices.archive_expired`, run by `notify`); an archived one is published
again only with a deadline still to come. Whoever may change it (`partnerships.change_announcement`: the
representatives of its organisation, the officers of its authority) takes every step."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from ngo_platform.core.exceptions import ServiceError
from ngo_platform.core.workflow import Transition, Workflow
from ngo_platform.partnerships.models import Announcement, AnnouncementState, Partnership, PartnershipState
from ngo_platform.partnerships.selectors import ANNOUNCEMENTS_VERSION

S = AnnouncementState
CHANGE = "partnerships.change_announcement"


class PartnershipError(ServiceError):
    """A partnership step that is not allowed now (`core.exceptions.ServiceError`)."""


def _deadline_to_come(announcement, now):
    if announcement.deadline < timezone.localdate(now):
        return gettext_lazy("The deadline has passed: set a later one first.")
    if not announcement.spheres.exists():
        return gettext_lazy("Choose at least one sphere of public tasks first.")
    return None


def _first_publication(announcement, now):
    if announcement.published_at is None:
        announcement.published_at = now
    return ["published_at"]


ANNOUNCEMENT = Workflow(
    model=Announcement,
    audit="partnerships.announcement_{name}",
    changed_at="state_changed_at",
    error=PartnershipError,
    on_change=ANNOUNCEMENTS_VERSION.bump_on_commit,
    refusal=gettext_lazy("This cannot be done now: the announcement is “%(state)s”."),
    acting_for=lambda actor, announcement: announcement.party if actor is not None else None,
    transitions=[
        Transition(
            "publish",
            S.DRAFT,
            S.PUBLISHED,
            gettext_lazy("Publish"),
            CHANGE,
            guard=_deadline_to_come,
            effect=_first_publication,
        ),
        Transition("unpublish", S.PUBLISHED, S.DRAFT, gettext_lazy("Take back to a draft"), CHANGE),
        Transition("archive", S.PUBLISHED, S.ARCHIVED, gettext_lazy("Archive"), CHANGE, timestamp="archived_at"),
        Transition(
            "republish", S.ARCHIVED, S.PUBLISHED, gettext_lazy("Publish again"), CHANGE, guard=_deadline_to_come
        ),
    ],
)


P = PartnershipState
PARTNERSHIP = Workflow(
    model=Partnership,
    audit="partnerships.partnership_{name}",
    changed_at="state_changed_at",
    error=PartnershipError,
    refusal=gettext_lazy("This cannot be done now: the partnership is “%(state)s”."),
    audit_target=lambda partnership: partnership.conversation.announcement,
    details=lambda partnership: {
        "partnership": partnership.pk,
        "organisation": partnership.conversation.organisation_id,
    },
    transitions=[
        # The side that did not propose it confirms it; the side that did may withdraw it until then.
        Transition(
            "confirm",
            P.PROPOSED,
            P.CONFIRMED,
            gettext_lazy("Confirm the partnership"),
            "partnerships.confirm_partnership",
            timestamp="confirmed_at",
        ),
        Transition(
            "withdraw",
            P.PROPOSED,
            P.WITHDRAWN,
            gettext_lazy("Withdraw the proposal"),
            "partnerships.withdraw_partnership",
        ),
    ],
)
