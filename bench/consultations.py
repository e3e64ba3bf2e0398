"""Benchmark of consultations: a draft of 2,000 units with 5,000 comments against the same draft with 20.

Measures, in one run and in-process (Django's test client, NGO_DEBUG off, no network):
- the consultation page `/konsultacje/<pk>/` (the whole draft with per-unit comment counts): p50/p95 latency
  and the number of SQL queries;
- the first page of its comments `/konsultacje/<pk>/uwagi/` (50 per page): p95 and queries;
- the report (informacja o wynikach konsultacji): reading the data, rendering the PDF (WeasyPrint) and the
  DOCX (python-docx), each timed once.
The baseline is the same pages of a consultation with the same 2,000 units and 20 comments.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ngo_bench_co .venv/bin/python bench/consultations.py
    .venv/bin/python bench/consultations.py            # a fresh SQLite file in /tmp

See bench/README.md for the style; results go to docs/benchmarks.md (the integrator copies the table).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def setup(database_url: str | None) -> str:
    if not database_url:
        database_url = f"sqlite:///{tempfile.mkdtemp(prefix='ngo-bench-co-')}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("NGO_DEBUG", "0")
    os.environ.setdefault("NGO_SECRET_KEY", "bench-" + os.urandom(16).hex())
    os.environ.setdefault("NGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("NGO_SSL_REDIRECT", "0")
    os.environ.setdefault("NGO_VAR_DIR", tempfile.mkdtemp(prefix="ngo-bench-co-var-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ngo_platform.settings")
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_reference_data", stdout=StringIO())
    return database_url


def build(units: int, comments: int, *, title: str):
    """A consultation of `units` units (20 chapters of paragraphs with 3 ustępy each) and `comments` comments
    from 50 organisations, written in bulk (the services' row-by-row path is not what is measured)."""
    from django.db import transaction
    from django.utils import timezone

    from ngo_platform.accounts.models import OrganisationMembership, User
    from ngo_platform.consultations import services
    from ngo_platform.consultations.models import Comment, Consultation, DraftUnit
    from ngo_platform.core import drafting
    from ngo_platform.organisations.models import Organisation
    from ngo_platform.territory.models import Authority, TerritorialUnit

    authority = Authority.objects.get(unit__teryt="16")
    U = drafting.Unit
    chapters, per_chapter = 20, units // 20
    paragraph = 0
    root = U("document")
    for c in range(1, chapters + 1):
        chapter = U("rozdzial", label=str(c), title=f"Rozdział {c}", citation=f"Rozdział {c}")
        made = 1
        while made < per_chapter:
            paragraph += 1
            p = U(
                "paragraf",
                label=str(paragraph),
                text=f"Przepis {paragraph} określa zasady współpracy w zakresie zadania {paragraph}.",
                citation=f"§ {paragraph}",
            )
            made += 1
            for u in range(1, 4):
                if made >= per_chapter:
                    break
                p.children.append(
                    U(
                        "ustep",
                        label=str(u),
                        text=f"Ustęp {u} paragrafu {paragraph}: organizacje pozarządowe realizują zadania publiczne na zasadach pomocniczości.",
                        citation=f"§ {paragraph} ust. {u}",
                    )
                )
                made += 1
            chapter.children.append(p)
        root.children.append(chapter)
    now = timezone.now()
    with transaction.atomic():
        consultation = Consultation.objects.create(
            authority=authority,
            title=title,
            subject=title,
            kind="program_roczny",
            responsible_person="Jan Kowalski",
            contact="bench@example.pl",
            starts_at=now - timedelta(days=15),
            ends_at=now - timedelta(seconds=1),
            state="draft",
        )
        services.draft_import(actor=None, consultation=consultation, root=root, source="bench")
        unit_ids = list(DraftUnit.objects.filter(consultation=consultation).values_list("pk", "citation"))
        seat = TerritorialUnit.objects.get(teryt="1601011")
        organisations = []
        for i in range(50):
            organisation, _ = Organisation.objects.get_or_create(
                slug=f"bench-org-{i}", defaults={"name": f"Stowarzyszenie Benchmarkowe nr {i}", "seat": seat}
            )
            organisations.append(organisation)
        user, _ = User.objects.get_or_create(email="bench@example.pl")
        for organisation in organisations:
            OrganisationMembership.objects.get_or_create(
                user=user, organisation=organisation, defaults={"role": "editor"}
            )
        Comment.objects.bulk_create(
            [
                Comment(
                    consultation=consultation,
                    unit_id=unit_ids[i % len(unit_ids)][0],
                    unit_citation=unit_ids[i % len(unit_ids)][1],
                    author=user,
                    author_type="organisation",
                    organisation=organisations[i % 50],
                    current_wording="Obecne brzmienie przepisu.",
                    proposed_wording=f"Proponowane brzmienie nr {i}.",
                    justification=f"Uzasadnienie uwagi nr {i}: przepis wymaga doprecyzowania.",
                    answer_position="partly",
                    answer_justification="Uwzględniono w części.",
                    answered_at=now,
                )
                for i in range(comments)
            ],
            batch_size=1000,
        )
        Consultation.objects.filter(pk=consultation.pk).update(
            state="closed", opened_at=now - timedelta(days=15), closed_at=now
        )
    return Consultation.objects.get(pk=consultation.pk)


def timed(call, requests: int, *, check=None) -> dict:
    """Warm up, count the SQL queries of one `call()` (counted whatever DEBUG is: the query log needs DEBUG or a
    debug cursor), `check` its response, then p50/p95 of `requests` calls, in ms; `bytes`: the response's size."""
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    call()  # warm up
    with connection.execute_wrapper(count):
        response = call()
    if check is not None:
        check(response)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[max(0, int(len(times) * 0.95) - 1)],
        "queries": len(executed),
        "bytes": len(response.content) if response is not None else None,
    }


def measure(client, url: str, requests: int) -> dict:
    def ok(response):
        assert response.status_code == 200, (url, response.status_code)

    return timed(lambda: client.get(url), requests, check=ok)


def report_times(consultation) -> dict:
    from ngo_platform.consultations import reports

    start = time.perf_counter()
    data = reports.report_data(consultation)
    read = time.perf_counter() - start
    start = time.perf_counter()
    pdf = reports.report_pdf(data)
    pdf_time = time.perf_counter() - start
    start = time.perf_counter()
    docx = reports.report_docx(data)
    docx_time = time.perf_counter() - start
    return {"read": read, "pdf": pdf_time, "docx": docx_time, "pdf_bytes": len(pdf), "docx_bytes": len(docx)}


def machine() -> str:
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    mem = (
        next(
            (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")),
            "?",
        )
        if Path("/proc/meminfo").exists()
        else "?"
    )
    return f"{os.cpu_count()} cores, {cpu}, {int(mem) // 1024 if mem != '?' else '?'} MB RAM, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--comments", type=int, default=5000)
    parser.add_argument("--baseline-comments", type=int, default=20)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    database_url = setup(os.environ.get("DATABASE_URL"))
    from django.db import connection
    from django.test import Client

    big = build(args.units, args.comments, title="Benchmark: duże konsultacje")
    small = build(args.units, args.baseline_comments, title="Benchmark: konsultacje bazowe")
    client = Client()
    rows = []
    for label, consultation in (
        (f"{args.baseline_comments} comments (baseline)", small),
        (f"{args.comments} comments", big),
    ):
        rows.append(
            (
                f"consultation page, {args.units} units, {label}",
                measure(client, f"/konsultacje/{consultation.pk}/", args.requests),
            )
        )
        rows.append(
            (
                f"comments, first page of 50, {label}",
                measure(client, f"/konsultacje/{consultation.pk}/uwagi/", args.requests),
            )
        )
    reports_small, reports_big = report_times(small), report_times(big)
    print(f"# Consultations benchmark ({time.strftime('%Y-%m-%d')})\n")
    print(
        f"Machine: {machine()}; database: {connection.vendor} {connection.Database.__name__ if connection.vendor == 'sqlite' else ''}"
        f" ({database_url.split('@')[-1]}); in-process Django test client, NGO_DEBUG=0.\n"
    )
    print(f"Command: `{' '.join([sys.executable, *sys.argv])}`\n")
    print("| page | p50 ms | p95 ms | SQL queries | HTML KB |")
    print("|---|---:|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['p50']:.1f} | {r['p95']:.1f} | {r['queries']} | {r['bytes'] // 1024} |")
    print("\n| report | comments | read data s | PDF s | DOCX s | PDF KB | DOCX KB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, count, r in (("baseline", args.baseline_comments, reports_small), ("large", args.comments, reports_big)):
        print(
            f"| {name} | {count} | {r['read']:.2f} | {r['pdf']:.2f} | {r['docx']:.2f} | {r['pdf_bytes'] // 1024} | {r['docx_bytes'] // 1024} |"
        )


if __name__ == "__main__":
    main()
