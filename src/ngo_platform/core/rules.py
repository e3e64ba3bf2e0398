import rules

from ngo_platform.accounts.rules import is_platform_admin

rules.add_perm("core.view_audit_log", is_platform_admin)
