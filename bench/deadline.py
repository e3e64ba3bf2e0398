"""Benchmark of the deadline rush (issue 20): N organisations submit their offers over HTTP around the deadline,
through the production server (gunicorn, NGO_DEBUG off; or granian to compare), sending `X-Request-Start` as
the reverse proxy would.

Client i sends at deadline - (N / 2) / rate + i / rate: half of them before the deadline, half after, `rate`
submissions a second. The server trusts the header (NGO_TRUST_REQUEST_START=1), so what counts is when each offer
was sent, however long it waited in the server's queue. Reported per rate: submission latency p50/p95/p99 and the
throughput as the clients saw them, and the correctness figures that must all be zero: in-time offers refused,
late offers accepted (or not left a draft), offers submitted twice, receipts whose SHA-256 does not match their
stored content, server errors. A bare view at the same rate is the baseline.

    dropdb -h 127.0.0.1 -U postgres --if-exists ngo_bench_deadline; createdb -h 127.0.0.1 -U postgres ngo_bench_deadline
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ngo_bench_deadline .venv/bin/python bench/deadline.py --rate 50 --rate 100
    .venv/bin/python bench/deadline.py --rate 50                          # a fresh SQLite file in /tmp
    ... --gunicorn-args '--worker-class gthread --threads 4'                # another worker class
    ... --server granian --server-args '--blocking-threads 1'             # another server (pip install granian)

Each rate gets a competition of its own with N fresh offers (written in bulk, `many_complete_offers`); the
database is migrated first. Results go to docs/benchmarks.md (`--append`).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import secrets
import shlex
import statistics
import string
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from load import database_facts, machine, masked, start_server, stop_server  # noqa: E402

HOST, PORT = "127.0.0.1", 8766


@dataclass
class Sent:
    offer: int
    sent_at: float  # Unix seconds, when the request was written
    status: int = 0
    location: str = ""
    latency: float = 0.0
    error: str = ""


def prepare(count: int, deadline_in: float, label: str):
    """A published competition whose deadline is `deadline_in` seconds away, `count` offers ready to submit and
    a logged-in session for each of their admins: [(offer pk, session key)], the deadline."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from ngo_platform.competitions.models import Competition
    from tests.competitions.factories import CompetitionFactory, many_complete_offers

    competition = CompetitionFactory(title=f"Konkurs {label}", slug=f"konkurs-{label}-{secrets.token_hex(3)}")
    users, offers = many_complete_offers(competition, count, prefix=f"{label}-{secrets.token_hex(3)}")
    sessions = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    deadline = (timezone.now() + timedelta(seconds=deadline_in)).replace(microsecond=0)
    Competition.objects.filter(pk=competition.pk).update(offers_deadline=deadline)
    return competition, [(offer.pk, key) for offer, key in zip(offers, sessions, strict=True)], deadline


def submit(offer: int, session: str, at: float, result: Sent, bare: bool) -> None:
    """Wait until `at`, then send one submission (or, for the baseline, one bare request)."""
    token = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    body = f"confirmed=1&csrfmiddlewaretoken={token}"
    path = "/bench/bare/" if bare else f"/konkursy/oferty/{offer}/zloz/"
    time.sleep(max(0.0, at - time.time()))
    sent = time.time()  # the proxy's moment: it connects to the app server after the request reached it
    connection = http.client.HTTPConnection(HOST, PORT, timeout=120)
    headers = {
        "Cookie": f"sessionid={session}; csrftoken={token}",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Request-Start": f"t={sent:.3f}",  # what nginx's ${msec} says
    }
    try:
        connection.request("GET" if bare else "POST", path, body=None if bare else body, headers=headers)
        response = connection.getresponse()
        response.read()
        result.status, result.location = response.status, response.getheader("Location", "")
    except OSError as error:
        result.error = repr(error)
    result.sent_at, result.latency = sent, time.time() - sent
    connection.close()


def rush(jobs, deadline: datetime, rate: float, bare: bool = False) -> list[Sent]:
    first = deadline.timestamp() - (len(jobs) / 2) / rate
    results = [Sent(offer=offer, sent_at=0) for offer, _ in jobs]
    threads = [
        threading.Thread(target=submit, args=(offer, key, first + i / rate, results[i], bare))
        for i, (offer, key) in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def verdict(competition, results: list[Sent], deadline: datetime) -> dict:
    """What the database holds against what was sent: every count but the first two must be zero."""
    from ngo_platform.competitions.models import Offer, OfferState, OfferSubmission

    submissions = list(OfferSubmission.objects.filter(offer__competition=competition, withdrawn_at__isnull=True))
    by_offer: dict[int, list] = {}
    for submission in submissions:
        by_offer.setdefault(submission.offer_id, []).append(submission)
    states = dict(Offer.objects.filter(competition=competition).values_list("pk", "state"))
    cut = deadline.timestamp()
    in_time = [r for r in results if r.sent_at < cut]
    late = [r for r in results if r.sent_at >= cut]
    processing = [(s.processed_at - s.submitted_at).total_seconds() for s in submissions if s.processed_at is not None]
    return {
        "in time": len(in_time),
        "late": len(late),
        "in-time refused": sum(1 for r in in_time if r.offer not in by_offer),
        "late accepted": sum(1 for r in late if r.offer in by_offer),
        "late not left a draft": sum(1 for r in late if states.get(r.offer) != OfferState.DRAFT),
        "submitted twice": sum(1 for items in by_offer.values() if len(items) > 1),
        "receipt not matching": sum(
            1 for s in submissions if not s.number or hashlib.sha256(s.content.encode()).hexdigest() != s.sha256
        ),
        "server errors": sum(1 for r in results if r.error or r.status >= 500),
        "queue wait max s": max(processing, default=0.0),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


def report(args, rows, facts) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## Deadline rush, {now}",
        "",
        f"- machine: {machine()}",
        f"- database: {facts.get('version', '?')}",
        f"- server: {args.server}, {args.workers} workers {args.gunicorn_args}".rstrip()
        + f", NGO_DEBUG off, NGO_TRUST_REQUEST_START={0 if args.no_trust else 1}",
        f"- data: {args.offers} offers per rate, half sent before the deadline, half after",
        f"- command: `DATABASE_URL={masked(args.database_url)} .venv/bin/python bench/deadline.py "
        + " ".join(shlex.quote(a) for a in sys.argv[1:])
        + "`",
        "",
        "| rate /s | row | p50 ms | p95 ms | p99 ms | req/s | p50 ÷ bare | in time | late | in-time refused "
        "| late accepted | late not draft | twice | receipt wrong | 5xx | longest wait s |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for rate, name, latencies, span, bare_p50, check in rows:
        p50 = percentile(latencies, 0.5) * 1000
        cells = [
            f"{rate:g}",
            name,
            f"{p50:.1f}",
            f"{percentile(latencies, 0.95) * 1000:.1f}",
            f"{percentile(latencies, 0.99) * 1000:.1f}",
            f"{len(latencies) / span:.0f}" if span else "–",
            f"{p50 / bare_p50:.1f}×" if bare_p50 else "1.0×",
        ]
        if check is None:
            cells += ["–"] * 9
        else:
            cells += [
                str(check[key])
                for key in (
                    "in time",
                    "late",
                    "in-time refused",
                    "late accepted",
                    "late not left a draft",
                    "submitted twice",
                    "receipt not matching",
                    "server errors",
                )
            ] + [f"{check['queue wait max s']:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, default=200)
    parser.add_argument("--rate", type=float, action="append", help="submissions a second (repeatable; 50)")
    parser.add_argument("--workers", type=int, default=2, help="processes (the production command: one per core)")
    parser.add_argument(
        "--server", choices=["gunicorn", "granian"], default="gunicorn", help="granian: pip install granian first"
    )
    parser.add_argument(
        "--server-args", "--gunicorn-args", dest="gunicorn_args", default="", help="more arguments of the server"
    )
    parser.add_argument("--lead", type=float, default=15.0, help="seconds between the data and the first send")
    parser.add_argument(
        "--no-trust", action="store_true", help="the server ignores X-Request-Start (as before issue 20), to compare"
    )
    parser.add_argument("--append", action="store_true", help="append the report to docs/benchmarks.md")
    args = parser.parse_args(argv)
    args.rate = args.rate or [50.0]
    args.database_url = os.environ.get("DATABASE_URL") or (
        f"sqlite:///{tempfile.mkdtemp(prefix='ngo-bench-deadline-')}/bench.sqlite3"
    )
    args.var_dir = Path(tempfile.mkdtemp(prefix="ngo-bench-deadline-var-"))
    os.environ.update(
        {
            "DATABASE_URL": args.database_url,
            "NGO_DEBUG": "0",
            "NGO_SECRET_KEY": os.environ.get("NGO_SECRET_KEY") or secrets.token_urlsafe(50),
            "NGO_VAR_DIR": str(args.var_dir),
            "NGO_TRUST_REQUEST_START": "1",
            "DJANGO_SETTINGS_MODULE": "ngo_platform.settings",
        }
    )
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_reference_data", stdout=StringIO())
    facts = database_facts(args.database_url) if connection.vendor == "postgresql" else {"version": "SQLite"}
    if connection.vendor == "sqlite":
        import sqlite3

        facts["version"] = f"SQLite {sqlite3.sqlite_version} (WAL)"
    if args.no_trust:
        os.environ["NGO_TRUST_REQUEST_START"] = "0"
    server = start_server(SimpleNamespace(**vars(args)), HOST, PORT)
    rows = []
    try:
        for _ in range(40):  # every worker warm (its connection, the lemmatiser, the caches)
            connection_ = http.client.HTTPConnection(HOST, PORT, timeout=30)
            connection_.request("GET", "/bench/bare/")
            connection_.getresponse().read()
            connection_.close()
        for rate in args.rate:
            competition, jobs, deadline = prepare(args.offers, args.lead + args.offers / 2 / rate, f"r{rate:g}")
            connection.close()
            # The baseline: the bare view at the same rate and the same number of requests, just before.
            bare_deadline = datetime.fromtimestamp(time.time() + 2 + args.offers / 2 / rate, UTC)
            bare = rush(jobs, bare_deadline, rate, bare=True)
            bare_latencies = [r.latency for r in bare if r.status == 200]
            bare_p50 = statistics.median(bare_latencies) * 1000 if bare_latencies else 0
            rows.append((rate, "bare Django view", bare_latencies, _span(bare), 0, None))
            results = rush(jobs, deadline, rate)
            check = verdict(competition, results, deadline)
            latencies = [r.latency for r in results if not r.error]
            rows.append((rate, "submission", latencies, _span(results), bare_p50, check))
            print(f"# rate {rate:g}/s: {check}", file=sys.stderr)
    finally:
        stop_server(server)
    text = report(args, rows, facts)
    print(text)
    if args.append:
        with (ROOT / "docs" / "benchmarks.md").open("a") as out:
            out.write("\n" + text)
    return 0


def _span(results: list[Sent]) -> float:
    done = [r for r in results if not r.error]
    if not done:
        return 0.0
    return max(r.sent_at + r.latency for r in done) - min(r.sent_at for r in done)


if __name__ == "__main__":
    raise SystemExit(main())
