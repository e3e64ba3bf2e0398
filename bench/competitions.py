"""Benchmark of competitions, increment 2: a competition with 1,000 formally correct offers scored by a
10-member commission (6 criteria: 60,000 scores) against the same with 10 offers (the baseline).

Measures, in one run and in-process (Django's test client, NGO_DEBUG off, no network):
- the ranking itself (`selectors.ranking`, called directly: the aggregation of the scores, the order and
  the places, without the page around it): p50/p95 latency and the number of SQL queries;
- the ranking page `/konkursy/<slug>/ranking/` (averages, ties, score cards, the amounts form with one
  field per offer) as the authority's officer: p50/p95 latency and the number of SQL queries, as a GET and
  after a failed save (a POST of every amount with one of them not an amount: the page again with the error
  next to that field and every value as typed; nothing is written, so it can repeat);
- target (issue 11, point 6): the ranking page p95 ≤ 150 ms at 1,000 offers × 10 members; the report says
  whether it is met, and gives each page as a ratio to the bare selector of the same competition and run
  (what the page adds to the ranking it shows: the view, the template and the middleware);
- the results export `/konkursy/<slug>/wyniki.csv` and `/wyniki.xlsx` once the results are published;
- the public competition page with the results table.

    createdb -h 127.0.0.1 -U postgres ngo_bench_comp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ngo_bench_comp .venv/bin/python bench/competitions.py
    .venv/bin/python bench/competitions.py            # a fresh SQLite file in /tmp
    ... bench/competitions.py --only-ranking          # the ranking rows only (quicker, for repeated runs)
    ... bench/competitions.py --only-ranking --requests 50   # more requests per row (default 30)

Data are written in bulk (the services' row-by-row path is not what is measured). See bench/README.md;
results go to docs/benchmarks.md (the integrator copies the table).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from consultations import machine, measure, setup, timed  # noqa: E402  (the same setup, timing and machine line)


def build(offers: int, members: int, *, slug: str):
    """A competition under evaluation: `offers` formally correct offers of as many organisations, a
    commission of `members` who signed, each scoring every offer on every criterion."""
    from django.db import transaction
    from django.utils import timezone

    from ngo_platform.accounts.models import AuthorityMembership, User
    from ngo_platform.competitions.models import (
        CommissionMember,
        Competition,
        EvaluationCriterion,
        Offer,
        Score,
    )
    from ngo_platform.organisations.models import Organisation
    from ngo_platform.territory.models import Authority, TerritorialUnit

    authority = Authority.objects.get(unit__teryt="16")
    seat = TerritorialUnit.objects.get(teryt="1601011")
    now = timezone.now()
    with transaction.atomic():
        competition = Competition.objects.create(
            authority=authority,
            slug=slug,
            title=f"Benchmark: konkurs z {offers} ofertami",
            task_kind="Kultura",
            total_funds=offers * 10_000_00,
            max_grant=20_000_00,
            own_contribution_min_bp=1000,
            eligible_entities="NGO",
            task_start=date(2026, 5, 1),
            task_end=date(2026, 12, 15),
            offers_deadline=now - timedelta(days=10),
            rules_text="Zasady.",
            state="evaluation",
            version=1,
            published_at=now - timedelta(days=40),
        )
        criteria = EvaluationCriterion.objects.bulk_create(
            EvaluationCriterion(competition=competition, position=n, name=f"Kryterium {n}", max_points=10)
            for n in range(1, 7)
        )
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Stowarzyszenie Konkursowe {slug} nr {i}", slug=f"{slug}-org-{i}", seat=seat)
            for i in range(offers)
        )
        creator, _ = User.objects.get_or_create(email="bench-oferent@example.pl")
        rows = Offer.objects.bulk_create(
            [
                Offer(
                    competition=competition,
                    organisation=o,
                    created_by=creator,
                    state="formally_correct",
                    title=f"Zadanie publiczne nr {i}",
                    grant_requested=8_000_00 + (i % 7) * 1_000_00,
                    own_financial=1_000_00,
                    own_personal=1_000_00,
                    proposed_amount=(5_000_00 if i % 3 == 0 else None),
                )
                for i, o in enumerate(organisations)
            ],
            batch_size=1000,
        )
        people = User.objects.bulk_create(
            User(email=f"{slug}-komisja-{m}@example.pl", full_name=f"Członek {m}") for m in range(members)
        )
        seats = CommissionMember.objects.bulk_create(
            CommissionMember(
                competition=competition,
                user=u,
                role="official",
                appointed_by=creator,
                appointed_at=now,
                declared_at=now,
                declaration_text="Oświadczenie",
            )
            for u in people
        )
        Score.objects.bulk_create(
            (
                Score(
                    member=s,
                    offer=o,
                    criterion=c,
                    points=(i * 7 + m * 3 + c.position) % 11,
                    comment="Uzasadnienie oceny.",
                    scored_at=now,
                )
                for i, o in enumerate(rows)
                for m, s in enumerate(seats)
                for c in criteria
            ),
            batch_size=5000,
        )
        clerk, _ = User.objects.get_or_create(email="bench-urzednik@example.pl", defaults={"full_name": "Urzędnik"})
        AuthorityMembership.objects.get_or_create(user=clerk, authority=authority, defaults={"role": "officer"})
    return Competition.objects.get(pk=competition.pk), clerk


def analyse() -> None:
    """Refresh the planner's statistics after the bulk inserts, as autovacuum would a minute later (without
    it the first rows would measure plans made for empty tables)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def measure_call(function, requests: int) -> dict:
    """p50/p95 of calling `function` (a selector, not a request) and its SQL queries."""

    def call():
        function()  # its result is not a response: no size

    return timed(call, requests)


def failed_save(competition) -> dict:
    """The POST of the ranking's amounts form as a browser would send it (every amount as shown, the
    first one mistyped): the form is invalid, so nothing is saved and the page is rendered again."""
    from ngo_platform.competitions.models import Offer

    data = {"action": "amounts"}
    for n, (pk, proposed) in enumerate(
        Offer.objects.filter(competition=competition).order_by("pk").values_list("pk", "proposed_amount")
    ):
        data[f"a-amount_{pk}"] = "12,34,56 zł" if n == 0 else ("" if proposed is None else f"{proposed // 100}")
    return data


def measure_post(client, url: str, data: dict, requests: int) -> dict:
    """p50/p95 of POSTing `data` to `url` URL-encoded, as a browser sends a form without an enctype (answered
    200: a failed save), its SQL queries and size."""
    from urllib.parse import urlencode

    body = urlencode(data)

    def failed(response):
        assert response.status_code == 200 and b"error-message" in response.content, (url, response.status_code)

    return timed(
        lambda: client.post(url, body, content_type="application/x-www-form-urlencoded"), requests, check=failed
    )


def publish(competition) -> None:
    """Freeze the ranking as the decision does and publish (in bulk)."""
    from ngo_platform.competitions import selectors
    from ngo_platform.competitions.models import Competition, Offer

    ranking = selectors.ranking(competition)
    offers = {o.pk: o for o in Offer.objects.filter(competition=competition)}
    for row in ranking.rows:
        offer = offers[row.offer_id]
        offer.state = "funded" if offer.proposed_amount else "not_funded"
        offer.granted_amount, offer.final_points, offer.final_rank = (
            offer.proposed_amount or 0,
            row.average_display,
            row.rank,
        )
    Offer.objects.bulk_update(
        offers.values(), ["state", "granted_amount", "final_points", "final_rank"], batch_size=1000
    )
    from django.utils import timezone

    Competition.objects.filter(pk=competition.pk).update(
        state="results",
        decided_at=timezone.now(),
        decision_reference="Uchwała (benchmark)",
        results_published_at=timezone.now(),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offers", type=int, default=1000)
    parser.add_argument("--members", type=int, default=10)
    parser.add_argument("--baseline-offers", type=int, default=10)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--target-ms", type=float, default=150.0, help="the ranking page's p95 target")
    parser.add_argument(
        "--only-ranking", action="store_true", help="measure the ranking and its page only (no results rows)"
    )
    args = parser.parse_args()
    load = " ".join(f"{n:.2f}" for n in os.getloadavg())
    database_url = setup(os.environ.get("DATABASE_URL"))
    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    # The amounts form has a field per offer: with Django's default limit of 1,000 fields per request a
    # save of 1,000 offers is refused (400) before the view runs. The platform's setting must allow it.
    fields_needed = args.offers + 10
    fields_limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if fields_limit is not None and fields_limit < fields_needed:
        settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = fields_needed

    suffix = str(int(time.time()))
    start = time.perf_counter()
    small, clerk = build(args.baseline_offers, args.members, slug=f"bench-maly-{suffix}")
    big, _ = build(args.offers, args.members, slug=f"bench-duzy-{suffix}")
    analyse()
    built = time.perf_counter() - start
    if not clerk.authenticator_set.exists():
        TOTP.activate(clerk, "JBSWY3DPEHPK3PXP")
    officer = Client()
    officer.force_login(clerk)
    public = Client()
    from ngo_platform.competitions import selectors

    rows = []
    for label, competition, n in (("baseline", small, args.baseline_offers), ("large", big, args.offers)):
        rows.append(
            (
                f"ranking (`selectors.ranking`), {n} offers × {args.members} members ({label})",
                measure_call(lambda competition=competition: selectors.ranking(competition), args.requests),
            )
        )
    for label, competition, n in (("baseline", small, args.baseline_offers), ("large", big, args.offers)):
        rows.append(
            (
                f"ranking page, {n} offers × {args.members} members ({label})",
                measure(officer, f"/konkursy/{competition.slug}/ranking/", args.requests),
            )
        )
    for label, competition, n in (("baseline", small, args.baseline_offers), ("large", big, args.offers)):
        rows.append(
            (
                f"ranking page after a failed save (POST), {n} offers × {args.members} members ({label})",
                measure_post(
                    officer, f"/konkursy/{competition.slug}/ranking/", failed_save(competition), args.requests
                ),
            )
        )
    for label, competition, n in (("baseline", small, args.baseline_offers), ("large", big, args.offers)):
        if args.only_ranking:
            break
        publish(competition)
        rows.append(
            (
                f"results CSV, {n} offers ({label})",
                measure(public, f"/konkursy/{competition.slug}/wyniki.csv", args.requests),
            )
        )
        rows.append(
            (
                f"results XLSX, {n} offers ({label})",
                measure(public, f"/konkursy/{competition.slug}/wyniki.xlsx", args.requests),
            )
        )
        rows.append(
            (
                f"competition page with results, {n} offers ({label})",
                measure(public, f"/konkursy/{competition.slug}/", args.requests),
            )
        )
    print(f"# Competitions benchmark, increment 2 ({time.strftime('%Y-%m-%d')})\n")
    print(
        f"Machine: {machine()}, load average {load} before the run; database: {connection.vendor} ({database_url.split('@')[-1]}); in-process Django test client, "
        f"NGO_DEBUG=0; {args.requests} requests per row after one warm-up. Data built in bulk in {built:.1f} s "
        f"({args.offers} offers × {args.members} members × 6 criteria = {args.offers * args.members * 6} scores).\n"
    )
    print(f"Command: `{' '.join([sys.executable, *sys.argv])}` (DATABASE_URL={database_url.split('@')[-1]})\n")
    if fields_limit is not None and fields_limit < fields_needed:
        print(
            f"Note: DATA_UPLOAD_MAX_NUMBER_FIELDS is {fields_limit} in the settings: a browser's save of "
            f"{args.offers} amounts would be refused with 400; raised to {fields_needed} in this run.\n"
        )
    print("| page | p50 ms | p95 ms | SQL queries | KB |")
    print("|---|---:|---:|---:|---:|")
    for name, r in rows:
        print(
            f"| {name} | {r['p50']:.1f} | {r['p95']:.1f} | {r['queries']} | {'–' if r['bytes'] is None else r['bytes'] // 1024} |"
        )
    base = {name.split(",")[0]: r for name, r in rows if name.endswith("(baseline)")}
    print("\nRatios (large ÷ baseline of the same run, p50 / p95):\n")
    for name, r in rows:
        if name.endswith("(large)") and (b := base.get(name.split(",")[0])):
            print(f"- {name}: {r['p50'] / b['p50']:.1f}× / {r['p95'] / b['p95']:.1f}×")
    selector = {name.split(", ", 1)[1]: r for name, r in rows if name.startswith("ranking (`selectors.ranking`)")}
    print("\nRatios (page ÷ the bare `selectors.ranking` of the same competition and run, p50 / p95):\n")
    for name, r in rows:
        if name.startswith("ranking page") and (s := selector.get(name.split(", ", 1)[1])):
            print(f"- {name}: {r['p50'] / s['p50']:.1f}× / {r['p95'] / s['p95']:.1f}×")
    print(
        f"\nTarget: the ranking page p95 ≤ {args.target_ms:.0f} ms at {args.offers} offers × {args.members} members:\n"
    )
    for name, r in rows:
        if name.startswith("ranking page") and name.endswith("(large)"):
            verdict = "met" if r["p95"] <= args.target_ms else "NOT met"
            print(f"- {name}: p95 {r['p95']:.1f} ms, {verdict}")


if __name__ == "__main__":
    main()
