"""What the services of competitions share. Every change runs in one transaction, locks the row it changes,
is checked against the server's clock (Europe/Warsaw) at that moment, and is audited with the
competition's id in `details["competition"]` (and the offer's in `details["offer"]`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection

from ngo_platform.competitions.models import (
    Competition,
    CompetitionState,
    Offer,
    OfferState,
)
from ngo_platform.core.money import format_money

CS = CompetitionState
OS = OfferState

# Fields of the announcement a form may set; all of them are versioned after publication.
COMPETITION_FIELDS = (
    "title",
    "task_kind",
    "sphere",
    "task_form",
    "total_funds",
    "min_grant",
    "max_grant",
    "own_contribution_min_bp",
    "own_counts_financial",
    "own_counts_personal",
    "own_counts_in_kind",
    "own_counts_fees",
    "admin_costs_max_bp",
    "eligible_entities",
    "require_verified",
    "task_start",
    "task_end",
    "offers_deadline",
    "funds_this_year",
    "funds_last_year",
    "required_attachments",
    "rules_text",
    "selection_deadline",
)

# The fields each step of the offer form writes (the rows of III.4, III.6, V.A and partners have their own services).
OFFER_STEP_FIELDS = {
    "oferent": ("correspondence_address", "contact_name", "contact_email", "contact_phone"),
    "opis": ("title", "date_from", "date_to", "summary", "expected_results"),
    "dzialania": (),
    "zasoby": ("previous_activity", "resources"),
    "koszty": (),
    "zrodla": (
        "grant_requested",
        "own_financial",
        "own_personal",
        "own_in_kind",
        "beneficiary_fees",
        "lead_cost_share",
    ),
    "inne": ("paid_activity", "partners_split", "other_info"),
    "oswiadczenia": (
        "declares_pbo_only",
        "declares_fees_rules",
        "tax_arrears",
        "tax_arrears_note",
        "declares_register_data",
        "declares_truth",
        "declares_gdpr",
        "signatories",
    ),
}
MONEY_FIELDS = {
    "grant_requested",
    "own_financial",
    "own_personal",
    "own_in_kind",
    "beneficiary_fees",
    "lead_cost_share",
}


def details_of(competition: Competition, **extra) -> dict[str, Any]:
    return {"competition": competition.pk, **extra}


def lock_competition(competition: Competition) -> Competition:
    return Competition.objects.select_for_update(of=("self",)).select_related("authority").get(pk=competition.pk)


def lock_competition_shared(competition: Competition) -> Competition:
    """Lock the competition so that its deadline cannot change while an offer is being submitted, without
    making submissions wait for one another: FOR SHARE on PostgreSQL (SQLite serialises writers anyway)."""
    if connection.vendor == "postgresql":
        return list(
            Competition.objects.raw("SELECT * FROM competitions_competition WHERE id = %s FOR SHARE", [competition.pk])
        )[0]
    return Competition.objects.get(pk=competition.pk)


def lock_offer(offer: Offer) -> Offer:
    return Offer.objects.select_for_update(of=("self",)).select_related("competition", "organisation").get(pk=offer.pk)


def check_manage(actor, competition: Competition) -> None:
    if not actor.has_perm("competitions.manage_competition", competition):
        raise PermissionDenied


def printable(field: str, value) -> Any:
    if field in MONEY_FIELDS:
        return format_money(value)
    return value.isoformat() if hasattr(value, "isoformat") else value
