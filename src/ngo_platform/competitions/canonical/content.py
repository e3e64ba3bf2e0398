"""The canonical body of an offer (sections I–VII as plain data), its JSON and its SHA-256, and the
submitted content (the body and the partners' confirmations)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.utils import translation

from ngo_platform.competitions.models import CostCategory, Offer

SCHEMA = "ngo-platform/offer/2018-zal1/v1"
# The simplified offer of a small grant (art. 19a UDPP, Dz.U. 2018 poz. 2055).
SCHEMA_SIMPLIFIED = "ngo-platform/offer/2018-19a/v1"


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _date(value) -> str | None:
    return value.isoformat() if value else None


def utc(value) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _organisation(organisation, role: str) -> dict:
    return {
        "role": role,
        "id": organisation.pk,
        "name": organisation.name,
        "legal_form": organisation.get_legal_form_display(),
        "register": organisation.get_register_display(),
        "krs": organisation.krs or "",
        "registry_number": organisation.registry_number,
        "nip": organisation.nip or "",
        "regon": organisation.regon or "",
        "street": organisation.street,
        "postal_code": organisation.postal_code,
        "city": organisation.city,
        "website": organisation.website,
        "email": organisation.email,
        "phone": organisation.phone,
    }


@dataclass
class Totals:
    actions: int
    administrative: int
    total: int
    per_year: dict[int, int]


def cost_totals(lines) -> Totals:
    """The totals of cost lines (an offer's V.A or an agreement's updated calculation): any rows with a
    category, a value and a year."""
    actions = sum(line.total for line in lines if line.category == CostCategory.ACTION)
    administrative = sum(line.total for line in lines if line.category == CostCategory.ADMINISTRATIVE)
    per_year: dict[int, int] = {}
    for line in lines:
        per_year[line.year] = per_year.get(line.year, 0) + line.total
    return Totals(actions, administrative, actions + administrative, per_year)


def offer_body(offer: Offer) -> dict:
    """Sections I–VII of the offer as plain data (reads the offer's rows; prefetch them for speed). Always
    in Polish: the names of legal forms and registers must not depend on the language of whoever's request
    computes it (the checksums compare contents made by different people)."""
    with translation.override("pl"):
        return _offer_body(offer)


def _offer_body(offer: Offer) -> dict:
    actions = list(offer.actions.all())
    lines = list(offer.cost_lines.all())
    partners = list(offer.partners.all())
    return {
        "schema": SCHEMA_SIMPLIFIED if offer.is_small_grant else SCHEMA,
        "offer": offer.pk,
        "I": _section_i(offer.competition),
        "II": _section_ii(offer, partners),
        "III": _section_iii(offer, actions),
        "IV": {"previous_activity": offer.previous_activity, "resources": offer.resources},
        "V": {
            "A": _section_v_a(lines, {action.pk: action.position for action in actions}),
            "B": _section_v_b(offer),
            "C": _section_v_c(offer, partners),
        },
        "VI": {
            "paid_activity": offer.paid_activity,
            "partners_split": offer.partners_split,
            "other_info": offer.other_info,
        },
        "VII": _section_vii(offer),
        # The attached files by their name and SHA-256 (the files themselves stay in the private storage).
        "attachments": [
            {"name": a.name, "required": a.required, "type": a.file_type, "size": a.size, "sha256": a.sha256}
            for a in offer.attachments.all()
        ],
    }


def _section_i(competition) -> dict:
    """I. The authority and the competition."""
    return {
        "authority": competition.authority.name,
        "competition": {"id": competition.pk, "title": competition.title, "version": competition.version},
        "task_kind": competition.task_kind,
        "sphere": str(competition.sphere) if competition.sphere_id else "",
        "task_form": competition.task_form,
    }


def _section_ii(offer: Offer, partners: list) -> dict:
    """II. The applicants (the lead organisation, then the partners) and the contact."""
    return {
        "applicants": [_organisation(offer.organisation, "lead")]
        + [_organisation(partner.organisation, "partner") for partner in partners],
        "correspondence_address": offer.correspondence_address,
        "contact": {"name": offer.contact_name, "email": offer.contact_email, "phone": offer.contact_phone},
    }


def _section_iii(offer: Offer, actions: list) -> dict:
    """III. The task: its description, the plan of actions (III.4) and the results (III.6)."""
    return {
        "title": offer.title,
        "date_from": _date(offer.date_from),
        "date_to": _date(offer.date_to),
        "summary": offer.summary,
        "expected_results": offer.expected_results,
        "actions": [
            {
                "no": a.position,
                "name": a.name,
                "description": a.description,
                "target_group": a.target_group,
                "start": _date(a.start),
                "end": _date(a.end),
                "carried_out_by": a.carried_out_by,
            }
            for a in actions
        ],
        "results": [
            {"no": r.position, "name": r.name, "target_value": r.target_value, "monitoring": r.monitoring}
            for r in offer.results.all()
        ],
    }


def _section_v_a(lines: list, action_no: dict) -> dict:
    """V.A. The cost lines (each action by its number in the plan) and their totals."""
    totals = cost_totals(lines)
    return {
        "lines": [
            {
                "no": line.position,
                "category": line.category,
                "action": action_no.get(line.action_id),
                "name": line.name,
                "unit": line.unit,
                "unit_cost": line.unit_cost,
                "units": f"{line.units:.2f}",
                "total": line.total,
                "year": line.year,
            }
            for line in lines
        ],
        "actions_total": totals.actions,
        "administrative_total": totals.administrative,
        "total": totals.total,
        "per_year": {str(year): amount for year, amount in sorted(totals.per_year.items())},
    }


def _section_v_b(offer: Offer) -> dict:
    """V.B. The sources of financing."""
    return {
        "grant": offer.grant_requested,
        "own_financial": offer.own_financial,
        "own_personal": offer.own_personal,
        "own_in_kind": offer.own_in_kind,
        "beneficiary_fees": offer.beneficiary_fees,
        "total": offer.sources_total,
    }


def _section_v_c(offer: Offer, partners: list) -> list:
    """V.C. The split of the costs between the applicants of a joint offer (nothing for an offer alone)."""
    if not partners:
        return []
    return [{"organisation": offer.organisation.name, "amount": offer.lead_cost_share}] + [
        {"organisation": p.organisation.name, "amount": p.cost_share, "scope": p.scope} for p in partners
    ]


def _section_vii(offer: Offer) -> dict:
    """VII. The declarations and the signatories."""
    return {
        "pbo_only": offer.declares_pbo_only,
        "fees_rules": offer.declares_fees_rules,
        "tax_arrears": offer.tax_arrears,
        "tax_arrears_note": offer.tax_arrears_note,
        "register_data": offer.declares_register_data,
        "truth": offer.declares_truth,
        "gdpr": offer.declares_gdpr,
        "signatories": [line.strip() for line in offer.signatories.splitlines() if line.strip()],
    }


def body_digest(offer: Offer) -> str:
    return sha256_hex(canonical_json(offer_body(offer)))


def content_document(offer: Offer, body: dict | None = None) -> dict:
    """The submitted content as data: the body and the partners' confirmations."""
    body = offer_body(offer) if body is None else body
    return {
        **body,
        "confirmations": [
            {"organisation": p.organisation_id, "confirmed_at": utc(p.confirmed_at), "body_sha256": p.confirmed_digest}
            for p in offer.partners.all()
        ],
    }


def submission_content(offer: Offer, body: dict) -> str:
    return canonical_json(content_document(offer, body))
