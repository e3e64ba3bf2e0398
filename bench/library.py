"""Benchmark of the working groups' drafting and the library (issue 15, Deliver 7).

A companion of bench/community.py, which it reuses (the server, the signed-in client, the query counts, the plans
and the profile). Fills a fresh database in DATABASE_URL (migrates, reference data, a public working group of the
voivodeship coordinated by a generated officer), then writes in two steps:

1. a small document (`--small-units` units, 2 versions) and `--small` library documents (100);
2. the full document, `--units` units (500) in `--versions` versions (20), each read from its text by the drafting
   parser and accepted through the services (a few units reworded, now and then a paragraph added or dropped, as a
   group's rounds of work do), and the library up to `--documents` (10,000), written in bulk with their revisions,
   tags and search entries (`core.search.entry_values`: the Polish lemmas of the title and text).

After each step it counts, in-process (signed in, NGO_DEBUG off), the SQL queries of every page below; the group's
pages are counted on the small document after step 1 and on the full one after step 2, the library's on the same
addresses at both sizes: the counts must be equal. Then it measures over HTTP, one client, `--requests` requests
per row after a warm-up, every page *rendered anew* (signed in as a resident, so the anonymous page cache never
answers), against the bare view `/bench/bare/` of the same server and run.

Budgets (issue 15): the comparison page p95 ≤ 150 ms (`--compare-budget-ms`), library search p95 ≤ 50 ms
(`--search-budget-ms`); the other rows are reported against the search budget.

    dropdb -h 127.0.0.1 -U postgres --if-exists ngo_bench_library; createdb -h 127.0.0.1 -U postgres ngo_bench_library
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ngo_bench_library .venv/bin/python bench/library.py --append

The report (Markdown) goes to stdout and, with --append, to the end of docs/benchmarks.md under
"## Working groups and the library: 500 units × 20 versions, 10,000 documents (issue 15)". See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

import community  # noqa: E402  (the signed-in client, query counts, plans, profiles)
import load  # noqa: E402
from home import setup  # noqa: E402

SECTION = "## Working groups and the library: 500 units × 20 versions, 10,000 documents (issue 15)"
OFFICER = "bench-koordynator@example.pl"

SUBJECTS = [
    "konsultacji projektów aktów prawa miejscowego",
    "zlecania zadań publicznych",
    "rozliczania dotacji",
    "współpracy z organizacjami pozarządowymi",
    "działania centrum organizacji pozarządowych",
    "przyznawania małych grantów",
    "udostępniania lokali organizacjom",
    "partnerstwa przy projektach unijnych",
    "wolontariatu w jednostkach samorządu",
    "oceny ofert w otwartych konkursach",
]
PROVISIONS = [
    "Organ przekazuje organizacjom informację o {subject} nie później niż w terminie {days} dni.",
    "Organizacje zgłaszają uwagi w formie pisemnej lub elektronicznej przez portal współpracy.",
    "Koordynator zespołu sporządza protokół ze spotkania i publikuje go w terminie {days} dni.",
    "Ogłoszenie zawiera termin, formę i sposób {subject} oraz dane osoby do kontaktu.",
    "Wyniki {subject} publikuje się w Biuletynie Informacji Publicznej i na portalu współpracy.",
    "Członkowie zespołu pełnią swoje funkcje społecznie i nie otrzymują wynagrodzenia.",
    "Dokumenty przekazuje się w formie umożliwiającej ich odczyt przez osoby z niepełnosprawnościami.",
    "Na wniosek co najmniej {count} organizacji przeprowadza się otwarte spotkanie konsultacyjne.",
]
CHAPTERS = ["Postanowienia ogólne", "Zasady współpracy", "Przebieg prac", "Terminy", "Jawność i dostępność",
            "Udział organizacji", "Ocena i sprawozdawczość", "Postanowienia końcowe"]  # fmt: skip

KIND_TITLES = {
    "standard": ["Standard {subject}", "Standard {subject} w gminie {place}"],
    "model": ["Model {subject}", "Model {subject} w powiecie {place}"],
    "programme": ["Program współpracy gminy {place} z organizacjami pozarządowymi na rok {year}"],
    "report": ["Sprawozdanie z realizacji programu współpracy gminy {place} za rok {year}"],
    "template": ["Wzór formularza {subject}", "Wzór umowy dotyczącej {subject}"],
    "minutes": ["Protokół z posiedzenia rady działalności pożytku publicznego w {place} nr {number}"],
}
KIND_SHARE = {"standard": 0.15, "model": 0.15, "programme": 0.2, "report": 0.2, "template": 0.15, "minutes": 0.15}
SENTENCES = [
    "Dokument opracowano wspólnie z przedstawicielami organizacji pozarządowych działających na terenie gminy.",
    "Projekt poddano konsultacjom, w których zgłoszono uwagi dotyczące terminów i formy współpracy.",
    "Określa zasady, formy i terminy {subject}.",
    "Stosuje się go odpowiednio do stowarzyszeń, fundacji, spółdzielni socjalnych i kół gospodyń wiejskich.",
    "W roku sprawozdawczym ogłoszono otwarte konkursy ofert na zadania z zakresu kultury, sportu i ekologii.",
    "Rada zaopiniowała projekt uchwały i zarekomendowała wydłużenie terminu składania ofert.",
    "Załącznik zawiera wzór formularza uwag z polami: dotychczasowy zapis, proponowany zapis, uzasadnienie.",
    "Dotacje przekazano na realizację zadań z zakresu pomocy społecznej oraz ochrony i promocji zdrowia.",
    "Organizacje mogą korzystać nieodpłatnie z sal urzędu po uzgodnieniu terminu z koordynatorem.",
    "Wzór uwzględnia zmiany wprowadzone rozporządzeniem w sprawie wzorów ofert i ramowych wzorów umów.",
]
TAGS = ["konsultacje", "dotacje", "małe granty", "wolontariat", "program współpracy", "sprawozdanie", "rada pożytku",
        "partnerstwo", "regranting", "lokale", "dostępność", "kultura", "sport", "ekologia", "pomoc społeczna",
        "seniorzy", "młodzież", "centrum organizacji", "standard", "wzory dokumentów"]  # fmt: skip


def standard_text(paragraphs: int, rng: random.Random) -> str:
    """A standard of `paragraphs` §§ (each of 3 ustępy) in chapters of ten: 4 units a § and one a chapter."""
    lines, number = ["Standard współpracy"], 0
    for chapter in range(-(-paragraphs // 10)):
        lines += [f"Rozdział {chapter + 1}", CHAPTERS[chapter % len(CHAPTERS)]]
        for _ in range(min(10, paragraphs - number)):
            number += 1
            lines.append(f"§ {number}.")
            for point in range(1, 4):
                provision = rng.choice(PROVISIONS).format(
                    subject=rng.choice(SUBJECTS), days=rng.choice((7, 14, 21, 30)), count=rng.randint(3, 15)
                )
                lines.append(f"{point}. {provision}")
    return "\n".join(lines)


def paragraphs_for(units: int) -> int:
    """The §§ of a standard of about `units` units: four a § (itself and three ustępy), one more each ten §§."""
    return max(1, units * 10 // 41)


def next_round(text: str, rng: random.Random) -> str:
    """The next version's text: one ustęp in twenty reworded, now and then a fourth ustęp added to a § or one dropped."""
    lines = []
    for line in text.splitlines():
        if line[:2] in ("1.", "2.", "3.", "4.") and rng.random() < 0.05:
            if rng.random() < 0.1 and not line.startswith("1."):
                continue  # dropped
            line = (
                line.replace(" dni", " dni roboczych", 1)
                if " dni" in line
                else line + " Dotyczy to także grup nieformalnych."
            )
        lines.append(line)
        if line.startswith("3.") and rng.random() < 0.01:
            lines.append("4. " + rng.choice(PROVISIONS).format(subject=rng.choice(SUBJECTS), days=14, count=5))
    return "\n".join(lines)


def coordinator():
    from ngo_platform.accounts.models import AuthorityMembership, User
    from ngo_platform.territory.models import Authority

    authority = Authority.objects.get(unit__teryt="16")
    user, _ = User.objects.get_or_create(email=OFFICER, defaults={"display_name": "Koordynatorka Benchmarku"})
    AuthorityMembership.objects.get_or_create(user=user, authority=authority, defaults={"role": "officer"})
    return user, authority


def write_document(group, officer, title: str, paragraphs: int, versions: int, seed: str):
    """A group's document of `versions` accepted versions, each read from its text (the parser, the services)."""
    from ngo_platform.core import drafting
    from ngo_platform.workgroups import services

    rng = random.Random(seed)
    document = services.document_create(actor=officer, group=group, title=title)
    text = standard_text(paragraphs, rng)
    for round_ in range(versions):
        if round_:
            text = next_round(text, rng)
        version = services.version_from_text(
            actor=officer, document=document, root=drafting.parse_text(text), note=f"Runda {round_ + 1}."
        )
        services.version_step(actor=officer, version=version, name="propose")
        services.version_step(actor=officer, version=version, name="accept")
    return document


def _title(kind: str, rng: random.Random, places: list[str], year: int, i: int) -> str:
    return rng.choice(KIND_TITLES[kind]).format(
        subject=rng.choice(SUBJECTS), place=rng.choice(places), year=year - rng.randint(0, 6), number=i % 40 + 1
    )


def _authority(rng: random.Random, context) -> int:
    """The voivodeship's office publishes a fifth of the documents; the other authorities share the rest."""
    return context.voivodeship if rng.random() < 0.2 else rng.choice(context.authorities)


def write_library(first: int, stop: int, officer, context) -> int:
    """Library documents `first`..`stop - 1` with one revision each (text, no stored file: the measured pages do
    not open files), 0–3 tags and their search entry, in bulk: generated data, not the services' path."""
    from django.db import transaction
    from django.utils import timezone

    from ngo_platform.core.search import entry_values
    from ngo_platform.library.models import LibraryDocument, Revision, SearchEntry, Tag

    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in TAGS}
    kinds, weights = list(KIND_SHARE), list(KIND_SHARE.values())
    now, year = timezone.now(), timezone.localdate().year
    folded = SearchEntry._meta.get_field("name_folded").max_length
    with transaction.atomic():
        documents, texts, chosen = [], [], []
        for i in range(first, stop):
            rng = random.Random(f"library-{i}")
            kind = rng.choices(kinds, weights)[0]
            title = _title(kind, rng, context.places, year, i)
            text = " ".join(
                rng.choice(SENTENCES).format(subject=rng.choice(SUBJECTS)) for _ in range(rng.randint(4, 12))
            )
            documents.append(
                LibraryDocument(
                    title=title,
                    kind=kind,
                    authority_id=_authority(rng, context),
                    year=year - rng.randint(0, 6),
                    sphere_id=rng.choice(context.spheres) if rng.random() < 0.6 else None,
                    description=rng.choice(SENTENCES).format(subject=rng.choice(SUBJECTS)),
                    published_at=now - timedelta(seconds=rng.uniform(600, 6 * 365 * 86400)),
                    created_by=officer,
                )  # fmt: skip
            )
            texts.append(text)
            chosen.append(rng.sample(TAGS, rng.randint(0, 3)))
        LibraryDocument.objects.bulk_create(documents, batch_size=2000)
        revisions = [
            Revision(document=document, number=1, original=f"library/bench/{document.pk}.docx", original_type="docx",
                     pdf=f"library/bench/{document.pk}.pdf", text=text, created_by=officer)
            for document, text in zip(documents, texts, strict=True)
        ]  # fmt: skip
        Revision.objects.bulk_create(revisions, batch_size=2000)
        for document, revision in zip(documents, revisions, strict=True):
            document.current = revision
        LibraryDocument.objects.bulk_update(documents, ["current"], batch_size=2000)
        through = LibraryDocument.tags.through
        through.objects.bulk_create(
            [through(librarydocument=d, tag=tags[name]) for d, names in zip(documents, chosen, strict=True) for name in names],
            batch_size=5000,
        )  # fmt: skip
        entries = []
        for document, text, names in zip(documents, texts, chosen, strict=True):
            body = " ".join([document.description, document.get_kind_display(), " ".join(names), text])
            entries.append(SearchEntry(document=document, **entry_values(document.title, body, folded_limit=folded)))
        SearchEntry.objects.bulk_create(entries, batch_size=2000)
    from ngo_platform.library.selectors import LIBRARY_VERSION

    LIBRARY_VERSION.bump()
    return len(documents)


def rows(small, full, library_pk: int, authority: str, args) -> list[tuple[str, str, str, float]]:
    """(name, path, the path counted at the small size, budget in ms) of each measured page."""
    n, last = args.units_found, args.versions
    group_rows = [
        (f"comparison of versions 1 and {last} ({n} units)", "/zespoly/dokumenty/{}/porownanie/?od=1&do={}", True),
        (f"comparison of versions {last - 1} and {last}", "/zespoly/dokumenty/{}/porownanie/?od={}&do={}", True),
        (f"document page ({last} versions)", "/zespoly/dokumenty/{}/", False),
    ]
    found = []
    for name, pattern, compare in group_rows:
        if "od=1" in pattern:
            path, at_small = pattern.format(full.pk, last), pattern.format(small.pk, 2)
        elif compare:
            path, at_small = pattern.format(full.pk, last - 1, last), pattern.format(small.pk, 1, 2)
        else:
            path, at_small = pattern.format(full.pk), pattern.format(small.pk)
        found.append((name, path, at_small, args.compare_budget_ms))
    library = [
        ("library, first page", "/biblioteka/"),
        ("search: an inflected word («standardu»)", "/biblioteka/?q=standardu"),
        ("search: two words («programu współpracy»)", "/biblioteka/?q=programu+wsp%C3%B3%C5%82pracy"),
        ("search without diacritics («wspolpraca sprawozdan»)", "/biblioteka/?q=wspolpraca+sprawozdan"),
        ("search and a filter (kind)", "/biblioteka/?q=sprawozdanie&rodzaj=report"),
        ("search and filters (kind, authority)", f"/biblioteka/?q=program&rodzaj=programme&organ={authority}"),
        ("filters only (tag)", "/biblioteka/?tag=konsultacje"),
        ("library document page", f"/biblioteka/{library_pk}/"),
    ]
    return found + [(name, path, path, args.search_budget_ms) for name, path in library]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    community.page_bench_arguments(parser, port=8029, name="library")
    parser.add_argument("--units", type=int, default=500, help="units of the full document (about)")
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--small-units", type=int, default=20)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=100, help="library documents at the first count")
    parser.add_argument("--compare-budget-ms", type=float, default=150.0)
    parser.add_argument("--search-budget-ms", type=float, default=50.0)
    args = parser.parse_args(argv)
    args.host, args.port = community.server_address(parser, args, "ngo_bench_library")
    return parser, args


class Context:
    """What the library's documents are spread over: authorities, spheres and places (gminas' names)."""

    def __init__(self):
        from ngo_platform.organisations.selectors import current_spheres
        from ngo_platform.territory.models import Authority, TerritorialUnit, UnitLevel

        self.authorities = list(Authority.objects.order_by("pk").values_list("pk", flat=True))
        self.voivodeship = Authority.objects.get(unit__teryt="16").pk
        self.spheres = list(current_spheres().values_list("pk", flat=True))
        self.places = list(TerritorialUnit.objects.filter(level=UnitLevel.GMINA).values_list("name", flat=True))


def main(argv=None) -> int:
    parser, args = parse_args(argv)
    machine_text = load.machine()
    began = time.perf_counter()
    os.environ.setdefault("NGO_BENCH_ENDPOINTS", "1")
    setup(args.database_url, args.var_dir)
    from django.test import Client
    from django.utils import timezone

    from ngo_platform.library.models import LibraryDocument
    from ngo_platform.workgroups import services
    from ngo_platform.workgroups.models import VersionUnit, WorkingGroup

    if WorkingGroup.objects.exists() or LibraryDocument.objects.exists():
        parser.error("the database already holds groups or library documents: start from a fresh one")
    officer, authority = coordinator()
    group = services.group_create(
        actor=officer, authority=authority, coordinator=officer,
        data={"name": "Zespół do spraw standardu współpracy", "purpose": "Standard współpracy.",
              "term_starts": timezone.localdate() - timedelta(days=60), "public_work": True},
    )  # fmt: skip
    context = Context()
    user = community.resident()
    client = Client()
    client.force_login(user)

    small = write_document(group, officer, "Standard (mały)", paragraphs_for(args.small_units), 2, "small")
    write_library(0, args.small, officer, context)
    community.analyse()
    library_pk = LibraryDocument.objects.order_by("pk").values_list("pk", flat=True).first()
    authority = authority.slug  # the voivodeship's, a fifth of the documents (`_authority`)
    placeholder = type("Doc", (), {"pk": 0})
    args.units_found = "…"
    small_paths = [load.BARE] + [
        at_small for _, _, at_small, _ in rows(small, placeholder, library_pk, authority, args)
    ]
    small_counts = community.count_queries(client, small_paths)

    written = time.perf_counter()
    full = write_document(group, officer, "Standard współpracy", paragraphs_for(args.units), args.versions, "full")
    write_library(args.small, args.documents, officer, context)
    community.analyse()
    writing = time.perf_counter() - written
    last = full.versions.get(number=args.versions)
    args.units_found = VersionUnit.objects.filter(version=last).count()
    measured = rows(small, full, library_pk, authority, args)
    paths = [load.BARE] + [path for _, path, _, _ in measured]
    full_counts = community.count_queries(client, paths)
    data = {
        "units": args.units_found,
        "unit_rows": VersionUnit.objects.filter(version__document=full).count(),
        "documents": LibraryDocument.objects.count(),
    }
    built = time.perf_counter() - began
    cookie = community.session_cookie(user)
    from django.db import connections

    connections.close_all()
    facts = load.database_facts(args.database_url)
    _bare_anonymous, bare, results = community.measure(
        args, args.host, args.port, [(name, path) for name, path, _, _ in measured], cookie
    )
    report = build_report(args, machine_text, facts, data, built, writing, bare, results, measured, small_counts,
                          full_counts, client)  # fmt: skip
    print(report)
    community.append_report(args.append, SECTION, "`bench/library.py` (see bench/README.md).", report)
    return 0


def build_report(args, machine_text, facts, data, built, writing, bare, results, measured, small_counts, full_counts,
                 client) -> str:  # fmt: skip
    import gunicorn

    small_of = {path: small_counts[at_small] for _, path, at_small, _ in measured}
    small_of[load.BARE] = small_counts[load.BARE]
    budget_of = {path: budget for _, path, _, budget in measured}
    b95 = bare.percentile(95)
    over = [(n, p, r) for n, p, r, _ in results if r.percentile(95) * 1000 > budget_of[p]]
    same = all(small_of[p]["queries"] == full_counts[p]["queries"] for p in small_of)
    lines = [
        f"### Run of {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        "",
        f"- machine: {machine_text}; client, server and database on the same machine",
        f"- database: {facts['version']}, {facts['size']}; cache: "
        + ("Redis" if os.environ.get("NGO_REDIS_URL") else "the database (DatabaseCache)"),
        f"- data: a public working group's document of {data['units']} units in {args.versions} accepted versions "
        f"({data['unit_rows']:,} unit rows), each read from its text by the drafting parser through the services; "
        f"{data['documents']:,} library documents with a revision, 0–3 tags and a search entry each; set up and "
        f"written in {built:.0f} s ({writing:.0f} s for the second step)",
        f"- server: gunicorn {gunicorn.__version__}, {args.workers} workers, NGO_DEBUG off; one client signed in as "
        f"a plain resident, every page rendered anew; {args.requests} requests per row after a warm-up of 12 per page",
        f"- command: `{load.display_command(args)}`",
        "",
        "| page | path | requests | p50 ms | p95 ms | p95 ÷ bare p95 | within budget | bytes | SQL queries, small | "
        "at full size | SQL ms (in-process) | slowest query ms |",
        "|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
        community.table_row(
            "bare Django view, signed in (the baseline)",
            load.BARE,
            bare,
            None,
            small_of[load.BARE],
            full_counts[load.BARE],
            b95,
            0,
        ),  # fmt: skip
        *[
            community.table_row(
                f"{name} (≤ {budget_of[path]:g} ms)",
                path,
                r,
                size,
                small_of[path],
                full_counts[path],
                b95,
                budget_of[path],
            )  # fmt: skip
            for name, path, r, size in results
        ],
        "",
        f"SQL queries counted in-process (signed in as the same resident): the group's pages on a document of "
        f"{args.small_units} units in 2 versions and on the full one, the library's with {args.small} documents and "
        f"with {data['documents']:,}: " + ("the same at both sizes for every page." if same else "**not** the same."),
        "",
    ]
    for name, path, r in over:
        lines += [
            f"- **{name}** (`{path}`) is over its budget: p95 {load.fmt_ms(r.percentile(95))} ms; slowest query "
            f"{full_counts[path]['slowest_ms']:.1f} ms:",
            "",
            "  ```",
            *["  " + line for line in community.explain(full_counts[path]["slowest_sql"]).splitlines()],
            "  ```",
            "",
            "  ```",
            *["  " + line for line in community.profile(client, path)],
            "  ```",
            "",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
