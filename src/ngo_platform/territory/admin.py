"""Django admin of territory: reference data is read-only here (it comes from the import
services, which keep the audit log); officers' contact data of an authority may be edited."""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ngo_platform.core.admin import ReadOnlyAdminMixin
from ngo_platform.territory.models import Authority, Sphere, SphereCatalogue, TerritorialUnit


@admin.register(TerritorialUnit)
class TerritorialUnitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("teryt", "name", "level", "gmina_type", "name_de", "german_auxiliary_language", "valid_as_of")
    list_display_links = ("teryt", "name")
    list_filter = ("level", "gmina_type", "german_auxiliary_language")
    search_fields = ("teryt", "name", "name_de")
    ordering = ("teryt",)
    list_per_page = 100
    fieldsets = (
        (None, {"fields": ("teryt", "level", "gmina_type", "name", "description", "parent", "valid_as_of")}),
        (_("German name"), {"fields": ("name_de", "german_auxiliary_language")}),
    )


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "unit_teryt", "slug", "email")
    list_filter = ("kind",)
    search_fields = ("name", "slug", "unit__teryt", "unit__name", "email")
    list_select_related = ("unit",)
    ordering = ("unit__teryt",)
    list_per_page = 100
    fields = ("name", "kind", "unit", "slug", "address", "email", "phone", "website", "bip_url")
    readonly_fields = ("kind", "unit", "slug")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("TERYT code"), ordering="unit__teryt")
    def unit_teryt(self, obj):
        return obj.unit.teryt

    def has_add_permission(self, request):
        # Authorities are created by the TERC import, one per unit.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SphereInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Sphere
    fields = ("number", "name")
    ordering = ("position",)
    extra = 0


@admin.register(SphereCatalogue)
class SphereCatalogueAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("version", "effective_from", "legal_basis", "sphere_count")
    search_fields = ("version", "spheres__name")
    inlines = (SphereInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(sphere_total=Count("spheres"))

    @admin.display(description=_("spheres of public tasks"), ordering="sphere_total")
    def sphere_count(self, obj):
        return obj.sphere_total
