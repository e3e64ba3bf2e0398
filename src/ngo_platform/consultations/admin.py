from django.contrib import admin

from ngo_platform.consultations.models import AuthorityConsultationSettings


@admin.register(AuthorityConsultationSettings)
class AuthorityConsultationSettingsAdmin(admin.ModelAdmin):
    """Platform admins set an authority's minimum duration of consultations (its own consultation rules)."""

    list_display = ("authority", "minimum_days")
    autocomplete_fields = ()
    raw_id_fields = ("authority",)
