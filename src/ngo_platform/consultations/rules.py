"""Who may do what in consultations."""

import rules

from ngo_platform.accounts.rules import is_authority_member, is_organisation_member


@rules.predicate
def is_officer_of_consultation(user, consultation) -> bool:
    """An officer or admin of the authority that runs the consultation."""
    if consultation is None:
        return False
    return is_authority_member(user, consultation.authority)


@rules.predicate
def is_public(user, consultation) -> bool:
    return consultation is not None and consultation.is_public


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


@rules.predicate
def residents_may_comment(user, consultation) -> bool:
    return consultation is not None and consultation.open_to_residents


@rules.predicate
def represents_some_organisation(user) -> bool:
    return bool(user.is_authenticated and user.organisation_memberships.exists())


@rules.predicate
def is_comment_author_or_colleague(user, comment) -> bool:
    """The author, or (for a comment made on behalf of an organisation) another of its representatives."""
    if comment is None or not user.is_authenticated:
        return False
    if comment.author_id == user.pk:
        return True
    return comment.organisation_id is not None and is_organisation_member(user, comment.organisation)


@rules.predicate
def comments_public_now(user, consultation) -> bool:
    if consultation is None or not consultation.is_public:
        return False
    return consultation.comment_visibility == "immediate" or consultation.report_published


rules.add_perm("consultations.add_consultation", is_authority_member)  # object: the authority
rules.add_perm("consultations.manage_consultation", is_officer_of_consultation)
rules.add_perm("consultations.view_consultation", is_public | is_officer_of_consultation)
rules.add_perm("consultations.view_comments", comments_public_now | is_officer_of_consultation)
rules.add_perm("consultations.comment_for_organisation", is_organisation_member)  # object: the organisation
rules.add_perm("consultations.comment_as_resident", is_signed_in & residents_may_comment)
rules.add_perm("consultations.comment", is_signed_in & (represents_some_organisation | residents_may_comment))
rules.add_perm("consultations.change_comment", is_comment_author_or_colleague)
rules.add_perm("consultations.follow", is_signed_in)
