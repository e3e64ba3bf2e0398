"""Fill the database in DATABASE_URL with generated organisations for the benchmarks.

    createdb -h 127.0.0.1 -U postgres ngo_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ngo_bench .venv/bin/python bench/generate.py --count 150000

Migrates, creates the cache table, loads the reference data (territory, spheres), then inserts `--count`
organisations with `organisations.generator.bulk_insert` (spheres, areas, search entries; one transaction
per batch) and finally refreshes the planner's statistics. Running it again adds more (same seed: same
names, new addresses and identifiers); start from an empty database for a clean benchmark. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Generate organisations into the database in DATABASE_URL.")
    parser.add_argument("--count", type=int, default=150_000)
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: the generator's)")
    parser.add_argument("--batch-size", type=int, default=5000)
    args = parser.parse_args(argv)

    if not os.environ.get("DATABASE_URL"):
        parser.error("set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/ngo_bench")
    # Production settings (no query log in memory); the key only has to exist for this process.
    os.environ.setdefault("NGO_DEBUG", "0")
    os.environ.setdefault("NGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("NGO_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ngo_platform.settings")
    sys.path.insert(0, str(ROOT / "src"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ngo_platform.organisations import generator
    from ngo_platform.organisations.models import Organisation, SearchEntry

    began = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_reference_data", stdout=StringIO())
    before = Organisation.objects.count()
    print(
        f"{connection.vendor}, {connection.settings_dict['NAME']}: {before} organisations before; "
        f"reference data ready in {time.perf_counter() - began:.1f} s",
        flush=True,
    )

    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        elapsed = time.perf_counter() - started
        print(f"{done:>8}/{total} ({100 * done / total:3.0f}%)  {elapsed:7.1f} s  {done / elapsed:6.0f}/s", flush=True)

    seed = generator.DEFAULT_SEED if args.seed is None else args.seed
    inserted = generator.bulk_insert(args.count, seed=seed, batch_size=args.batch_size, progress=progress)
    inserting = time.perf_counter() - started

    analysing = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    analysing = time.perf_counter() - analysing

    size = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = f", database {cursor.fetchone()[0]}"
    print(
        f"inserted {inserted} organisations in {inserting:.1f} s ({inserted / inserting:.0f}/s), "
        f"{'VACUUM ' if connection.vendor == 'postgresql' else ''}ANALYZE {analysing:.1f} s; "
        f"now {Organisation.objects.count()} organisations, {SearchEntry.objects.count()} search entries{size}; "
        f"total {time.perf_counter() - began:.1f} s",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
