"""The ranking of the evaluated offers with the proposed amounts, the decision and the publication; the
published results as CSV and XLSX."""

from html import escape
from operator import itemgetter

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from ngo_platform.competitions import selectors, services
from ngo_platform.competitions.forms import AmountsForm, DecisionForm
from ngo_platform.competitions.models import CompetitionState
from ngo_platform.competitions.views.common import _competition, _manage
from ngo_platform.competitions.workflows import COMPETITION
from ngo_platform.core import spreadsheets
from ngo_platform.core.confirmation import ask_before
from ngo_platform.core.documents import file_response
from ngo_platform.core.money import format_money
from ngo_platform.core.spreadsheets import Column, Kind

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ranking(request, slug):
    """The officer's ranking: averages, ties, cards; proposed amounts; the decision; the publication."""
    competition, response = _manage(request, slug)
    if response is not None:
        return response
    if competition.state not in (CompetitionState.EVALUATION, CompetitionState.DECIDED, CompetitionState.RESULTS):
        raise Http404
    result = selectors.ranking(competition)
    action = request.POST.get("action") if request.method == "POST" else None
    open_ = request.user.has_perm("competitions.decide_grants", competition)
    amounts = AmountsForm(request.POST if action == "amounts" else None, rows=result.rows, prefix="a")
    decision = DecisionForm(request.POST if action == "decide" else None, prefix="d")
    amount_errors: dict = {}
    if action == "amounts" and open_ and amounts.is_valid():
        try:
            warnings = services.amounts_propose(actor=request.user, competition=competition, amounts=amounts.amounts())
        except services.AmountErrors as error:
            amount_errors = error.errors
            for offer_id, message in error.errors.items():
                amounts.add_error(offer_id, message)
            if not error.errors:
                amounts.add_error(None, str(error))
        else:
            messages.success(request, _("The proposed amounts have been saved."))
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("competitions:ranking", slug=competition.slug)
    if action == "decide" and open_ and decision.is_valid():
        if (page := _ask_before_deciding(request, competition, result, decision.cleaned_data["reference"])) is not None:
            return page
        try:
            services.competition_decide(
                actor=request.user, competition=competition, reference=decision.cleaned_data["reference"]
            )
        except services.CompetitionError as error:
            decision.add_error("reference" if error.field else None, str(error))
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect("competitions:ranking", slug=competition.slug)
    if action == "publish":
        if (page := _ask_before_publishing(request, competition)) is not None:
            return page
        try:
            services.results_publish(actor=request.user, competition=competition)
        except services.CompetitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The results have been published."))
            return redirect(competition.get_absolute_url())
        return redirect("competitions:ranking", slug=competition.slug)
    return render(
        request,
        "competitions/ranking.html",
        {
            "competition": competition,
            "ranking": result,
            "rows": result.rows,
            "ranking_rows": _ranking_rows(result.rows, amounts if open_ else None),
            "amounts": amounts,
            "decision": decision,
            "open": open_,
            "may_publish": request.user.has_perm("competitions.publish_results", competition),
            "amount_errors": amount_errors,
        },
    )


def _ask_before_deciding(request, competition, result, reference: str):
    """The confirmation page of the decision (None: confirmed, or it would be refused anyway and says why)."""
    funded = [row for row in result.rows if row.proposed]
    facts = {"count": len(funded), "total": format_money(result.proposed_total), "reference": reference}
    return ask_before(
        request,
        COMPETITION,
        "decide",
        competition,
        title=_("Record the decision on the grants of “%(title)s”?") % {"title": competition.title},
        consequences=[
            ngettext(
                "%(count)s offer is funded, %(total)s in all; every other offer is not funded.",
                "%(count)s offers are funded, %(total)s in all; every other offer is not funded.",
                len(funded),
            )
            % facts
            if funded
            else _("No offer is funded: no amount has been proposed."),
            _("The points, places and amounts are recorded under the decision “%(reference)s”.") % facts,
        ],
        button=_("Yes, record the decision"),
        cancel_url=reverse("competitions:ranking", args=[competition.slug]),
    )


def _ask_before_publishing(request, competition):
    return ask_before(
        request,
        COMPETITION,
        "results_publish",
        competition,
        title=_("Publish the results of “%(title)s”?") % {"title": competition.title},
        consequences=[
            _("The results (organisation, task, points, amount) appear on the competition's page and as open data."),
            _("Each applicant sees the score cards of its own offer."),
        ],
        button=_("Yes, publish the results"),
        cancel_url=reverse("competitions:ranking", args=[competition.slug]),
    )


_TIED, _FIELD_ERROR = ' class="tied"', ' class="field-error"'
_PK = 987654321  # stands for an offer's id in a URL reversed once per page


def _url_pattern(name: str) -> str:
    """The URL of `name` for any offer, as a "{}" pattern: reversed once, formatted per row."""
    url = reverse(name, args=[_PK])
    assert url.count(str(_PK)) == 1 and "{" not in url and "}" not in url, url
    return url.replace(str(_PK), "{}")


def _ranking_rows(rows, amounts):
    """The rows of the ranking table as one piece of HTML, built in one pass with precomputed strings (the
    template loop with a `{% url %}`, a `{% translate %}` and a bound form field per row took ~300 ms at 1,000
    offers; `format_html` per cell ~100 ms, `formats.localize` per average ~20 ms). Every text from the data
    passes through `escape` (the standard library's, which Django's wraps); numbers and amounts (`format_money`:
    digits, spaces, a comma and "zł") need none. `amounts` is the amounts form while the amounts may be
    proposed, otherwise None (the amount is shown)."""
    scores = escape(_url_pattern("competitions:offer_scores"))
    tie = f' <span class="tag">{escape(_("ex aequo"))}</span>'
    decimal = formats.get_format("DECIMAL_SEPARATOR")  # as the template shows a Decimal (no grouping below 1,000)
    html = []
    for row in rows:
        if amounts is not None:
            invalid, amount = amounts.cell(row)
        else:
            invalid, amount = False, format_money(row.granted if row.granted is not None else row.proposed)
        place = f"{row.rank}{tie if row.tied else ''}" if row.rank else "–"
        if (average := row.average_display) is None:
            average = "–"
        else:
            average = str(average).replace(".", decimal) if abs(average) < 1000 else formats.localize(average)
        html.append(
            f"<tr{_TIED if row.tied else ''}>\n<td>{place}</td>\n"
            f'<th scope="row">{escape(", ".join([row.organisation, *row.partners]))}</th>\n'
            f'<td><a href="{scores.format(row.offer_id)}">{escape(row.title)}</a></td>\n<td>{average}</td>\n'
            f"<td>{row.cards} / {row.expected}</td>\n<td>{format_money(row.requested)}</td>\n"
            f"<td{_FIELD_ERROR if invalid else ''}>{amount}</td>\n</tr>"
        )
    return mark_safe("".join(html))  # every piece of data above is escaped


# The published results as a table (core.spreadsheets writes the CSV variants and the XLSX; the columns
# are documented in docs/open-data.md).
RESULT_COLUMNS = [
    Column("miejsce", pgettext_lazy("spreadsheet", "place in the ranking"), itemgetter("rank"), Kind.INTEGER),
    Column(
        "ex_aequo",
        pgettext_lazy("spreadsheet", "the place is shared with another offer"),
        itemgetter("tied"),
        Kind.BOOLEAN,
    ),
    Column("oferent", pgettext_lazy("spreadsheet", "the applicant organisation"), itemgetter("organisation")),
    Column(
        "partnerzy",
        pgettext_lazy("spreadsheet", "partner organisations of a joint offer"),
        lambda r: "; ".join(r["partners"]),
    ),
    Column("tytul_zadania", pgettext_lazy("spreadsheet", "title of the public task"), itemgetter("title")),
    Column(
        "srednia_punktow",
        pgettext_lazy("spreadsheet", "average points of the commission"),
        itemgetter("points"),
        Kind.DECIMAL,
    ),
    Column(
        "kwota_wnioskowana_zl", pgettext_lazy("spreadsheet", "grant requested"), itemgetter("requested"), Kind.MONEY
    ),
    Column(
        "kwota_dotacji_zl",
        pgettext_lazy("spreadsheet", "grant awarded (0 when not funded)"),
        itemgetter("amount"),
        Kind.MONEY,
    ),
    Column(
        "dotacja_przyznana", pgettext_lazy("spreadsheet", "the offer is funded"), itemgetter("funded"), Kind.BOOLEAN
    ),
]


def _published(request, slug):
    competition = _competition(request, slug)
    if competition.state != CompetitionState.RESULTS:
        raise Http404
    return competition


def results_csv(request, slug):
    """The published results as CSV: the machine variant, or with `?wariant=excel` the one for Polish Excel
    (core.spreadsheets says what each holds)."""
    variant = spreadsheets.csv_variant(request.GET)
    if variant is None:
        raise Http404
    competition = _published(request, slug)
    content = "".join(spreadsheets.csv_chunks(RESULT_COLUMNS, selectors.public_results(competition), variant))
    filename = spreadsheets.csv_filename(f"wyniki-{competition.slug}", variant)
    return file_response(content.encode("utf-8"), filename, "text/csv; charset=utf-8")


def results_xlsx(request, slug):
    """The published results as XLSX with typed cells: points and amounts as numbers (złoty, two places)."""
    competition = _published(request, slug)
    content, _count = spreadsheets.xlsx_bytes(RESULT_COLUMNS, selectors.public_results(competition), sheet="wyniki")
    return file_response(content, f"wyniki-{competition.slug}.xlsx", XLSX_TYPE)
