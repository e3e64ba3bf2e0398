"""Django admin of the registry: read-only views; every change goes through the audited services
(pages of the platform, `import_organisations`)."""

from django.contrib import admin

from ngo_platform.core.admin import ReadOnlyAdminMixin
from ngo_platform.organisations.models import ImportRun, Invitation, Organisation, VerificationRequest


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "legal_form", "krs", "nip", "regon", "seat", "is_opp", "status", "is_listed", "verified_at"]
    list_filter = ["legal_form", "register", "is_opp", "status", "is_listed"]
    search_fields = ["name", "short_name", "krs", "nip", "regon"]
    list_select_related = ["seat"]
    show_full_result_count = False


@admin.register(VerificationRequest)
class VerificationRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["organisation", "applicant", "kind", "state", "created_at", "decided_by", "decided_at"]
    list_filter = ["state", "kind"]
    search_fields = ["organisation__name", "applicant__email"]
    list_select_related = ["organisation", "applicant", "decided_by"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["organisation", "email", "role", "created_at", "expires_at", "accepted_at"]
    search_fields = ["organisation__name", "email"]
    list_select_related = ["organisation"]
    exclude = ["token"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["source_name", "state", "dry_run", "total_rows", "created_count", "updated_count", "created_at"]
    list_filter = ["state", "dry_run"]
