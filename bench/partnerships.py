"""Benchmark of the suggestions of partners (issue 16, Deliver 8).

A companion of bench/community.py, which it reuses (the server, the signed-in client, the query counts, the plans
and the profile). On a fresh database in DATABASE_URL (migrated, reference data) it writes, in two steps,
`--small-organisations` (2,000) generated organisations (`organisations.generator.bulk_insert`) and
`--small-announcements` (200) announcements, then up to `--organisations` (150,000) and `--announcements` (10,000).
The announcements are written in bulk, not through the services: published, the deadline to come, seeking or
offering, a Polish theme and description from realistic themes (seniors' digital inclusion, youth sport, festivals,
ecology, social help, …), 1–3 of the theme's spheres, one or two units near the author's seat (a gmina, a powiat, the
voivodeship), an organisation as the author (now and then an authority), and the search entry
`services.index_announcement` would write. History for the reasons, in bulk too: a competition in each sphere
(results published), offers (granted or submitted) of random organisations in their spheres, some of them joint.

After each step it counts, in-process (signed in, NGO_DEBUG off), the SQL queries of every page below: the counts
must be equal at both sizes. Then it measures over HTTP, one client, `--requests` requests per row after a warm-up,
every page *rendered anew*, signed in as an editor of the measured announcements' organisations and of the
organisation of the suggestions' page (the rule `partnerships.see_suggestions`), against the bare view. Budget
(issue 16): the pages with suggestions p95 ≤ 100 ms (`--budget-ms`), constant queries; the list and the search are
reported against 50 ms (`--list-budget-ms`).

    dropdb -h 127.0.0.1 -U postgres --if-exists ngo_bench_partnerships; createdb -h 127.0.0.1 -U postgres ngo_bench_partnerships
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ngo_bench_partnerships .venv/bin/python bench/partnerships.py --append

The report (Markdown) goes to stdout and, with --append, to the end of docs/benchmarks.md under
"## Partnership suggestions: 150,000 organisations, 10,000 announcements (issue 16)". See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

import community  # noqa: E402  (the signed-in client, query counts, plans, profiles)
import load  # noqa: E402
from home import setup  # noqa: E402

SECTION = "## Partnership suggestions: 150,000 organisations, 10,000 announcements (issue 16)"
AUTHOR = "bench-partnerka@example.pl"
WHY = "Dlaczego:"  # each suggestion's reasons ("Why:" in Polish)
SEARCH = "seniorów"

# key: (what it is, sphere numbers, titles, sentences of the description, what is offered, what is needed)
THEMES = {
    "seniors": ("seniors' digital inclusion", "10 14 12 13",
        ["Seniorzy w sieci: warsztaty cyfrowe dla osób starszych", "Kursy komputerowe dla seniorów",
         "Cyfrowy senior – bankowość internetowa i e-usługi bez obaw", "Klub seniora online: tablety i smartfony"],
        ["Chcemy przeprowadzić cykl zajęć, na których seniorzy nauczą się korzystać ze smartfonów i poczty e-mail.",
         "Zajęcia poprowadzą wolontariusze z lokalnego liceum, a uczestnicy dostaną materiały drukowane dużą czcionką.",
         "Szczególnie zależy nam na osobach starszych mieszkających na wsi, które nie mają bliskich w pobliżu.",
         "Uczymy rozpoznawać oszustwa internetowe i bezpiecznie załatwiać sprawy urzędowe przez internet."],
        ["Salę komputerową z dziesięcioma stanowiskami i trenerów.", "Tablety do wypożyczenia uczestnikom kursu."],
        ["Partnera z dostępem do klubów seniora i kół gospodyń wiejskich.", "Wolontariuszy do dyżurów cyfrowych."]),
    "sport": ("youth sport", "17 15 6",
        ["Liga podwórkowa – piłka nożna dla dzieci i młodzieży", "Partner do obozu sportowego dla młodzieży",
         "Ruch to zdrowie: zajęcia sportowe po lekcjach", "Turniej siatkówki plażowej dla drużyn młodzieżowych"],
        ["Organizujemy cotygodniowe treningi i rozgrywki dla dzieci w wieku od 8 do 15 lat.",
         "Zajęcia prowadzą licencjonowani trenerzy, a udział jest bezpłatny dla wszystkich uczestników.",
         "Chcemy dotrzeć do młodzieży, która nie trenuje w klubach i spędza czas przed ekranem.",
         "Na zakończenie sezonu planujemy turniej z udziałem drużyn z sąsiednich gmin."],
        ["Boisko ze sztuczną nawierzchnią i sprzęt sportowy.", "Doświadczenie w organizacji turniejów i obozów."],
        ["Partnera z kadrą trenerską i ubezpieczeniem.", "Transport dla drużyn z mniejszych miejscowości."]),
    "festival": ("a culture festival", "16 13 19 4",
        ["Festiwal kultury ludowej – szukamy współorganizatorów", "Dni sąsiedzkie: koncerty i jarmark rękodzieła",
         "Letni festiwal teatrów ulicznych", "Festiwal muzyki dawnej w zabytkowych kościołach regionu"],
        ["Festiwal odbywa się co roku i przyciąga kilka tysięcy mieszkańców oraz turystów.",
         "Program obejmuje koncerty zespołów ludowych, warsztaty rękodzieła i kiermasz lokalnych produktów.",
         "Chcemy włączyć w przygotowania koła gospodyń wiejskich, szkoły muzyczne i grupy teatralne.",
         "Wydarzenie promuje dziedzictwo kulturowe regionu i jest dostępne dla osób z niepełnosprawnościami."],
        ["Scenę, nagłośnienie i doświadczenie w organizacji imprez plenerowych.", "Kontakty z artystami regionu."],
        ["Partnera do prowadzenia warsztatów dla dzieci.", "Wolontariuszy i wsparcie w promocji wydarzenia."]),
    "ecology": ("ecology", "18 14 19",
        ["Czyste brzegi Odry – sprzątanie rzeki z mieszkańcami", "Edukacja ekologiczna w szkołach: szukamy partnera",
         "Łąki kwietne i hotele dla owadów w naszej gminie", "Ogród społeczny i kompostownik sąsiedzki"],
        ["Planujemy akcje sprzątania brzegów rzek i lasów z udziałem uczniów i mieszkańców.",
         "Prowadzimy zajęcia przyrodnicze w terenie i warsztaty o segregacji odpadów.",
         "Chcemy założyć łąki kwietne na nieużytkach i zbudować z dziećmi hotele dla owadów.",
         "Efekty projektu pokażemy na wystawie fotograficznej w bibliotece gminnej."],
        ["Sprzęt do sprzątania i doświadczonych edukatorów.", "Teren pod ogród i nasiona roślin miododajnych."],
        ["Szkoły lub przedszkola, które włączą się w zajęcia.", "Partnera z doświadczeniem w ochronie przyrody."]),
    "help": ("social help", "1 3 2 24",
        ["Sąsiedzka pomoc dla rodzin w trudnej sytuacji", "Bank żywności – szukamy partnera do dystrybucji paczek",
         "Punkt wsparcia dla osób w kryzysie bezdomności", "Świąteczna zbiórka dla potrzebujących rodzin"],
        ["Pomagamy rodzinom, które znalazły się w trudnej sytuacji życiowej, i osobom samotnym.",
         "Co miesiąc przygotowujemy paczki żywnościowe i środki czystości dla kilkudziesięciu rodzin.",
         "Współpracujemy z ośrodkiem pomocy społecznej, parafią i lokalnymi przedsiębiorcami."],
        ["Magazyn i samochód dostawczy.", "Doświadczonych wolontariuszy i bazę rodzin potrzebujących wsparcia."],
        ["Partnera do prowadzenia punktu wydawania żywności.", "Psychologa lub doradcę rodzinnego."]),
    "disability": ("people with disabilities", "7 6 2",
        ["Asystent osobisty osoby z niepełnosprawnością", "Warsztaty terapii zajęciowej dla dorosłych",
         "Dostępna gmina: szkolenia z dostępności dla urzędników i organizacji"],
        ["Wspieramy osoby z niepełnosprawnościami w codziennym życiu, nauce i pracy.",
         "Asystenci pomagają w dojazdach do lekarza, urzędu i na zajęcia rehabilitacyjne.",
         "Szkolimy organizacje i instytucje z projektowania wydarzeń dostępnych dla wszystkich."],
        ["Przeszkolonych asystentów i bus przystosowany do przewozu wózków."],
        ["Partnera z salą na parterze i dostępną toaletą.", "Terapeutów zajęciowych i fizjoterapeutów."]),
    "volunteering": ("volunteering", "27 13 33",
        ["Centrum wolontariatu – partnerzy do sieci lokalnych koordynatorów",
         "Wolontariat międzypokoleniowy w szkołach i domach pomocy"],
        ["Łączymy wolontariuszy z organizacjami i instytucjami, które potrzebują pomocy.",
         "Szkolimy koordynatorów wolontariatu i pomagamy przygotować porozumienia z wolontariuszami.",
         "Młodzież odwiedza mieszkańców domów pomocy społecznej i wspólnie z nimi przygotowuje spotkania."],
        ["Bazę kilkuset wolontariuszy i program szkoleń."],
        ["Organizacje, które przyjmą wolontariuszy.", "Partnera w mniejszych gminach powiatu."]),
    "rescue": ("rescue and safety", "23 20 15",
        ["Szkolenia z pierwszej pomocy dla mieszkańców", "Młodzieżowa drużyna pożarnicza – partner do obozu",
         "Bezpieczne wakacje nad wodą"],
        ["Ratownicy uczą dzieci, młodzież i dorosłych udzielania pierwszej pomocy.",
         "Ochotnicza straż pożarna prowadzi zajęcia dla młodzieżowej drużyny pożarniczej.",
         "Przed wakacjami organizujemy pokazy bezpiecznego zachowania nad wodą."],
        ["Fantomy, defibrylator szkoleniowy i instruktorów."],
        ["Szkoły i świetlice, w których przeprowadzimy zajęcia.", "Partnera z kąpieliskiem lub basenem."]),
    "health": ("health", "6 32 10",
        ["Profilaktyka zdrowia: badania i spotkania z lekarzami na wsi",
         "Program przeciwdziałania uzależnieniom wśród młodzieży"],
        ["Organizujemy bezpłatne badania profilaktyczne i spotkania z lekarzami w świetlicach wiejskich.",
         "Prowadzimy zajęcia o zdrowym stylu życia i przeciwdziałaniu uzależnieniom.",
         "Chcemy dotrzeć do mieszkańców, którzy mają daleko do przychodni."],
        ["Personel medyczny i mobilny gabinet."], ["Partnera, który zorganizuje dojazd i zapisy mieszkańców."]),
    "exchange": ("youth exchange", "26 15 14",
        ["Wymiana młodzieży polsko-niemieckiej", "Partner do projektu Erasmus+ dla młodzieży"],
        ["Przygotowujemy wymianę młodzieży ze szkołą i stowarzyszeniem z miasta partnerskiego w Niemczech.",
         "Uczestnicy poznają historię regionu, uczą się języka i wspólnie przygotowują przedstawienie.",
         "Projekt zgłosimy w programie Erasmus+ i rozliczymy wspólnie z partnerem."],
        ["Doświadczenie w rozliczaniu projektów międzynarodowych."],
        ["Partnera z grupą młodzieży i noclegami.", "Tłumacza na czas warsztatów."]),
    "family": ("family support", "31 1a 15",
        ["Szkoła dla rodziców – warsztaty wychowawcze", "Wsparcie rodzin zastępczych w powiecie"],
        ["Prowadzimy warsztaty dla rodziców o komunikacji z dziećmi i radzeniu sobie z trudnymi emocjami.",
         "Rodziny zastępcze mogą liczyć na grupy wsparcia, poradnictwo i opiekę nad dziećmi podczas spotkań.",
         "Współpracujemy z poradnią psychologiczno-pedagogiczną i szkołami."],
        ["Psychologów i salę zajęć z kącikiem dla dzieci."], ["Partnera z kadrą opiekunów dla dzieci."]),
}  # fmt: skip
GENERIC = [
    "Projekt chcemy zgłosić w otwartym konkursie ofert samorządu województwa.",
    "Partnerstwo obejmie wspólne przygotowanie oferty, realizację działań i rozliczenie.",
    "Szukamy organizacji z doświadczeniem w pracy z lokalną społecznością.",
    "Odpowiemy na każdą wiadomość wysłaną przez platformę w ciągu kilku dni.",
]
PROGRAMMES = ["", "", "", "FIO", "Erasmus+", "Program Senior+", "NOWEFIO", "Fundusze Europejskie dla Opolskiego"]
# The measured announcements, written first: (theme, territory, kind); their pages are the rows.
MEASURED = [("seniors", "gmina", "seeking"), ("sport", "powiat", "offering"), ("festival", "voivodeship", "seeking"),
            ("ecology", "two", "seeking")]  # fmt: skip
TERRITORY = {"gmina": "one gmina", "powiat": "one powiat", "voivodeship": "the voivodeship",
             "two": "a gmina and a powiat"}  # fmt: skip


class Context:
    """What the generated rows are spread over: organisations (and their seats), authorities, units, spheres."""

    def __init__(self):
        from ngo_platform.organisations.models import Organisation
        from ngo_platform.organisations.selectors import current_spheres
        from ngo_platform.territory.models import Authority, TerritorialUnit

        rows = Organisation.objects.order_by("pk").values_list("pk", "seat__teryt")
        self.organisations = [pk for pk, _ in rows]
        self.seats = dict(rows)
        self.authorities = list(Authority.objects.order_by("pk").values_list("pk", "unit__teryt"))
        self.units = {
            teryt: (pk, name) for pk, teryt, name in TerritorialUnit.objects.values_list("pk", "teryt", "name")
        }
        self.gminas = sorted(teryt for teryt in self.units if len(teryt) == 7)
        spheres = list(current_spheres().values_list("pk", "number", "name"))
        self.spheres = {number: pk for pk, number, _ in spheres}
        self.sphere_names = {pk: name for pk, _, name in spheres}


def territory(rng: random.Random, seat: str | None, mode: str, context: Context) -> list[str]:
    """TERYT codes of the announcement's territory, near the author's seat: its gmina, its powiat or the
    voivodeship (`two`: a gmina and its powiat)."""
    gmina = seat if seat and len(seat) == 7 else rng.choice([g for g in context.gminas if g.startswith(seat or "")])
    chosen = {"gmina": [gmina], "powiat": [gmina[:4]], "voivodeship": [gmina[:2]], "two": [gmina, gmina[:4]]}[mode]
    if mode == "gmina" and rng.random() < 0.25:
        chosen.append(rng.choice(context.gminas))  # and a neighbour of the data
    return [code for code in dict.fromkeys(chosen) if code in context.units]


def draft(i: int, context: Context, today: date) -> tuple[dict, list[int], list[str]]:
    """Announcement i: its fields, sphere ids and territory (TERYT codes); the same whatever the steps."""
    rng = random.Random(f"announcement-{i}")
    measured = MEASURED[i] if i < len(MEASURED) else None
    key = measured[0] if measured else rng.choice(list(THEMES))
    _label, numbers, titles, sentences, offered, needed = THEMES[key]
    if measured or rng.random() < 0.9:
        organisation = context.organisations[i + 1] if measured else rng.choice(context.organisations)
        authority, seat = None, context.seats[organisation]
    else:
        organisation, (authority, seat) = None, rng.choice(context.authorities)
    mode = measured[1] if measured else rng.choices(["gmina", "powiat", "voivodeship", "two"], [45, 30, 15, 10])[0]
    places = territory(rng, seat, mode, context)
    kind = measured[2] if measured else rng.choices(["seeking", "offering"], [65, 35])[0]
    title = rng.choice(titles)
    if rng.random() < 0.5:
        where = context.units[places[0]][1]
        title += {7: f" – gmina {where}", 4: f" – powiat {where}", 2: " – województwo opolskie"}[len(places[0])]
    budget = rng.choice([None, 5_000, 20_000, 50_000, 150_000])
    fields = {
        "kind": kind,
        "role": "leader" if (kind == "seeking") == (rng.random() < 0.8) else "partner",
        "organisation_id": organisation,
        "authority_id": authority,
        "title": title,
        "description": " ".join(rng.sample(sentences, rng.randint(2, len(sentences))) + [rng.choice(GENERIC)]),
        "offered": rng.choice(offered),
        "needed": rng.choice(needed),
        "programme": rng.choice(PROGRAMMES),
        "deadline": today + timedelta(days=rng.randint(7, 120)),
        "budget_from": budget // 5 if budget else None,
        "budget_to": budget,
    }
    spheres = [context.spheres[n] for n in rng.sample(numbers.split(), 3 if measured else rng.randint(1, 3))]
    return fields, spheres, places


def write_announcements(first: int, stop: int, context: Context) -> int:
    """Announcements `first`..`stop - 1`, published, with spheres, territory and search entries, in bulk:
    generated benchmark data, not the services' path (which would also write the audit log)."""
    from django.db import transaction
    from django.utils import timezone

    from ngo_platform.core.search import entry_values
    from ngo_platform.partnerships.models import Announcement, SearchEntry
    from ngo_platform.partnerships.selectors import ANNOUNCEMENTS_VERSION

    now = timezone.now()
    drafts = [draft(i, context, timezone.localdate(now)) for i in range(first, stop)]
    rows = []
    for i, (fields, _spheres, _places) in enumerate(drafts, start=first):
        published = now - timedelta(seconds=random.Random(f"published-{i}").uniform(600, 60 * 86400))
        rows.append(Announcement(**fields, state="published", state_changed_at=published, published_at=published))
    folded = SearchEntry._meta.get_field("name_folded").max_length
    spheres, units = Announcement.spheres.through, Announcement.territory.through
    with transaction.atomic():
        Announcement.objects.bulk_create(rows, batch_size=2000)
        pairs = [(row, chosen, places) for row, (_, chosen, places) in zip(rows, drafts)]
        spheres.objects.bulk_create(
            [spheres(announcement_id=row.pk, sphere_id=pk) for row, chosen, _ in pairs for pk in chosen],
            batch_size=5000,
        )
        units.objects.bulk_create(
            [units(announcement_id=row.pk, territorialunit_id=context.units[c][0]) for row, _, p in pairs for c in p],
            batch_size=5000,
        )
        entries = []
        for row, chosen, places in pairs:  # the body as services.index_announcement writes it
            names = [context.sphere_names[pk] for pk in chosen] + [context.units[code][1] for code in places]
            body = "\n".join([row.description, row.offered, row.needed, row.programme, *names])
            entries.append(SearchEntry(announcement=row, **entry_values(row.title, body, folded_limit=folded)))
        SearchEntry.objects.bulk_create(entries, batch_size=2000)
    ANNOUNCEMENTS_VERSION.bump()  # as the services do after a change
    return len(rows)


def write_competitions(context: Context) -> dict[int, int]:
    """One competition of last year in each sphere, its results published: sphere id → competition id."""
    from django.utils import timezone

    from ngo_platform.competitions.models import Competition

    now, year = timezone.now(), timezone.localdate().year - 1
    rng = random.Random("competitions")
    rows = [
        Competition(
            authority_id=rng.choice(context.authorities)[0], title=f"Otwarty konkurs ofert {year}: {name}"[:300],
            slug=f"bench-partnerstwa-{year}-{pk}", task_kind=name[:500], sphere_id=pk, total_funds=200_000_00,
            max_grant=20_000_00, eligible_entities="Organizacje pozarządowe i podmioty z art. 3 ust. 3 UDPP",
            task_start=date(year, 3, 1), task_end=date(year, 11, 30), offers_deadline=now - timedelta(days=420),
            rules_text="Zasady przyznawania dotacji.", state="results", version=1,
            published_at=now - timedelta(days=450), decided_at=now - timedelta(days=390),
            decision_reference=f"Uchwała nr {pk}/{year}", results_published_at=now - timedelta(days=389),
        )
        for pk, name in context.sphere_names.items()
    ]  # fmt: skip
    Competition.objects.bulk_create(rows)
    return {row.sphere_id: row.pk for row in rows}


def write_offers(plan, competitions: dict[int, int], user) -> tuple[int, int]:
    """Offers of `plan` [(lead organisation, sphere id, state, [partner organisations])] in the competition of the
    sphere, with their partners (confirmed), in bulk: (offers, partners)."""
    from django.db import transaction
    from django.utils import timezone

    from ngo_platform.competitions.models import Offer, OfferPartner

    now = timezone.now()
    offers = [
        Offer(competition_id=competitions[sphere], organisation_id=lead, state=state, created_by=user,
              title="Realizacja zadania publicznego", grant_requested=10_000_00,
              granted_amount=9_000_00 if state == "funded" else None,
              decided_at=now - timedelta(days=390) if state == "funded" else None)
        for lead, sphere, state, _ in plan
    ]  # fmt: skip
    with transaction.atomic():
        Offer.objects.bulk_create(offers, batch_size=2000)
        partners = [
            OfferPartner(offer=offer, organisation_id=pk, state="confirmed", invited_by=user, confirmed_by=user,
                         confirmed_at=now - timedelta(days=430), scope="Współorganizacja działań.")
            for offer, (lead, _, _, chosen) in zip(offers, plan) for pk in dict.fromkeys(chosen) if pk != lead
        ]  # fmt: skip
        OfferPartner.objects.bulk_create(partners, batch_size=2000)
    return len(offers), len(partners)


def history_plan(organisations: list[int], offers: int, partners: int, seed: str) -> list:
    """`offers` offers of organisations drawn from `organisations`, in one of their spheres, 40% granted; `partners`
    of them joint with another organisation of the list."""
    from ngo_platform.organisations.models import Organisation

    rng = random.Random(seed)
    leads = [rng.choice(organisations) for _ in range(offers)]
    spheres: dict[int, list[int]] = {}
    through = Organisation.spheres.through.objects.filter(organisation_id__in=set(leads))
    for organisation, sphere in through.values_list("organisation_id", "sphere_id"):
        spheres.setdefault(organisation, []).append(sphere)
    joint = set(rng.sample(range(offers), min(partners, offers)))
    return [
        (lead, rng.choice(sorted(spheres[lead])), "funded" if rng.random() < 0.4 else "submitted",
         [rng.choice(organisations)] if n in joint else [])
        for n, lead in enumerate(leads) if spheres.get(lead)
    ]  # fmt: skip


def measured_plan(subjects: list[tuple[int, list[int]]], organisations: list[int]) -> list:
    """For each measured organisation (and the spheres of its announcement): a granted offer with two partners, a
    submitted one, and a joint offer of another organisation with it as partner."""
    rng = random.Random("measured-history")
    plan = []
    for organisation, spheres in subjects:
        others = rng.sample(organisations, 3)
        plan += [(organisation, spheres[0], "funded", others[:2]), (organisation, spheres[-1], "submitted", []),
                 (others[2], spheres[0], "funded", [organisation])]  # fmt: skip
    return plan


def grow_organisations(total: int) -> None:
    """Generated organisations up to `total` (a new seed for each addition: new names and identifiers)."""
    from ngo_platform.organisations import generator
    from ngo_platform.organisations.models import Organisation

    before = Organisation.objects.count()
    if total <= before:
        return
    started = time.perf_counter()

    def progress(done: int, count: int) -> None:
        print(f"# organisations {before + done:,}/{total:,}  {time.perf_counter() - started:6.0f} s", file=sys.stderr)

    generator.bulk_insert(total - before, seed=generator.DEFAULT_SEED + before, batch_size=5000, progress=progress)


def representative(organisations: list[int]):
    """The measured person: an editor of each of `organisations` (the measured authors and the subject)."""
    from ngo_platform.accounts.models import OrganisationMembership, User

    user, _ = User.objects.get_or_create(email=AUTHOR, defaults={"display_name": "Partnerka Benchmarku"})
    for organisation in organisations:
        OrganisationMembership.objects.get_or_create(user=user, organisation_id=organisation, role="editor")
    return user


def rows(announcements, slug: str, args) -> list[tuple[str, str, float]]:
    """(name, path, budget in ms) of each measured page: the same addresses at both sizes."""
    from urllib.parse import quote

    found = [
        (f"announcement: {THEMES[theme][0]}, {TERRITORY[mode]}, 3 spheres ({kind})", f"/partnerstwa/{pk}/",
         args.budget_ms)
        for pk, (theme, mode, kind) in zip(announcements, MEASURED)
    ]  # fmt: skip
    return found + [
        ("suggestions for an organisation", f"/partnerstwa/dla/{slug}/", args.budget_ms),
        ("list, first page", "/partnerstwa/", args.list_budget_ms),
        (f"search («{SEARCH}»)", f"/partnerstwa/?q={quote(SEARCH)}", args.list_budget_ms),
    ]


def suggestions_shown(client, measured) -> dict[str, tuple[int, int]]:
    """Per page with suggestions (in-process): how many organisations and announcements it suggests, each with its
    reasons; refuses a page without any suggested organisation."""
    shown = {}
    for _, path, _ in measured[: len(MEASURED) + 1]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        html = response.content.decode()
        organisations, _, announcements = html.partition('id="suggested-announcements"')
        shown[path] = (organisations.count(WHY), announcements.count(WHY))
        if not shown[path][0]:
            raise SystemExit(f"{path}: no organisation suggested (no «{WHY}» on the page)")
    return shown


def sizes(measured_history: int) -> dict:
    from django.db.models import Count, Q

    from ngo_platform.competitions.models import Competition, Offer, OfferPartner
    from ngo_platform.organisations.models import Organisation
    from ngo_platform.partnerships.models import Announcement, SearchEntry

    announcements = Announcement.objects.aggregate(
        total=Count("pk", filter=Q(state="published")), authorities=Count("pk", filter=Q(authority__isnull=False))
    )
    offers = Offer.objects.aggregate(total=Count("pk"), funded=Count("pk", filter=Q(state="funded")))
    return {
        "organisations": Organisation.objects.count(), "announcements": announcements["total"],
        "by_authorities": announcements["authorities"], "sphere_links": Announcement.spheres.through.objects.count(),
        "territory_links": Announcement.territory.through.objects.count(), "entries": SearchEntry.objects.count(),
        "competitions": Competition.objects.count(), "offers": offers["total"], "funded": offers["funded"],
        "partners": OfferPartner.objects.count(), "measured_history": measured_history,
    }  # fmt: skip


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    community.page_bench_arguments(parser, port=8031, name="partnerships")
    parser.add_argument("--organisations", type=int, default=150_000)
    parser.add_argument("--announcements", type=int, default=10_000)
    parser.add_argument("--small-organisations", type=int, default=2_000, help="organisations at the first count")
    parser.add_argument("--small-announcements", type=int, default=200, help="announcements at the first count")
    parser.add_argument("--offers", type=int, default=3_000, help="offers of random organisations at full size")
    parser.add_argument("--joint-offers", type=int, default=300, help="of them joint offers (with a partner)")
    parser.add_argument("--budget-ms", type=float, default=100.0, help="issue 16: p95 of a page with suggestions")
    parser.add_argument("--list-budget-ms", type=float, default=50.0, help="reported for the list and the search")
    args = parser.parse_args(argv)
    args.host, args.port = community.server_address(parser, args, "ngo_bench_partnerships")
    if not 0 < args.small_organisations < args.organisations or not 0 < args.small_announcements < args.announcements:
        parser.error("the small sizes must be above 0 and below the full ones")
    if args.small_announcements < len(MEASURED):
        parser.error(f"--small-announcements must be at least {len(MEASURED)}")
    return parser, args


def main(argv=None) -> int:
    parser, args = parse_args(argv)
    machine_text = load.machine()
    began = time.perf_counter()
    os.environ.setdefault("NGO_BENCH_ENDPOINTS", "1")
    setup(args.database_url, args.var_dir)
    from django.db import connections
    from django.test import Client

    from ngo_platform.organisations.models import Organisation
    from ngo_platform.partnerships.models import Announcement

    if Announcement.objects.exists():
        parser.error("the database already holds announcements: start from a fresh one (dropdb, createdb)")
    share = args.small_organisations / args.organisations

    # Step 1: the small size; count.
    grow_organisations(args.small_organisations)
    context = Context()
    subject = context.organisations[0]
    user = representative([subject, *context.organisations[1 : len(MEASURED) + 1]])
    write_announcements(0, args.small_announcements, context)
    competitions = write_competitions(context)
    announcements = list(Announcement.objects.order_by("pk").values_list("pk", flat=True)[: len(MEASURED)])
    authors = Announcement.objects.filter(pk__in=announcements).prefetch_related("spheres").order_by("pk")
    subjects = [(a.organisation_id, [sphere.pk for sphere in a.spheres.all()]) for a in authors]
    subjects.append((subject, list(Organisation.objects.get(pk=subject).spheres.values_list("pk", flat=True))))
    small_orgs = context.organisations
    measured_history = write_offers(measured_plan(subjects, small_orgs), competitions, user)[0]
    plan = history_plan(small_orgs, round(args.offers * share), round(args.joint_offers * share), "history-1")
    write_offers(plan, competitions, user)
    community.analyse()
    client = Client()
    client.force_login(user)
    measured = rows(announcements, Organisation.objects.get(pk=subject).slug, args)
    paths = [load.BARE] + [path for _, path, _ in measured]
    small_counts = community.count_queries(client, paths)
    print(f"# small: queries {[small_counts[p]['queries'] for p in paths]}", file=sys.stderr)

    # Step 2: the full size; count again.
    written = time.perf_counter()
    grow_organisations(args.organisations)
    context = Context()
    write_announcements(args.small_announcements, args.announcements, context)
    rest = context.organisations[len(small_orgs) :]
    plan = history_plan(rest, args.offers - round(args.offers * share),
                        args.joint_offers - round(args.joint_offers * share), "history-2")  # fmt: skip
    write_offers(plan, competitions, user)
    community.analyse()
    writing = time.perf_counter() - written
    full_counts = community.count_queries(client, paths)
    print(f"# full: queries {[full_counts[p]['queries'] for p in paths]}", file=sys.stderr)
    shown = suggestions_shown(client, measured)
    data = sizes(measured_history)
    built = time.perf_counter() - began
    cookie = community.session_cookie(user)
    connections.close_all()
    facts = load.database_facts(args.database_url)
    _bare_anonymous, bare, results = community.measure(
        args, args.host, args.port, [(name, path) for name, path, _ in measured], cookie
    )
    report = build_report(args, machine_text, facts, data, shown, built, writing, bare, results, measured,
                          small_counts, full_counts, client)  # fmt: skip
    print(report)
    community.append_report(
        args.append, SECTION, "`bench/partnerships.py` (see bench/README.md): the pages with suggestions of partners "
        "rendered anew (signed in as the announcing organisations' representative), one client, against the bare "
        "view of the same server and run.", report,
    )  # fmt: skip
    return 0


def data_line(data: dict, shown: dict, built: float, writing: float) -> str:
    counts = ", ".join(f"{o} organisations and {a} announcements" for o, a in shown.values())
    return (
        f"- data: {data['organisations']:,} generated organisations (spheres, areas, search entries); "
        f"{data['announcements']:,} published announcements ({data['by_authorities']:,} of authorities, the rest of "
        f"organisations; {data['sphere_links']:,} sphere and {data['territory_links']:,} territory links, "
        f"{data['entries']:,} search entries), written in bulk; history: {data['competitions']} competitions (one "
        f"a sphere, results published), {data['offers']:,} offers ({data['funded']:,} granted, the rest submitted; "
        f"{data['measured_history']} of them of or with the measured organisations) and {data['partners']:,} "
        f"partners of joint offers; set up and written in {built:.0f} s ({writing:.0f} s for the second step). "
        f"Suggested on the pages with suggestions (each with «{WHY}»): {counts}"
    )


def fenced(lines: list[str], language: str = "") -> list[str]:
    return [f"  ```{language}", *["  " + line for line in lines], "  ```", ""]


def over_budget(over, full_counts, client) -> list[str]:
    """For each page over its budget: its SQL share, the slowest query with its plan, and a profile of one request."""
    lines = []
    for name, path, r in over:
        counted = full_counts[path]
        lines += [
            f"- **{name}** (`{path}`) is over its budget: p95 {load.fmt_ms(r.percentile(95))} ms, of which about "
            f"{counted['sql_ms']:.1f} ms in {counted['queries']} SQL queries; the slowest query "
            f"({counted['slowest_ms']:.1f} ms) and its plan (EXPLAIN ANALYZE, BUFFERS), then a request under cProfile:",
            "",
            *fenced([community.shorten(counted["slowest_sql"])], "sql"),
            *fenced(community.explain(counted["slowest_sql"]).splitlines()),
            *fenced(community.profile(client, path)),
        ]
    return lines


def build_report(args, machine_text, facts, data, shown, built, writing, bare, results, measured, small_counts,
                 full_counts, client) -> str:  # fmt: skip
    import gunicorn

    budget_of = {path: budget for _, path, budget in measured}
    budget_of[load.BARE] = 0
    b95 = bare.percentile(95)
    over = [(n, p, r) for n, p, r, _ in results if r.percentile(95) * 1000 > budget_of[p]]
    differ = [p for p in small_counts if small_counts[p]["queries"] != full_counts[p]["queries"]]

    def row(name, path, r, size):
        return community.table_row(name, path, r, size, small_counts[path], full_counts[path], b95, budget_of[path])

    lines = [
        f"### Run of {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        "",
        f"- machine: {machine_text}; client, server and database on the same machine",
        f"- database: {facts['version']}, {facts['size']}; cache: "
        + ("Redis" if os.environ.get("NGO_REDIS_URL") else "the database (DatabaseCache)"),
        data_line(data, shown, built, writing),
        f"- server: gunicorn {gunicorn.__version__}, {args.workers} workers {args.gunicorn_args}".rstrip()
        + f", NGO_DEBUG off; one client signed in as an editor of the {len(MEASURED)} measured announcements' "
        f"organisations and of the organisation of the suggestions' page (so it also sees the form to write to other "
        f"authors), every page rendered anew; {args.requests} requests per row (at most {args.duration:g} s) after a "
        "warm-up of 12 per page",
        f"- command: `{load.display_command(args)}`",
        "",
        "| page | path | requests | p50 ms | p95 ms | p95 ÷ bare p95 | within budget | bytes | SQL queries, "
        f"{args.small_organisations:,} org. / {args.small_announcements:,} ann. | at {args.organisations:,} / "
        f"{args.announcements:,} | SQL ms (in-process) | slowest query ms |",
        "|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
        row("bare Django view, signed in (the baseline)", load.BARE, bare, None),
        *[row(f"{name} (≤ {budget_of[path]:g} ms)", path, r, size) for name, path, r, size in results],
        "",
        "SQL queries counted in-process (signed in as the same person) at both sizes: "
        + (
            "the same for every page."
            if not differ
            else "**not** the same for: " + ", ".join(f"`{p}`" for p in differ) + "."
        )
        + ' "SQL ms" is the median over three in-process requests of the time spent in the database at the full size '
        '("slowest query": the longest of the last).',
        "",
    ]
    lines += over_budget(over, full_counts, client) if over else ["Every page's p95 is within its budget.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
