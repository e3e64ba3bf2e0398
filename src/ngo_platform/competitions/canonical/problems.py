"""The checks of an offer before it is submitted: the required fields, the sums of V.A, V.B and V.C and
the announcement's limits, the partners' confirmations, and the limits of a small grant (art. 19a UDPP).
Each problem names the form step (and field) that corrects it; the messages name the rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ngo_platform.competitions.canonical.content import Totals, body_digest, cost_totals
from ngo_platform.competitions.models import Offer, PartnerState
from ngo_platform.core.money import format_money, format_percent, share_bp


@dataclass(frozen=True)
class Problem:
    step: str  # the form step where it is corrected
    field: str  # the form field (or "" for the step as a whole)
    message: str


def own_contribution(offer: Offer, competition) -> int:
    """The own contribution that counts in this competition (its announcement says which kinds), of an offer
    or of anything with the same sources (an agreement's updated cost calculation)."""
    return (
        (offer.own_financial if competition.own_counts_financial else 0)
        + (offer.own_personal if competition.own_counts_personal else 0)
        + (offer.own_in_kind if competition.own_counts_in_kind else 0)
        + (offer.beneficiary_fees if competition.own_counts_fees else 0)
    )


# --- The sums and the announcement's limits ---------------------------------------------------------


def money_problems(offer: Offer, competition, lines) -> list[Problem]:
    """The sums of V.A, V.B and V.C and the announcement's limits. Messages name the rows."""
    totals = cost_totals(lines)
    problems = []
    if not lines:
        problems.append(Problem("koszty", "", _("Add at least one cost line to the cost calculation (V.A).")))
    problems += _sources_differ_from_costs(offer, totals.total)
    problems += _grant_outside_limits(offer, competition, lines)
    problems += _own_contribution_too_low(offer, competition, totals.total)
    problems += _administrative_costs_too_high(competition, totals)
    return problems


def _sources_differ_from_costs(offer: Offer, total: int) -> list[Problem]:
    """V.B must add up to the total costs of V.A."""
    sources = offer.sources_total
    if sources == total:
        return []
    return [
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
    ]


def _grant_outside_limits(offer: Offer, competition, lines) -> list[Problem]:
    """The planned grant (V.B row 2) within the competition's maximum, total funds and minimum, and given."""
    problems = []
    grant = offer.grant_requested
    # The maximum and the total funds do not bind a small grant: its limits are `small_grant_problems`.
    if not offer.is_small_grant and grant > competition.max_grant:
        problems.append(
            Problem(
                "zrodla",
                "grant_requested",
                _(
                    "The planned grant (V.B row 2) of %(grant)s is above the maximum grant per offer in this competition, %(max)s."
                )
                % {"grant": format_money(grant), "max": format_money(competition.max_grant)},
            )
        )
    if not offer.is_small_grant and grant > competition.total_funds:
        problems.append(
            Problem(
                "zrodla",
                "grant_requested",
                _("The planned grant (V.B row 2) is above the total funds of the competition, %(funds)s.")
                % {"funds": format_money(competition.total_funds)},
            )
        )
    if competition.min_grant and grant < competition.min_grant:
        problems.append(
            Problem(
                "zrodla",
                "grant_requested",
                _(
                    "The planned grant (V.B row 2) of %(grant)s is below the minimum grant per offer in this competition, %(min)s."
                )
                % {"grant": format_money(grant), "min": format_money(competition.min_grant)},
            )
        )
    if grant <= 0 and lines:
        problems.append(Problem("zrodla", "grant_requested", _("Give the planned grant (V.B row 2).")))
    return problems


def _own_contribution_too_low(offer: Offer, competition, total: int) -> list[Problem]:
    """The own contribution of the kinds that count, at least the announcement's share of the total costs."""
    own = own_contribution(offer, competition)
    if not (total and own * 10000 < total * competition.own_contribution_min_bp):
        return []
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
    return [
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
    ]


def _administrative_costs_too_high(competition, totals: Totals) -> list[Problem]:
    """The administrative costs (V.A row II) within the announcement's share of the total costs."""
    total = totals.total
    if not (
        competition.admin_costs_max_bp is not None
        and total
        and totals.administrative * 10000 > total * competition.admin_costs_max_bp
    ):
        return []
    return [
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
    ]


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


# --- Everything that stops a submission --------------------------------------------------------------


def offer_problems(offer: Offer, *, digest: str | None = None) -> list[Problem]:
    """Everything that stops the offer from being submitted, each with the step that corrects it."""
    competition = offer.competition
    problems = _required_fields_missing(offer)
    problems += _dates_outside_competition(offer, competition)
    problems += _declarations_missing(offer)
    problems += _plan_missing(offer)
    lines = list(offer.cost_lines.all())
    problems += money_problems(offer, competition, lines)
    partners = list(offer.partners.all())
    problems += split_problems(offer, partners, cost_totals(lines).total)
    if partners:
        problems += _partners_unconfirmed(partners, digest or body_digest(offer))
    return problems


def _required_fields_missing(offer: Offer) -> list[Problem]:
    """The fields of the template that must be filled (the simplified offer has no sections IV and VI)."""
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
    return [Problem(step, field, message) for step, field, value, message in required if not value]


def _dates_outside_competition(offer: Offer, competition) -> list[Problem]:
    if not (
        offer.date_from
        and offer.date_to
        and (offer.date_from < competition.task_start or offer.date_to > competition.task_end)
    ):
        return []
    return [
        Problem(
            "opis",
            "date_from",
            _("The task must take place within the period of the competition, %(start)s – %(end)s.")
            % {
                "start": competition.task_start.strftime("%d.%m.%Y"),
                "end": competition.task_end.strftime("%d.%m.%Y"),
            },
        )
    ]


DECLARATIONS = ("declares_pbo_only", "declares_fees_rules", "declares_register_data", "declares_truth", "declares_gdpr")


def _declarations_missing(offer: Offer) -> list[Problem]:
    if all(getattr(offer, name) for name in DECLARATIONS):
        return []
    return [Problem("oswiadczenia", "", _("Make every declaration of section VII."))]


def _plan_missing(offer: Offer) -> list[Problem]:
    """At least one action (III.4) and, but in a small grant, one row of the results (III.6)."""
    problems = []
    if not list(offer.actions.all()):
        problems.append(Problem("dzialania", "", _("Add at least one action to the plan and schedule (III.4).")))
    if not offer.is_small_grant and not list(offer.results.all()):
        problems.append(Problem("dzialania", "", _("Add at least one row to the results table (III.6).")))
    return problems


def _partners_unconfirmed(partners: list, digest: str) -> list[Problem]:
    """Each partner of a joint offer confirmed the offer as it now reads (`digest`: its body's checksum)."""
    problems = []
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
                    _("The offer has changed since %(organisation)s confirmed it: the partner must confirm it again.")
                    % {"organisation": partner.organisation},
                )
            )
    return problems


def missing_attachments(offer: Offer) -> list[str]:
    """The attachments the announcement requires that the offer does not carry yet. A warning, not a
    problem that stops submission: some are required only in some cases ("if signed by a proxy")."""
    attached = {a.name for a in offer.attachments.all()}
    return [name for name in offer.competition.attachment_list if name not in attached]


# --- The limits of a small grant (art. 19a UDPP) -----------------------------------------------------


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
