"""The agreement as an editable DOCX, following the template of Dz.U. 2018 poz. 2057, zał. 3 (umowa o
realizację zadania publicznego): the parties and their representatives, the subject, the task's dates,
the grant in figures and in words with the account and the payment schedule, the own contribution, the
cost calculation (the updated one when accepted), the report's due date and the signatures.

The text is the official Polish template's, whatever the interface language. The paragraphs the template
leaves to the parties' data are filled; its standard clauses are referred to, not retyped (the officer
edits the DOCX if the authority adds its own). Reads only what `selectors.agreement_page` selected.
"""

from __future__ import annotations

from ngo_platform.agreements import selectors
from ngo_platform.agreements.models import PartyRole
from ngo_platform.agreements.words import amount_in_words
from ngo_platform.competitions.models import CostCategory
from ngo_platform.core.documents import docx_bytes, docx_table, new_docx
from ngo_platform.core.money import format_money, format_quantity

MONTHS = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
]
BLANK = "…………………"


def polish_date(value) -> str:
    """2026-06-01 → "1 czerwca 2026 r."; empty → a line to fill in by hand."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year} r." if value else BLANK


def _lines(text: str) -> str:
    return ", ".join(line.strip() for line in (text or "").splitlines() if line.strip()) or BLANK


def _party(party) -> str:
    organisation = party.organisation
    register = (
        f"numer KRS {organisation.krs}"
        if organisation.krs
        else (
            f"{organisation.get_register_display()} {organisation.registry_number}".strip()
            or "nr w rejestrze: " + BLANK
        )
    )
    seat = ", ".join(
        part for part in (organisation.street, f"{organisation.postal_code} {organisation.city}".strip()) if part
    )
    return (
        f"{organisation.name} ({organisation.get_legal_form_display()}), {register}, z siedzibą: {seat or BLANK}, "
        f"reprezentowaną przez: {_lines(party.signatories)}"
    )


def _preamble(document, agreement, parties: list) -> None:
    """The title's continuation and the parties: the authority and each organisation with its representatives."""
    offer = agreement.offer
    competition = offer.competition
    form = "wsparcie" if competition.task_form == "wspieranie" else "powierzenie"
    joint = len(parties) > 1
    contractor = "Zleceniobiorcami" if joint else "Zleceniobiorcą"
    document.add_paragraph(
        f"o {form} realizacji zadania publicznego pod tytułem „{offer.title}”, zawarta w dniu "
        f"{polish_date(agreement.signed_on)} w {agreement.place or BLANK}, na podstawie art. 16 ust. 1 ustawy z dnia "
        "24 kwietnia 2003 r. o działalności pożytku publicznego i o wolontariacie (Dz.U. z 2024 r. poz. 1491), pomiędzy:"
    )
    document.add_paragraph(
        f"{competition.authority.name}, zwanym dalej „Zleceniodawcą”, reprezentowanym przez: {_lines(agreement.authority_signatories)},"
    )
    document.add_paragraph("a")
    for party in parties:
        role = "" if party.role == PartyRole.LEAD else " (oferent wspólny)"
        document.add_paragraph(_party(party) + role + ",", style="List Number")
    document.add_paragraph(f"{'zwanymi' if joint else 'zwaną'} dalej „{contractor}”.")


def _subject_and_term(document, agreement, *, joint: bool, updated: bool, submission) -> None:
    """§ 1, the task as the offer (and the updated calculation) describes it, and § 2, its dates."""
    offer = agreement.offer
    document.add_heading("§ 1. Przedmiot umowy", level=2)
    offer_ref = (
        f" złożonej dnia {polish_date(submission.submitted_at.date())} (potwierdzenie nr {submission.number})"
        if submission
        else ""
    )
    document.add_paragraph(
        f"Zleceniodawca zleca {'Zleceniobiorcom' if joint else 'Zleceniobiorcy'}, zgodnie z przepisami ustawy, realizację "
        f"zadania publicznego pod tytułem „{offer.title}”, określonego szczegółowo w ofercie{offer_ref}"
        + (" oraz w zaktualizowanej kalkulacji kosztów" if updated else "")
        + ", a Zleceniobiorca zobowiązuje się wykonać zadanie w zakresie i na zasadach określonych w umowie."
    )
    document.add_heading("§ 2. Sposób wykonania zadania publicznego", level=2)
    document.add_paragraph(
        f"Termin realizacji zadania publicznego ustala się od dnia {polish_date(agreement.task_start)} "
        f"do dnia {polish_date(agreement.task_end)}."
    )


def _grant_and_contribution(document, agreement, sources: dict[str, int]) -> None:
    """§ 3, the grant in figures and in words, the account and the instalments, and § 4, the own contribution."""
    document.add_heading("§ 3. Wysokość dotacji", level=2)
    account = agreement.account_groups or BLANK
    document.add_paragraph(
        f"Zleceniodawca zobowiązuje się do przekazania na realizację zadania publicznego dotacji w kwocie "
        f"{format_money(agreement.granted_amount)} (słownie: {amount_in_words(agreement.granted_amount)}), "
        f"na rachunek bankowy Zleceniobiorcy nr {account}, w następujących transzach:"
    )
    docx_table(
        document,
        ["Lp.", "Termin przekazania", "Kwota"],
        [[row.position, polish_date(row.due_on), format_money(row.amount)] for row in agreement.instalments.all()],
    )
    document.add_heading("§ 4. Wkład własny", level=2)
    personal_in_kind = sources.get("own_personal", 0) + sources.get("own_in_kind", 0)
    document.add_paragraph(
        f"Zleceniobiorca zobowiązuje się do przekazania na realizację zadania publicznego wkładu własnego finansowego "
        f"w wysokości {format_money(sources.get('own_financial', 0))}, wkładu własnego niefinansowego (osobowego i rzeczowego) "
        f"o wartości {format_money(personal_in_kind)} oraz świadczeń pieniężnych od odbiorców zadania w wysokości "
        f"{format_money(sources.get('beneficiary_fees', 0))}. Całkowity koszt zadania publicznego wynosi "
        f"{format_money(sum(sources.values()))}."
    )


def _cost_calculation(document, cost_lines: list[dict], update) -> None:
    """The cost lines with their total; an accepted updated calculation (`update`) adds its units as an annex."""
    document.add_heading("Kalkulacja kosztów" + (" (zaktualizowana)" if update else ""), level=2)
    docx_table(
        document,
        ["Lp.", "Kategoria", "Rodzaj kosztu", "Wartość"],
        [
            [n, "I" if row["category"] == CostCategory.ACTION else "II", row["name"], format_money(row["total"])]
            for n, row in enumerate(cost_lines, start=1)
        ]
        + [["", "", "Razem", format_money(sum(row["total"] for row in cost_lines))]],
    )
    if update:
        document.add_paragraph(
            "Zaktualizowana kalkulacja kosztów (rodzaj miary, koszt jednostkowy, liczba jednostek) stanowi załącznik do umowy: "
            + "; ".join(
                f"{line.name}: {format_money(line.unit_cost)} × {format_quantity(line.units)} {line.unit}"
                for line in update.lines.all()
            )
            + "."
        )


def _reporting_and_signatures(document, agreement, parties: list) -> None:
    """§ 10, the final report's due date, the reference to the template's other clauses and the signatures."""
    document.add_heading("§ 10. Obowiązki sprawozdawcze", level=2)
    document.add_paragraph(
        "Zleceniobiorca składa sprawozdanie końcowe z wykonania zadania publicznego sporządzone według wzoru stanowiącego "
        "załącznik nr 5 do rozporządzenia Przewodniczącego Komitetu do spraw Pożytku Publicznego z dnia 24 października 2018 r. "
        f"(Dz.U. poz. 2057) w terminie do dnia {polish_date(agreement.report_due)} (30 dni od dnia zakończenia realizacji "
        "zadania, art. 18 ust. 1 ustawy)."
    )
    document.add_paragraph(
        "Pozostałe postanowienia umowy – zgodnie ze wzorem umowy stanowiącym załącznik nr 3 do rozporządzenia, o którym mowa w § 10."
    )
    document.add_heading("Podpisy", level=2)
    docx_table(
        document,
        ["Zleceniodawca", "Zleceniobiorca"],
        [
            [
                _lines(agreement.authority_signatories),
                "; ".join(f"{party.organisation.name}: {_lines(party.signatories)}" for party in parties),
            ]
        ],
    )


def agreement_docx(agreement, *, cost_lines: list[dict], sources: dict[str, int], submission=None) -> bytes:
    """The DOCX bytes. `cost_lines` and `sources` are the agreement's calculation (`services.planned_costs`)."""
    parties = list(agreement.parties.all())
    update = selectors.cost_update_of(agreement)
    updated = update is not None and update.state == "accepted"

    document = new_docx(f"UMOWA NR {agreement.number}")
    _preamble(document, agreement, parties)
    _subject_and_term(document, agreement, joint=len(parties) > 1, updated=updated, submission=submission)
    _grant_and_contribution(document, agreement, sources)
    _cost_calculation(document, cost_lines, update if updated else None)
    _reporting_and_signatures(document, agreement, parties)
    return docx_bytes(document)
