from django.contrib import admin

from ngo_platform.forum.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """The platform's administrators set the forum's categories, who takes part in each and its moderators."""

    list_display = ("name", "slug", "audience", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("moderators",)
