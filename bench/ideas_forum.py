"""Benchmark of the ideas and the forum: 10,000 ideas and a forum thread of 2,000 posts (issue 14, Deliver 9).

The companion of bench/community.py, which it reuses (the server, the signed-in client, the query counts, the
plans and the profile): fills a fresh database in DATABASE_URL (migrates, reference data, `--organisations`
generated organisations and a plain signed-in resident), then writes in bulk in two steps, first `--small` ideas
and a thread of `--small` posts, then up to `--ideas` ideas (10,000) and `--posts` posts (2,000) in the same
thread, with `--threads` other threads in its category. After each step it counts, in-process (signed in,
NGO_DEBUG off), the SQL queries of every page below: the counts at the two sizes must be equal. Then it measures
over HTTP, one client, `--requests` requests per row after a warm-up, every page *rendered anew* (signed in, so
the anonymous page cache never answers), against the bare view `/bench/bare/` of the same server and run.

Pages: `/pomysly/` (most supported first), `/pomysly/?kolejnosc=nowe&strona=100` (a deep page of the newest), an
idea page with its answers, `/forum/`, the category of 1,000 threads, and the thread's first and last page (25 posts
a page: `NGO_FORUM_POSTS_PER_PAGE`). Budget (issue 14): p95 ≤ 100 ms (`--budget-ms`).

    dropdb -h 127.0.0.1 -U postgres --if-exists ngo_bench_ideas; createdb -h 127.0.0.1 -U postgres ngo_bench_ideas
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ngo_bench_ideas .venv/bin/python bench/ideas_forum.py --append

The report (Markdown) goes to stdout and, with --append, to the end of docs/benchmarks.md under
"## Ideas and the forum: 10,000 ideas and a thread of 2,000 posts (issue 14)". See bench/README.md.
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

import community  # noqa: E402  (the signed-in client, query counts, plans, profiles; its data's vocabulary)
import load  # noqa: E402
from home import setup  # noqa: E402

SECTION = "## Ideas and the forum: 10,000 ideas and a thread of 2,000 posts (issue 14)"
IDEA_TITLES = [
    "Świetlica dla seniorów w {gmina}",
    "Mały grant na {topic}",
    "Stała sala na spotkania organizacji – {gmina}",
    "Jeden formularz sprawozdania z {topic}",
    "Transport dla osób z niepełnosprawnościami w {gmina}",
    "Wkład własny do projektów: {project}",
]
REPLIES = [
    "Wystarczy zestawienie godzin z wyceną; porozumienia zostają w dokumentacji organizacji.",
    "U nas urząd prosił o listę obecności podpisaną przez wolontariuszy.",
    "Warto zapytać w wydziale, który ogłaszał konkurs: interpretacje się różnią.",
    "Wycena godziny pracy wolontariusza powinna odpowiadać stawce za podobną pracę w regionie.",
    "Dołączamy porozumienia do sprawozdania i nigdy nie było z tym problemu.",
]


def write_ideas(first: int, stop: int, context: community.Context, now: datetime) -> int:
    """Ideas `first`..`stop - 1` in the last two years, their states and support counts set directly (generated
    benchmark data, not the services' path)."""
    from django.db import transaction

    from ngo_platform.community.models import Idea

    rows = []
    for i in range(first, stop):
        rng = random.Random(f"idea-{i}")
        gmina, gmina_name = rng.choice(context.gminas)
        state = rng.choices(["submitted", "considering", "accepted", "rejected", "done"], [50, 20, 15, 10, 5])[0]
        created = now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
        rows.append(
            Idea(
                kind=rng.choice(["idea", "need"]),
                title=rng.choice(IDEA_TITLES).format(
                    gmina=gmina_name, topic=rng.choice(community.TOPICS), project=rng.choice(community.PROJECTS)
                ),
                description="\n\n".join(rng.sample(community.PARAGRAPHS, rng.randint(1, 3))),
                authority_id=rng.choice(context.authorities) if rng.random() < 0.9 else None,
                sphere_id=rng.choice(context.spheres),
                territory_id=gmina,
                author_id=context.author,
                organisation_id=rng.choice(context.organisations) if rng.random() < 0.6 else None,
                state=state,
                supporters=int(rng.paretovariate(1.5)) - 1,
                state_changed_at=None if state == "submitted" else created + timedelta(days=10),
            )
        )
    with transaction.atomic():
        Idea.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def write_posts(thread, first: int, stop: int, context: community.Context, now: datetime) -> int:
    """Posts `first`..`stop - 1` of the thread, visible, one a few minutes after another, one in ten quoting an
    earlier post; then the thread's counts as the services keep them."""
    from django.db import transaction

    from ngo_platform.forum.models import Post
    from ngo_platform.forum.services import thread_refresh

    earlier = list(Post.objects.filter(thread=thread).values_list("pk", flat=True))
    rows = []
    for i in range(first, stop):
        rng = random.Random(f"post-{i}")
        rows.append(
            Post(
                thread=thread,
                is_opening=i == 0,
                author_id=rng.choice(context.people),
                organisation_id=rng.choice(context.organisations) if rng.random() < 0.3 else None,
                body=rng.choice(REPLIES) + ("\n\n" + rng.choice(community.PARAGRAPHS) if rng.random() < 0.5 else ""),
                quote_id=rng.choice(earlier) if earlier and rng.random() < 0.1 else None,
                state="visible",
            )
        )
    with transaction.atomic():
        for row in rows:  # one by one: a quote needs the quoted post's id
            row.save()
            earlier.append(row.pk)
        Post.objects.filter(thread=thread, pk__in=earlier[-len(rows) :]).update(created_at=now - timedelta(days=3))
        thread_refresh(thread.pk)
    return len(rows)


def write_threads(category, count: int, context: community.Context) -> None:
    """`count` other threads of one visible opening post each, in the category."""
    from django.db import transaction

    from ngo_platform.forum.models import Post, Thread

    with transaction.atomic():
        threads = Thread.objects.bulk_create(
            Thread(category=category, title=f"Wątek {i}: {community.TOPICS[i % len(community.TOPICS)]}",
                   author_id=context.people[i % len(context.people)], is_public=True)
            for i in range(count)
        )  # fmt: skip
        Post.objects.bulk_create(
            Post(thread=thread, is_opening=True, author_id=thread.author_id, body="Pytanie.", state="visible")
            for thread in threads
        )


def people(count: int) -> list[int]:
    """Established accounts that write the posts (older than the forum's new-account days)."""
    from django.utils import timezone

    from ngo_platform.accounts.models import User

    joined = timezone.now() - timedelta(days=400)
    User.objects.bulk_create(
        User(email=f"bench-forum-{i}@example.pl", display_name=f"Uczestnik {i}", date_joined=joined)
        for i in range(count)
    )
    return list(User.objects.filter(email__startswith="bench-forum-").values_list("pk", flat=True))


def pages(idea_pk: int, thread_pk: int, slug: str, last_page: int, threads: int) -> list[tuple[str, str]]:
    return [
        ("ideas list, most supported", "/pomysly/"),
        ("ideas list, newest, page 100", "/pomysly/?kolejnosc=nowe&strona=100"),
        ("idea page", f"/pomysly/{idea_pk}/"),
        ("forum, the categories", "/forum/"),
        (f"forum category ({threads:,} threads)", f"/forum/kategorie/{slug}/"),
        ("thread, first page", f"/forum/watki/{thread_pk}/"),
        (f"thread, last page ({last_page})", f"/forum/watki/{thread_pk}/?strona={last_page}"),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    community.page_bench_arguments(parser, port=8028, name="ideas")
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=2_000, help="posts of the one long thread")
    parser.add_argument("--threads", type=int, default=1_000, help="other threads in its category")
    parser.add_argument("--small", type=int, default=100, help="the first size at which the queries are counted")
    parser.add_argument("--budget-ms", type=float, default=100.0)
    args = parser.parse_args(argv)
    host, port = community.server_address(parser, args, "ngo_bench_ideas")
    machine_text = load.machine()

    began = time.perf_counter()
    os.environ.setdefault("NGO_BENCH_ENDPOINTS", "1")
    setup(args.database_url, args.var_dir)
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from ngo_platform.community.models import Idea, IdeaAnswer
    from ngo_platform.forum.models import Category, Post, Thread
    from ngo_platform.organisations import generator
    from ngo_platform.organisations.models import Organisation

    if Idea.objects.exists() or Thread.objects.exists():
        parser.error("the database already holds ideas or threads: start from a fresh one (dropdb, createdb)")
    missing = args.organisations - Organisation.objects.count()
    if missing > 0:
        generator.bulk_insert(missing, seed=generator.DEFAULT_SEED + Organisation.objects.count())
    context = community.Context()
    context.people = people(200)
    context.author = context.people[0]
    now = timezone.now()
    user = community.resident()
    client = Client()
    client.force_login(user)
    category = Category.objects.create(name="Współpraca i dotacje", slug="wspolpraca")
    thread = Thread.objects.create(category=category, title="Jak rozliczyć wkład osobowy?", author_id=context.author)

    write_ideas(0, args.small, context, now)
    write_posts(thread, 0, args.small, context, now)
    write_threads(category, 10, context)
    idea = Idea.objects.order_by("pk").first()
    officer = context.people[1]
    for state, text in (("considering", "Rozważamy."), ("accepted", "Wpiszemy to do programu współpracy.")):
        IdeaAnswer.objects.create(idea=idea, state=state, text=text, author_id=officer, authority_id=idea.authority_id)
    community.analyse()
    per_page = settings.NGO_FORUM_POSTS_PER_PAGE
    last_page = -(-args.posts // per_page)
    rows = pages(idea.pk, thread.pk, category.slug, last_page, args.threads)
    paths = [load.BARE] + [path for _, path in rows]
    small_counts = community.count_queries(client, paths)
    print(f"# small: queries {[small_counts[p]['queries'] for p in paths]}", file=sys.stderr)

    written = time.perf_counter()
    write_ideas(args.small, args.ideas, context, now)
    write_posts(thread, args.small, args.posts, context, now)
    write_threads(category, args.threads - 10, context)
    community.analyse()
    writing = time.perf_counter() - written
    full_counts = community.count_queries(client, paths)
    print(f"# full size: queries {[full_counts[p]['queries'] for p in paths]}", file=sys.stderr)
    data = {
        "ideas": Idea.objects.count(),
        "posts": Post.objects.filter(thread=thread).count(),
        "quotes": Post.objects.filter(thread=thread, quote__isnull=False).count(),
        "threads": Thread.objects.filter(category=category).count(),
    }
    built = time.perf_counter() - began
    cookie = community.session_cookie(user)
    from django.db import connections

    connections.close_all()
    facts = load.database_facts(args.database_url)

    _bare_anonymous, bare, results = community.measure(args, host, port, rows, cookie)

    over = [(name, path, r) for name, path, r, _ in results if r.percentile(95) * 1000 > args.budget_ms]
    plans = {path: community.explain(full_counts[path]["slowest_sql"]) for _, path, _ in over}
    profiles = {path: community.profile(client, path) for _, path, _ in over}
    import gunicorn

    b95 = bare.percentile(95)

    def row(name, path, r, size):
        return community.table_row(name, path, r, size, small_counts[path], full_counts[path], b95, args.budget_ms)

    same = all(small_counts[p]["queries"] == full_counts[p]["queries"] for p in paths)
    lines = [
        f"### Run of {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        "",
        f"- machine: {machine_text}; client, server and database on the same machine",
        f"- database: {facts['version']}, {facts['size']}; cache: "
        + ("Redis" if os.environ.get("NGO_REDIS_URL") else "the database (DatabaseCache)"),
        f"- data: {data['ideas']:,} ideas, one thread of {data['posts']:,} visible posts ({data['quotes']:,} quoting an "
        f"earlier one; {per_page} a page, so {last_page} pages) among {data['threads']:,} threads of its category; "
        f"{len(context.organisations):,} organisations; set up and written in {built:.0f} s ({writing:.0f} s for the "
        "second step)",
        f"- server: gunicorn {gunicorn.__version__}, {args.workers} workers, NGO_DEBUG off; one client signed in as "
        f"a plain resident, every page rendered anew; {args.requests} requests per row after a warm-up of 12 per page",
        f"- command: `{load.display_command(args)}`",
        "",
        f"| page | path | requests | p50 ms | p95 ms | p95 ÷ bare p95 | p95 ≤ {args.budget_ms:g} ms | bytes | "
        f"SQL queries at {args.small:,} | at full size | SQL ms (in-process) | slowest query ms |",
        "|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
        row("bare Django view, signed in (the baseline)", load.BARE, bare, None),
        *[row(name, path, r, size) for name, path, r, size in results],
        "",
        "SQL queries counted in-process (signed in as the same resident) at the small size and at the full one: "
        + ("the same at both sizes for every page." if same else "**not** the same for some pages.")
        + " At the small size the deep pages are past the end and show the last one (`Paginator.get_page`).",
        "",
    ]
    for name, path, r in over:
        lines += [
            f"- **{name}** (`{path}`) is over the budget: p95 {load.fmt_ms(r.percentile(95))} ms; slowest query "
            f"{full_counts[path]['slowest_ms']:.1f} ms:",
            "",
            "  ```",
            *["  " + line for line in plans[path].splitlines()],
            "  ```",
            "",
            "  ```",
            *["  " + line for line in profiles[path]],
            "  ```",
            "",
        ]
    report = "\n".join(lines)
    print(report)
    community.append_report(args.append, SECTION, "`bench/ideas_forum.py` (see bench/README.md).", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
