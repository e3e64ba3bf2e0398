"""The working groups' pages: `groups` (the groups, members, meetings) and `versions` (documents and versions)."""
