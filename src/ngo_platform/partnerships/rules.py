"""Who may write partnership announcements and see the suggestions of partners.

An announcement is written on behalf of an organisation (by its representatives) or an authority (by its
officers); each of them changes it, takes its steps and sees the partners suggested for it. A published or
archived announcement is public; a draft is seen only by those who may change it. The suggestions for an
organisation are for its representatives."""

import rules

from ngo_platform.accounts.rules import is_any_officer, is_any_organisation_member, is_organisation_member
from ngo_platform.community.rules import is_public, writes_for_party

rules.add_perm("partnerships.write_announcement", is_any_organisation_member | is_any_officer)
rules.add_perm("partnerships.change_announcement", writes_for_party)
rules.add_perm("partnerships.view_announcement", is_public | writes_for_party)
rules.add_perm("partnerships.see_suggestions", writes_for_party)  # object: the announcement
rules.add_perm("partnerships.see_organisation_suggestions", is_organisation_member)  # object: the organisation
