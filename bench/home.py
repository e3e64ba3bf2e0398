"""Benchmark of the home page: what is open now, against the bare Django view of the same server and run.

Fills the database in DATABASE_URL (migrates; generated organisations with `organisations.generator` up to
`--organisations`; then, once, `--matters` open consultations, competitions accepting offers and elections in
nominations or voting, spread over the voivodeship's authorities, written in bulk), counts the home page's SQL
queries in-process (rendered anew and served from the page cache), then starts gunicorn (NGO_DEBUG off, as
bench/load.py does) and measures at 1 and 16 clients:

- `/bench/bare/`: the bare view (same server, same middleware), the yardstick;
- `/`: the home page as anonymous visitors get it, from the whole-page cache (decision 0007);
- `/?_b=…`: the same with a unique dummy parameter on every request, so the view renders each time.

    createdb -h 127.0.0.1 -U postgres ngo_bench_home
    NGO_REDIS_URL=redis://127.0.0.1:6379/6 DATABASE_URL=postgres://postgres@127.0.0.1:5432/ngo_bench_home \
        .venv/bin/python bench/home.py --url http://127.0.0.1:8026

The report (Markdown: date, machine, database and its size, data, command, the table with the ratios to the
bare view) goes to stdout; docs/benchmarks.md keeps the runs (the integrator copies the section). See
bench/README.md.
"""

from __future__ import annotations

import argparse
import itertools
import os
import secrets
import sys
import time
import urllib.parse
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

import load  # noqa: E402  (the server, the load driver, the machine line and the table of bench/load.py)

PREFIX = "Benchmark strony głównej"


def setup(database_url: str, var_dir: Path) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("NGO_DEBUG", "0")
    os.environ.setdefault("NGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("NGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ.setdefault("NGO_SSL_REDIRECT", "0")
    os.environ.setdefault("NGO_VAR_DIR", str(var_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ngo_platform.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # production settings serve hashed names
    call_command("load_reference_data", stdout=StringIO())


def fill(organisations: int, matters: int) -> dict:
    """Organisations up to `organisations`, then (once) `matters` of each kind the home page lists; returns
    what the database holds."""
    from django.db import connection, transaction
    from django.utils import timezone

    from ngo_platform.competitions.models import Competition
    from ngo_platform.consultations.models import Consultation
    from ngo_platform.elections.models import Council, Election
    from ngo_platform.organisations import generator
    from ngo_platform.organisations.models import Organisation
    from ngo_platform.territory.models import Authority

    missing = organisations - Organisation.objects.count()
    if missing > 0:
        generator.bulk_insert(missing, seed=generator.DEFAULT_SEED + Organisation.objects.count())
    if not Consultation.objects.filter(title__startswith=PREFIX).exists():
        authorities = list(Authority.objects.filter(unit__teryt__startswith="16").order_by("unit__teryt"))
        now = timezone.now()
        year = timezone.localdate().year + 1
        with transaction.atomic():
            Consultation.objects.bulk_create(
                Consultation(
                    authority=authorities[i % len(authorities)],
                    title=f"{PREFIX}: projekt uchwały w sprawie programu współpracy nr {i}",
                    subject="Roczny program współpracy z organizacjami pozarządowymi",
                    kind="program_roczny",
                    responsible_person="Jan Kowalski",
                    contact="bench@example.pl",
                    starts_at=now - timedelta(days=1),
                    ends_at=now + timedelta(days=2, hours=i),
                    state="open",
                    opened_at=now - timedelta(days=1),
                )
                for i in range(matters)
            )
            Competition.objects.bulk_create(
                Competition(
                    authority=authorities[i % len(authorities)],
                    slug=f"bench-home-{i}",
                    title=f"{PREFIX}: otwarty konkurs ofert na wspieranie kultury nr {i}",
                    task_kind="Kultura",
                    total_funds=100_000_00,
                    max_grant=10_000_00,
                    eligible_entities="Organizacje pozarządowe",
                    task_start=date(year, 6, 1),
                    task_end=date(year, 11, 30),
                    offers_deadline=now + timedelta(days=5, hours=i),
                    rules_text="Zasady.",
                    state="published",
                    version=1,
                    published_at=now - timedelta(days=15),
                )
                for i in range(matters)
            )
            councils = Council.objects.bulk_create(
                Council(
                    authority=authorities[i % len(authorities)], name=f"{PREFIX}: rada nr {i}", slug=f"bench-rada-{i}"
                )
                for i in range(matters)
            )
            Election.objects.bulk_create(
                Election(
                    council=council,
                    title=f"{PREFIX}: wybory do rady nr {i}",
                    slug=f"bench-wybory-{i}",
                    term_start=date(year, 7, 1),
                    term_end=date(year + 3, 6, 30),
                    state="nominations" if i % 2 else "voting",
                    nominations_start=now - timedelta(days=10 if i % 2 == 0 else 1),
                    nominations_end=now - timedelta(days=8) if i % 2 == 0 else now + timedelta(days=1, hours=i),
                    voting_start=now - timedelta(days=1) if i % 2 == 0 else now + timedelta(days=2, hours=i),
                    voting_end=now + timedelta(days=6, hours=i) if i % 2 == 0 else now + timedelta(days=9, hours=i),
                )
                for i, council in enumerate(councils)
            )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {
        "organisations": Organisation.objects.count(),
        "consultations": Consultation.objects.filter(state="open").count(),
        "competitions": Competition.objects.filter(state="published").count(),
        "elections": Election.objects.filter(state__in=["nominations", "voting"]).count(),
    }


def queries_of_home() -> dict:
    """SQL queries of one home page in-process: rendered anew (the cache emptied) and served from the cache."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    client = Client()
    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    client.get("/")
    cache.clear()
    with connection.execute_wrapper(count):
        assert client.get("/").status_code == 200
    rendered = len(executed)
    executed.clear()
    with connection.execute_wrapper(count):
        client.get("/")
    return {"rendered": rendered, "cached": len(executed)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--url", default="http://127.0.0.1:8026", help="where to start the server (localhost only)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gunicorn-args", default="")
    parser.add_argument("--var-dir", type=Path, default=Path("/tmp/var-home/bench"))
    parser.add_argument("--organisations", type=int, default=20_000, help="fill the directory up to this many")
    parser.add_argument("--matters", type=int, default=200, help="open consultations, competitions and elections")
    parser.add_argument("--clients", default="1,16")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--fill-only", action="store_true", help="fill the database and stop (measure later)")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("set DATABASE_URL (or --database-url), e.g. postgres://postgres@127.0.0.1:5432/ngo_bench_home")
    url = urllib.parse.urlparse(args.url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    if url.scheme != "http" or host not in load.LOCAL_HOSTS:
        parser.error("only http://127.0.0.1, localhost or [::1] may be loaded")
    machine_text = load.machine()
    levels = [int(n) for n in args.clients.split(",") if n.strip()]

    started = time.perf_counter()
    setup(args.database_url, args.var_dir)
    sizes = fill(args.organisations, args.matters)
    built = time.perf_counter() - started
    if args.fill_only:
        print(f"# filled in {built:.0f} s: {sizes}", file=sys.stderr)
        return 0
    queries = queries_of_home()
    from django.db import connections

    connections.close_all()
    facts = load.database_facts(args.database_url)

    scenarios = [
        ("bare Django view", [load.BARE], False),
        ("home page (page cache)", ["/"], False),
        ("home page, page cache bypassed", ["/"], True),
    ]
    server = load.start_server(args, host, port)
    results, bare = [], {}
    try:
        for _ in range(3):  # warm every worker: imports, connections, caches
            load.run_load(host, port, "warm-up", itertools.cycle([load.BARE, "/"]), 4, 200, 60)
        for clients in levels:
            for name, paths, bypass in scenarios:
                source = load.cycle_busted(paths) if bypass else itertools.cycle(paths)
                result = load.run_load(host, port, name, source, clients, args.requests, args.duration)
                results.append(result)
                if name.startswith("bare"):
                    bare[clients] = result
                print(f"# {name}, {clients} clients: p50 {load.fmt_ms(result.percentile(50))} ms", file=sys.stderr)
    finally:
        load.stop_server(server)

    import gunicorn

    cache_backend = "Redis" if os.environ.get("NGO_REDIS_URL") else "the database (DatabaseCache)"
    python = Path(sys.executable)
    try:
        python = python.relative_to(Path.cwd())
    except ValueError:
        pass
    command = " ".join(
        [
            *([f"NGO_REDIS_URL={os.environ['NGO_REDIS_URL']}"] if os.environ.get("NGO_REDIS_URL") else []),
            f"DATABASE_URL={load.masked(args.database_url)}",
            str(python),
            *sys.argv,
        ]
    )
    print(
        "\n".join(
            [
                f"### Run of {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
                "",
                f"- machine: {machine_text}; client and server on the same machine",
                f"- database: {facts['version']}, {facts['size']}; {sizes['organisations']} organisations, "
                f"{sizes['consultations']} open consultations, {sizes['competitions']} competitions accepting offers, "
                f"{sizes['elections']} elections in nominations or voting (set up and filled by this run in {built:.0f} s); cache: "
                f"{cache_backend}",
                f"- server: gunicorn {gunicorn.__version__}, {args.workers} workers {args.gunicorn_args}".rstrip()
                + f", NGO_DEBUG off; at most {args.requests} requests or {args.duration:g} s per row, after a warm-up",
                f"- SQL queries of one home page (in-process): {queries['rendered']} rendered anew after the cache was "
                f"emptied, {queries['cached']} served from the page cache",
                f"- command: `{command}`",
                "",
                load.table(results, bare),
                "",
            ]
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
