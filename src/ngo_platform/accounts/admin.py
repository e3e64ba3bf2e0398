from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from ngo_platform.accounts.models import AuthorityMembership, OrganisationMembership, User
from ngo_platform.core.admin import ReadOnlyAdminMixin


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Roles change only through the audited services (`ngo-platform set_role`), never here."""

    extra = 0


class AuthorityMembershipInline(ReadOnlyInline):
    model = AuthorityMembership
    fields = readonly_fields = ["authority", "role", "created_at"]


class OrganisationMembershipInline(ReadOnlyInline):
    model = OrganisationMembership
    fields = readonly_fields = ["organisation", "role", "created_at"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "display_name", "public_title"]
    list_filter = ["is_staff", "is_active"]
    fieldsets = [
        (None, {"fields": ["email", "password", "display_name", "public_title"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [AuthorityMembershipInline, OrganisationMembershipInline]
