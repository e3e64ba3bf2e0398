"""Every write of ideas and needs: posting one, supporting it (once per person, once per organisation), and the
addressed authority's official answers, each a step of `workflows.IDEA`, public, audited and e-mailed to the author
and every supporter."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ngo_platform.accounts.rules import is_organisation_member
from ngo_platform.community.models import Idea, IdeaAnswer, IdeaSupport
from ngo_platform.community.selectors import IDEAS_VERSION, idea_followers
from ngo_platform.community.workflows import IDEA, IdeaError
from ngo_platform.core.services import audit_log, email_notify
from ngo_platform.core.workflow import perform


def idea_submit(*, actor, data: dict, organisation=None) -> Idea:
    if not actor.has_perm("community.propose_idea"):
        raise PermissionDenied
    if organisation is not None and not is_organisation_member(actor, organisation):
        raise PermissionDenied
    fields = ("kind", "title", "description", "authority", "sphere", "territory")
    with transaction.atomic():
        idea = Idea.objects.create(author=actor, organisation=organisation, **{name: data.get(name) for name in fields})
        audit_log(actor=actor, action="community.idea_submit", target=idea, acting_for=organisation)
        IDEAS_VERSION.bump_on_commit()
    return idea


def idea_support(*, actor, idea: Idea, organisation=None) -> bool:
    """Support the idea as the person or on behalf of an organisation they represent; False when that support was
    already given (a double click, or a colleague on behalf of the same organisation)."""
    if organisation is not None and not is_organisation_member(actor, organisation):
        raise PermissionDenied
    with transaction.atomic():
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        if not actor.has_perm("community.support_idea", idea):
            raise IdeaError(
                _("This idea no longer takes support: it is “%(state)s”.") % {"state": idea.get_state_display()}
            )
        try:
            with transaction.atomic():
                IdeaSupport.objects.create(idea=idea, user=actor, organisation=organisation)
        except IntegrityError:
            return False
        Idea.objects.filter(pk=idea.pk).update(supporters=F("supporters") + 1)
        audit_log(actor=actor, action="community.idea_support", target=idea, acting_for=organisation)
        IDEAS_VERSION.bump_on_commit()
    return True


def idea_answer(*, actor, idea: Idea, step: str, text: str) -> IdeaAnswer:
    """The official answer: the step of the idea's course and its text, e-mailed to the author and every
    supporter, each their own message."""
    transition = IDEA[step]
    text = (text or "").strip()
    if not text:
        raise IdeaError(
            _("Write the answer: why it is rejected, what will follow, or what is being considered."), "text"
        )
    with transaction.atomic():
        idea = perform(IDEA, idea, transition.name, actor=actor, details={"answer": text})
        answer = IdeaAnswer.objects.create(
            idea=idea, state=idea.state, text=text, author=actor, authority=idea.authority
        )
        for person in idea_followers(idea):
            email_notify(
                to=[person.email],
                template="community/email/idea_answered",
                context={"idea": idea, "answer": answer, "person": person},
            )
    return answer
