from django.contrib import admin

from ngo_platform.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "krs", "seat"]
    search_fields = ["name", "short_name", "krs"]
    list_select_related = ["seat"]
    autocomplete_fields = ["seat"]
    prepopulated_fields = {"slug": ["name"]}
