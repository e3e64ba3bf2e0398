from django.contrib import admin

from ngo_platform.core.models import AuditEntry


class ReadOnlyAdminMixin:
    """View-only admin (and inlines) for data that only services write, so that every change is audited."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the audit log is written by services, never edited."""

    list_display = ["created_at", "actor", "acting_for_organisation", "acting_for_authority", "action", "target_repr"]
    list_filter = ["action"]
    search_fields = ["action", "target_repr", "actor__email"]
    list_select_related = ["actor", "acting_for_organisation", "acting_for_authority"]
    date_hierarchy = "created_at"
