"""Who may do what in the library: everyone reads it; an authority's officers add its documents and change them
(new revisions, the description, what it was adopted as)."""

import rules

from ngo_platform.accounts.rules import is_authority_member


@rules.predicate
def is_officer_of_document(user, document) -> bool:
    return document is not None and is_authority_member(user, document.authority_id)


rules.add_perm("library.add_document", is_authority_member)  # object: the authority
rules.add_perm("library.change_document", is_officer_of_document)
