"""Django admin of elections: read-only; every change goes through the audited services (the pages)."""

from django.contrib import admin

from ngo_platform.core.admin import ReadOnlyAdminMixin
from ngo_platform.elections.models import Ballot, Candidate, Council, CouncilMember, Election, Protest


@admin.register(Council)
class CouncilAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "authority"]


@admin.register(Election)
class ElectionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "council", "kind", "state", "voting_start", "voting_end"]
    list_filter = ["state", "kind"]


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["full_name", "election", "organisation", "state", "votes", "elected"]
    list_filter = ["state"]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["receipt", "election", "organisation", "cast_at"]


@admin.register(Protest)
class ProtestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["election", "organisation", "state", "submitted_at"]


@admin.register(CouncilMember)
class CouncilMemberAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["full_name", "council", "organisation", "term_start", "term_end"]
