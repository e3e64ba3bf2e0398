"""The canonical content of an offer and the checks of its sums and limits.

Canonical serialisation (docs/decisions/0010-competitions.md): the offer as a JSON object, keys sorted,
no insignificant whitespace (separators "," and ":"), non-ASCII characters written as themselves, encoded
as UTF-8; money as integer grosze, numbers of units as decimal strings with two places ("12.50"), dates
as ISO 8601 ("2026-05-01"), times as ISO 8601 in UTC with "Z". The SHA-256 of those bytes is the checksum
on the receipt and the PDF.

`offer_body` is what the applicants agree on (partners confirm its checksum); the submitted content adds
the partners' confirmations under "confirmations".
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from ngo_platform.competitions.models import CostCategory, Offer, PartnerState
from ngo_platform.competitions.money import format_money, format_percent, share_bp

SCHEMA = "ngo-platform/offer/2018-zal1/v1"
# Increment 3: the simplified offer of a small grant (art. 19a UDPP, Dz.U. 2018 poz. 2055).
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


def own_contribution(offer: Offer, competition) -> int:
    """The own contribution that counts in this competition (its announcement says which kinds), of an offer
    or of anything with the same sources (an agreement's updated cost calculation)."""
    return (
        (offer.own_financial if competition.own_counts_financial else 0)
        + (offer.own_personal if competition.own_counts_personal else 0)
        + (offer.own_in_kind if competition.own_counts_in_kind else 0)
        + (offer.beneficiary_fees if competition.own_counts_fees else 0)
    )


def offer_body(offer: Offer) -> dict:
    """Sections I–VII of the offer as plain data (reads the offer's rows; prefetch them for speed). Always
    in Polish: the names of legal forms and registers must not depend on the language of whoever's request
    computes it (the checksums compare contents made by different people)."""
    with translation.override("pl"):
        return _offer_body(offer)


def _offer_body(offer: Offer) -> dict:
    competition = offer.competition
    actions = list(offer.actions.all())
    action_no = {action.pk: action.position for action in actions}
    lines = list(offer.cost_lines.all())
    partners = list(offer.partners.all())
    totals = cost_totals(lines)
    return {
        "schema": SCHEMA_SIMPLIFIED if offer.is_small_grant else SCHEMA,
        "offer": offer.pk,
        "I": {
            "authority": competition.authority.name,
            "competition": {"id": competition.pk, "title": competition.title, "version": competition.version},
            "task_kind": competition.task_kind,
            "sphere": str(competition.sphere) if competition.sphere_id else "",
            "task_form": competition.task_form,
        },
        "II": {
            "applicants": [_organisation(offer.organisation, "lead")]
            + [_organisation(partner.organisation, "partner") for partner in partners],
            "correspondence_address": offer.correspondence_address,
            "contact": {"name": offer.contact_name, "email": offer.contact_email, "phone": offer.contact_phone},
        },
        "III": {
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
        },
        "IV": {"previous_activity": offer.previous_activity, "resources": offer.resources},
        "V": {
            "A": {
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
            },
            "B": {
                "grant": offer.grant_requested,
                "own_financial": offer.own_financial,
                "own_personal": offer.own_personal,
                "own_in_kind": offer.own_in_kind,
                "beneficiary_fees": offer.beneficiary_fees,
                "total": offer.sources_total,
            },
            "C": (
                [{"organisation": offer.organisation.name, "amount": offer.lead_cost_share}]
                + [{"organisation": p.organisation.name, "amount": p.cost_share, "scope": p.scope} for p in partners]
            )
            if partners
            else [],
        },
        "VI": {
            "paid_activity": offer.paid_activity,
            "partners_split": offer.partners_split,
            "other_info": offer.other_info,
        },
        "VII": {
            "pbo_only": offer.declares_pbo_only,
            "fees_rules": offer.declares_fees_rules,
            "tax_arrears": offer.tax_arrears,
            "tax_arrears_note": offer.tax_arrears_note,
            "register_data": offer.declares_register_data,
            "truth": offer.declares_truth,
            "gdpr": offer.declares_gdpr,
            "signatories": [line.strip() for line in offer.signatories.splitlines() if line.strip()],
        },
        # The attached files by their name and SHA-256 (the files themselves stay in the private storage).
        "attachments": [
            {"name": a.name, "required": a.required, "type": a.file_type, "size": a.size, "sha256": a.sha256}
            for a in offer.attachments.all()
        ],
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


# --- Checks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    step: str  # the form step where it is corrected
    field: str  # the form field (or "" for the step as a whole)
    message: str


def money_problems(offer: Offer, competition, lines) -> list[Problem]:
    """The sums of V.A, V.B and V.C and the announcement's limits. Messages name the rows."""
    problems = []
    totals = cost_totals(lines)
    total = totals.total
    sources = offer.sources_total
    if not lines:
        problems.append(Problem("koszty", "", _("Add at least one cost line to the cost calculation (V.A).")))
    if sources != total:
        problems.append(
            Problem(
                "zrodla",
                "grant_requested",
                _(
                    "The sources of financing in V.B (row 2 planned grant %(grant)s + row 3.1 own financial contribution "
                    "%(financial)s + row 3.2 own personal contribution %(personal)s + row 3.3 own in-kind contribution "
                    "%(in_kind)s + row 4 fees from the beneficiaries %(fees)s) add up to %(sources)s, but the total costs in "
                    "V.A (row III, the sum of all costs) are %(total)s: the difference is %(difference)s."
                )
                % {
                    "grant": format_money(offer.grant_requested),
                    "financial": format_money(offer.own_financial),
                    "personal": format_money(offer.own_personal),
                    "in_kind": format_money(offer.own_in_kind),
                    "fees": format_money(offer.beneficiary_fees),
                    "sources": format_money(sources),
                    "total": format_money(total),
                    "difference": format_money(abs(total - sources)),
                },
            )
        )
    if offer.is_small_grant:
        pass  # the limits of art. 19a are `small_grant_problems`
    elif offer.grant_requested > competition.max_grant:
        problems.append(
            Problem(
                "zrodla",
                "grant_requested",
                _(
                    "The planned grant (V.B row 2) of %(grant)s is above the maximum grant per offer in this competition, %(max)s."
                )
                % {"grant": format_money(offer.grant_requested), "max": format_money(competition.max_grant)},
            )
        )
    if not offer.is_small_grant and offer.grant_requested > competition.total_funds:
        problems.append(
            Problem(
                "zrodla",
                "grant_requested",
                _("The planned grant (V.B row 2) is above the total funds of the competition, %(funds)s.")
                % {"funds": format_money(competition.total_funds)},
            )
        )
    if competition.min_grant and offer.grant_requested < competition.min_grant:
        problems.append(
            Problem(
                "zrodla",
                "grant_requested",
                _(
                    "The planned grant (V.B row 2) of %(grant)s is below the minimum grant per offer in this competition, %(min)s."
                )
                % {"grant": format_money(offer.grant_requested), "min": format_money(competition.min_grant)},
            )
        )
    if offer.grant_requested <= 0 and lines:
        problems.append(Problem("zrodla", "grant_requested", _("Give the planned grant (V.B row 2).")))
    own = own_contribution(offer, competition)
    if total and own * 10000 < total * competition.own_contribution_min_bp:
        kinds = [
            label
            for counts, label in (
                (competition.own_counts_financial, _("financial")),
                (competition.own_counts_personal, _("personal")),
                (competition.own_counts_in_kind, _("in-kind")),
                (competition.own_counts_fees, _("fees from the beneficiaries")),
            )
            if counts
        ]
        required = -(-total * competition.own_contribution_min_bp // 10000)
        problems.append(
            Problem(
                "zrodla",
                "own_financial",
                _(
                    "The own contribution that counts in this competition (%(kinds)s; V.B rows 3.1–4) is %(own)s, %(share)s of "
                    "the total costs; the announcement requires at least %(min)s, that is %(required)s."
                )
                % {
                    "kinds": ", ".join(kinds),
                    "own": format_money(own),
                    "share": format_percent(share_bp(own, total)),
                    "min": format_percent(competition.own_contribution_min_bp),
                    "required": format_money(required),
                },
            )
        )
    if (
        competition.admin_costs_max_bp is not None
        and total
        and totals.administrative * 10000 > total * competition.admin_costs_max_bp
    ):
        problems.append(
            Problem(
                "koszty",
                "",
                _(
                    "The administrative costs (V.A row II) of %(admin)s are %(share)s of the total costs; this competition "
                    "allows at most %(max)s."
                )
                % {
                    "admin": format_money(totals.administrative),
                    "share": format_percent(share_bp(totals.administrative, total)),
                    "max": format_percent(competition.admin_costs_max_bp),
                },
            )
        )
    return problems


def split_problems(offer: Offer, partners, total: int) -> list[Problem]:
    if not partners:
        return []
    split = offer.lead_cost_share + sum(p.cost_share for p in partners)
    if split != total:
        rows = " + ".join(
            [f"{offer.organisation} {format_money(offer.lead_cost_share)}"]
            + [f"{p.organisation} {format_money(p.cost_share)}" for p in partners]
        )
        return [
            Problem(
                "zrodla",
                "lead_cost_share",
                _(
                    "The split of the costs between the applicants in V.C (%(rows)s) adds up to %(split)s, but the total "
                    "costs in V.A (row III) are %(total)s."
                )
                % {"rows": rows, "split": format_money(split), "total": format_money(total)},
            )
        ]
    return []


def offer_problems(offer: Offer, *, digest: str | None = None) -> list[Problem]:
    """Everything that stops the offer from being submitted, each with the step that corrects it."""
    competition = offer.competition
    problems = []
    required = [
        ("oferent", "contact_name", offer.contact_name, _("Name the person authorised to give explanations (II).")),
        ("opis", "title", offer.title, _("Give the title of the task (III.1).")),
        ("opis", "date_from", offer.date_from, _("Give the dates of the task (III.2).")),
        ("opis", "summary", offer.summary, _("Describe the task (III.3).")),
        ("opis", "expected_results", offer.expected_results, _("Describe the expected results (III.5).")),
        ("zasoby", "resources", offer.resources, _("Describe the resources (IV.2).")),
        (
            "inne",
            "paid_activity",
            offer.paid_activity,
            _("Say whether the task is carried out free of charge or for a fee (VI)."),
        ),
        ("oswiadczenia", "tax_arrears", offer.tax_arrears, _("Declare the state of taxes and social security (VII).")),
        (
            "oswiadczenia",
            "signatories",
            offer.signatories.strip(),
            _("Name the persons authorised to represent the applicant (VII)."),
        ),
    ]
    if offer.is_small_grant:
        # The simplified offer has no sections IV and VI (domain.md §B3).
        required = [row for row in required if row[0] not in ("zasoby", "inne")]
    problems += [Problem(step, field, message) for step, field, value, message in required if not value]
    if (
        offer.date_from
        and offer.date_to
        and (offer.date_from < competition.task_start or offer.date_to > competition.task_end)
    ):
        problems.append(
            Problem(
                "opis",
                "date_from",
                _("The task must take place within the period of the competition, %(start)s – %(end)s.")
                % {
                    "start": competition.task_start.strftime("%d.%m.%Y"),
                    "end": competition.task_end.strftime("%d.%m.%Y"),
                },
            )
        )
    declarations = (
        "declares_pbo_only",
        "declares_fees_rules",
        "declares_register_data",
        "declares_truth",
        "declares_gdpr",
    )
    if not all(getattr(offer, name) for name in declarations):
        problems.append(Problem("oswiadczenia", "", _("Make every declaration of section VII.")))
    actions = list(offer.actions.all())
    if not actions:
        problems.append(Problem("dzialania", "", _("Add at least one action to the plan and schedule (III.4).")))
    if not offer.is_small_grant and not list(offer.results.all()):
        problems.append(Problem("dzialania", "", _("Add at least one row to the results table (III.6).")))
    lines = list(offer.cost_lines.all())
    problems += money_problems(offer, competition, lines)
    partners = list(offer.partners.all())
    problems += split_problems(offer, partners, cost_totals(lines).total)
    if partners:
        digest = digest or body_digest(offer)
        for partner in partners:
            if partner.state != PartnerState.CONFIRMED:
                problems.append(
                    Problem(
                        "partnerzy",
                        "",
                        _("%(organisation)s has not confirmed its part of the joint offer.")
                        % {"organisation": partner.organisation},
                    )
                )
            elif partner.confirmed_digest != digest:
                problems.append(
                    Problem(
                        "partnerzy",
                        "",
                        _(
                            "The offer has changed since %(organisation)s confirmed it: the partner must confirm it again."
                        )
                        % {"organisation": partner.organisation},
                    )
                )
    return problems


def missing_attachments(offer: Offer) -> list[str]:
    """The attachments the announcement requires that the offer does not carry yet. A warning, not a
    problem that stops submission: some are required only in some cases ("if signed by a proxy")."""
    attached = {a.name for a in offer.attachments.all()}
    return [name for name in offer.competition.attachment_list if name not in attached]


# --- Increment 3: the limits of a small grant (art. 19a UDPP) --------------------------------------


def task_days(offer: Offer) -> int | None:
    """The length of the task in days, both ends included."""
    if offer.date_from and offer.date_to:
        return (offer.date_to - offer.date_from).days + 1
    return None


def small_grant_problems(offer: Offer, params, *, earlier: list[tuple[str, int]]) -> list[Problem]:
    """The limits of art. 19a (from `LegalParameters`): the grant, the length of the task, and the
    organisation's small grants from this authority in the year (`earlier`: [(title, grosze)] of its
    other small-grant offers submitted, published or granted in the task's year)."""
    problems = []
    if offer.grant_requested > params.small_grant_max_grosze:
        problems.append(
            Problem(
                "zrodla",
                "grant_requested",
                _(
                    "The planned grant (V.B row 2) of %(grant)s is above the limit of a small grant, %(max)s (art. 19a ust. 1 UDPP)."
                )
                % {"grant": format_money(offer.grant_requested), "max": format_money(params.small_grant_max_grosze)},
            )
        )
    days = task_days(offer)
    if days is not None and days > params.small_grant_max_days:
        problems.append(
            Problem(
                "opis",
                "date_to",
                _(
                    "The task lasts %(days)s days (%(start)s – %(end)s); a small grant is for a task of at most %(max)s days "
                    "(art. 19a ust. 1 UDPP)."
                )
                % {
                    "days": days,
                    "start": offer.date_from.strftime("%d.%m.%Y"),
                    "end": offer.date_to.strftime("%d.%m.%Y"),
                    "max": params.small_grant_max_days,
                },
            )
        )
    used = sum(amount for _title, amount in earlier)
    if used + offer.grant_requested > params.small_grant_org_year_max_grosze:
        rows = "; ".join(f"„{title}” {format_money(amount)}" for title, amount in earlier)
        problems.append(
            Problem(
                "zrodla",
                "grant_requested",
                _(
                    "%(organisation)s has small grants from %(authority)s in %(year)s of %(used)s (%(rows)s); with this one "
                    "(%(grant)s) they would be %(total)s, above the limit of %(max)s per organisation per year (art. 19a ust. 4 UDPP)."
                )
                % {
                    "organisation": offer.organisation,
                    "authority": offer.competition.authority,
                    "year": offer.date_from.year if offer.date_from else "",
                    "used": format_money(used),
                    "rows": rows or "—",
                    "grant": format_money(offer.grant_requested),
                    "total": format_money(used + offer.grant_requested),
                    "max": format_money(params.small_grant_org_year_max_grosze),
                },
            )
        )
    return problems


# --- What a completion changed ----------------------------------------------------------------------

EMPTY = (None, "", [])
MONEY_KEYS = frozenset(
    {
        "grant",
        "own_financial",
        "own_personal",
        "own_in_kind",
        "beneficiary_fees",
        "total",
        "actions_total",
        "administrative_total",
        "amount",
        "unit_cost",
    }
)
# Parts of the canonical content by their place in the template, for people reading the differences.
PART_LABELS = {
    "II.correspondence_address": "II",
    "II.contact.name": "II",
    "II.contact.email": "II",
    "II.contact.phone": "II",
    "III.title": "III.1",
    "III.date_from": "III.2",
    "III.date_to": "III.2",
    "III.summary": "III.3",
    "III.actions": "III.4",
    "III.expected_results": "III.5",
    "III.results": "III.6",
    "IV.previous_activity": "IV.1",
    "IV.resources": "IV.2",
    "V.A.lines": "V.A",
    "V.A.actions_total": "V.A I",
    "V.A.administrative_total": "V.A II",
    "V.A.total": "V.A III",
    "V.B.grant": "V.B 2",
    "V.B.own_financial": "V.B 3.1",
    "V.B.own_personal": "V.B 3.2",
    "V.B.own_in_kind": "V.B 3.3",
    "V.B.beneficiary_fees": "V.B 4",
    "V.B.total": "V.B",
    "V.C": "V.C",
    "VI.paid_activity": "VI",
    "VI.partners_split": "VI",
    "VI.other_info": "VI",
    "VII.signatories": "VII",
    "attachments": "",
}


def _flat(data: dict, prefix: str = "") -> dict[str, Any]:
    flat = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and path != "V.A.per_year":
            flat.update(_flat(value, path + "."))
        else:
            flat[path] = value
    return flat


def _readable(key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int) and key in MONEY_KEYS:
        return format_money(value)
    if isinstance(value, dict):
        return "; ".join(
            f"{k}: {format_money(v) if isinstance(v, int) else v}" for k, v in value.items()
        )  # V.A per year
    if isinstance(value, list):
        return "\n".join(
            " · ".join(_readable(k, v) for k, v in row.items() if v not in (None, ""))
            if isinstance(row, dict)
            else _readable(key, row)
            for row in value
        )
    return str(value)


def body_changes(before: dict, after: dict) -> dict[str, list[str]]:
    """The parts of the offer that differ between two canonical contents: {"III.1 III.title": [before,
    after]} as text for people (money in złoty, table rows a line each, attachments with their SHA-256).
    Nothing when the content before is unknown (a call recorded before contents were kept)."""
    if not before:
        return {}
    old, new = _flat(before), _flat(after)
    changes = {}
    for path in sorted(old.keys() | new.keys()):  # I, II, III, IV, V, VI, VII, then attachments
        before, after = old.get(path), new.get(path)
        if path in ("schema", "offer") or before == after or (before in EMPTY and after in EMPTY):
            continue
        key = path.rsplit(".", 1)[-1]
        label = " ".join(part for part in (PART_LABELS.get(path, ""), path) if part)
        changes[label] = [_readable(key, before), _readable(key, after)]
    return changes
