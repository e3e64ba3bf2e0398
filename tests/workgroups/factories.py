"""Working groups for tests: a group of an authority with its coordinator, members (an official, a person on
behalf of an organisation), and a document with numbered versions read from the consultations' test draft."""

import datetime

from django.utils import timezone

from ngo_platform.core import drafting
from ngo_platform.workgroups import services
from ngo_platform.workgroups.models import GroupMember
from tests.accounts.factories import AuthorityMembershipFactory, OrganisationMembershipFactory, UserFactory
from tests.consultations.factories import draft_tree


def make_group(authority, *, officer=None, coordinator=None, public_work=True, **data):
    officer = officer or AuthorityMembershipFactory(authority=authority).user
    data = {
        "name": "Zespół do spraw standardu konsultacji",
        "purpose": "Opracowanie standardu konsultowania projektów aktów prawa miejscowego.",
        "term_starts": timezone.localdate() - datetime.timedelta(days=30),
        "public_work": public_work,
        **data,
    }
    return services.group_create(actor=officer, authority=authority, coordinator=coordinator or officer, data=data)


def add_member(group, user=None, organisation=None) -> GroupMember:
    """A member joined as an invitation's acceptance would make them (the invitation path has its own tests)."""
    if user is None:
        if organisation is not None:
            user = OrganisationMembershipFactory(organisation=organisation, role="editor").user
        else:
            user = UserFactory()
    return GroupMember.objects.create(group=group, user=user, organisation=organisation)


def text_tree(text: str):
    return drafting.parse_text(text)


def proposed_version(document, author, root=None, *, accept_by=None):
    """A version read from `root` (the consultations' test draft by default), proposed; accepted by `accept_by`."""
    version = services.version_from_text(actor=author, document=document, root=root or draft_tree())
    version = services.version_step(actor=author, version=version, name="propose")
    if accept_by is not None:
        version = services.version_step(actor=accept_by, version=version, name="accept")
    return version
