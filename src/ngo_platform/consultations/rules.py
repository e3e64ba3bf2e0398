"""Who may do what in consultations, and when.

A comment combines who (a representative of an organisation, or anyone signed in where residents are invited) with
when (the consultation is open for comments by the server's clock: `services.comments.open_for_comments`, the very
test the services run inside their transaction). Changing or withdrawing a comment also needs the comment still
submitted, and a comment made on behalf of an organisation belongs to its current representatives only, not to an
author who has left it. Pages ask the combined permissions; the "who" alone (`take_part`, `own_comment`) lets a form
opened in time and posted too late reach the service, which says why nothing was saved.
"""

import rules

from ngo_platform.accounts.rules import (
    is_active_person,
    is_any_organisation_member,
    is_authority_member,
    is_organisation_member,
    is_signed_in,
)


@rules.predicate
def is_officer_of_consultation(user, consultation) -> bool:
    """An officer or admin of the authority that runs the consultation."""
    if consultation is None:
        return False
    return is_authority_member(user, consultation.authority_id)


@rules.predicate
def is_public(user, consultation) -> bool:
    return consultation is not None and consultation.is_public


@rules.predicate
def residents_may_comment(user, consultation) -> bool:
    return consultation is not None and consultation.open_to_residents


@rules.predicate
def represents_some_organisation(user, consultation) -> bool:
    """A representative of any organisation (every organisation may comment in every consultation)."""
    return consultation is not None and is_any_organisation_member(user)


@rules.predicate
def accepts_comments(user, consultation) -> bool:
    """The consultation is open for comments now, by the services' clock (open, or scheduled with its start come,
    and not past its end)."""
    if consultation is None:
        return False
    from ngo_platform.consultations.services.comments import open_for_comments

    return open_for_comments(consultation)


@rules.predicate
def is_comment_author_or_colleague(user, comment) -> bool:
    """A comment made on behalf of an organisation: any of its current representatives (the author too, while
    still one). A resident's comment: its author."""
    if comment is None or not is_active_person(user):
        return False
    if comment.organisation_id is not None:
        return is_organisation_member(user, comment.organisation_id)
    return comment.author_id == user.pk


@rules.predicate
def comment_may_change(user, comment) -> bool:
    """The comment is still submitted (not withdrawn) and its consultation still accepts comments."""
    return comment is not None and comment.state == "submitted" and accepts_comments(user, comment.consultation)


@rules.predicate
def comments_public_now(user, consultation) -> bool:
    if consultation is None or not consultation.is_public:
        return False
    return consultation.comment_visibility == "immediate" or consultation.report_published


may_take_part = is_signed_in & (represents_some_organisation | residents_may_comment)

rules.add_perm("consultations.add_consultation", is_authority_member)  # object: the authority
rules.add_perm("consultations.manage_consultation", is_officer_of_consultation)
rules.add_perm("consultations.view_consultation", is_public | is_officer_of_consultation)
rules.add_perm("consultations.view_comments", comments_public_now | is_officer_of_consultation)
rules.add_perm("consultations.comment_for_organisation", is_organisation_member)  # object: the organisation
# Who, whatever the phase (the services refuse outside it with a message):
rules.add_perm("consultations.take_part", may_take_part)
rules.add_perm("consultations.own_comment", is_comment_author_or_colleague)
# Who and when:
rules.add_perm("consultations.comment_as_resident", is_signed_in & residents_may_comment & accepts_comments)
rules.add_perm("consultations.comment", may_take_part & accepts_comments)
rules.add_perm("consultations.change_comment", is_comment_author_or_colleague & comment_may_change)
rules.add_perm("consultations.follow", is_signed_in)
