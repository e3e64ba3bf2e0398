"""Benchmark of the community's pages: 10,000 news items and 10,000 events (issue 14, Deliver 9).

Fills a fresh database in DATABASE_URL (migrates, reference data, `--organisations` generated organisations and a
plain signed-in resident), then writes the news and the events in bulk in two steps: first `--small` of each (100),
then the rest up to `--news` and `--events` (10,000 each). After each step it counts, in-process (Django's test
client, signed in, NGO_DEBUG off), the SQL queries of every page below: the counts at the two sizes must be equal.
Then it starts gunicorn as bench/load.py does (NGO_DEBUG off, 2 workers) and measures over HTTP, one client,
`--requests` requests per row after a warm-up, every page *rendered anew*: the client is signed in (the session
cookie of the generated resident, who represents no organisation), so the whole-page cache for anonymous visitors
(decision 0007) never answers. The baseline is the bare view `/bench/bare/` of the same server and run, with the
same cookie (and once anonymous, for reference).

Pages: `/aktualnosci/` and a deep page `?strona=250`, `/aktualnosci/rss/`, `/wydarzenia/`, the month page of the
month the generated events favour most (`SEASON`; `/wydarzenia/miesiac/?miesiac=YYYY-MM`), the iCal feed `/wydarzenia/kalendarz.ics`
(a year ahead: `--events` / 2 events; its size in bytes is reported), an event page and a news page. The budget
(issue 14): p95 ≤ 100 ms (`--budget-ms`). For a page over it the report gives the share of its time spent in SQL,
the slowest query with PostgreSQL's EXPLAIN ANALYZE and a cProfile of one request; for pages within it, the plans of
queries of `--explain-ms` or more.

    dropdb -h 127.0.0.1 -U postgres --if-exists ngo_bench_community; createdb -h 127.0.0.1 -U postgres ngo_bench_community
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ngo_bench_community .venv/bin/python bench/community.py --append

The report (Markdown) goes to stdout and, with --append, to the end of docs/benchmarks.md under
"## Community: 10,000 news items and events (issue 14)". See bench/README.md.
"""

from __future__ import annotations

import argparse
import calendar as calendar_lib
import http.client
import os
import random
import secrets
import statistics
import string
import sys
import time
import urllib.parse
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

import load  # noqa: E402  (the server, the bare view's path, Result, the machine line, the database's facts)
from home import setup  # noqa: E402  (migrate, cache table, collectstatic, reference data; production settings)

SECTION = "## Community: 10,000 news items and events (issue 14)"
PLAIN_USER = "bench-mieszkaniec@example.pl"
# Events a month, by month of the year (1 = January): more in late spring and September, fewer in winter.
SEASON = {1: 0.6, 2: 0.7, 3: 0.9, 4: 1.0, 5: 1.3, 6: 1.5, 7: 1.0, 8: 0.9, 9: 1.3, 10: 1.2, 11: 0.9, 12: 0.7}

NEWS_TITLES = [
    "Zapraszamy na warsztaty {topic}",
    "Podsumowanie projektu „{project}”",
    "Nabór wolontariuszy: {topic}",
    "Ogłoszenie o naborze uczestników – {topic}",
    "Dziękujemy za udział w akcji „{project}”",
    "Ruszają zapisy na zajęcia {topic}",
    "Informacja o wynikach naboru – {topic}",
    "Spotkanie otwarte: {topic}",
    "Sprawozdanie z działalności za rok {year}",
    "Zbiórka publiczna na rzecz {beneficiary}",
]
TOPICS = [
    "ceramiczne dla seniorów",
    "teatralne dla dzieci",
    "fotograficzne dla młodzieży",
    "z pierwszej pomocy",
    "języka niemieckiego",
    "rękodzieła ludowego",
    "programowania dla dziewcząt",
    "tańca ludowego",
    "ekologiczne nad Odrą",
    "historii regionu",
    "rowerowe po Opolszczyźnie",
    "kulinarne kół gospodyń wiejskich",
]
PROJECTS = [
    "Zielone podwórko",
    "Seniorzy w sieci",
    "Czyste brzegi Odry",
    "Śląskie smaki",
    "Biblioteka pod chmurką",
    "Sąsiedzka pomoc",
    "Bezpieczny strażak",
    "Mała ojczyzna",
]
BENEFICIARIES = ["schroniska dla zwierząt", "hospicjum", "rodzin w potrzebie", "świetlicy wiejskiej", "remontu remizy"]
LEADS = [
    "Zajęcia są bezpłatne, liczba miejsc ograniczona. Zapisy przyjmujemy do końca miesiąca.",
    "Dziękujemy wszystkim uczestnikom i wolontariuszom za zaangażowanie i wspólnie spędzony czas.",
    "Zapraszamy mieszkańców gminy i organizacje z całego powiatu. Szczegóły poniżej.",
    "Projekt jest współfinansowany ze środków samorządu województwa w ramach otwartego konkursu ofert.",
    "Publikujemy harmonogram, warunki udziału i formularz zgłoszeniowy.",
]
PARAGRAPHS = [
    "Stowarzyszenie od lat działa na rzecz mieszkańców regionu. W tym roku przygotowaliśmy **cykl spotkań** "
    "otwartych dla wszystkich chętnych, niezależnie od wieku i doświadczenia.",
    "## Harmonogram\n\n- spotkanie organizacyjne,\n- trzy warsztaty tematyczne,\n- prezentacja efektów i podsumowanie.",
    "Udział jest bezpłatny. Zapewniamy materiały i poczęstunek. Sala jest dostępna dla osób poruszających się na "
    "wózkach, a na życzenie zapewnimy tłumacza polskiego języka migowego.",
    "> Najważniejsi są ludzie, którzy przychodzą i chcą działać razem.\n\nDziękujemy partnerom i darczyńcom.",
    "Więcej informacji udziela koordynatorka projektu, tel. 77 000 00 00, e-mail: biuro@example.org. "
    "Zgłoszenia przyjmujemy także [przez formularz](https://example.org/zgloszenia).",
]
EVENT_TITLES = [
    "Warsztaty {topic}",
    "Festyn rodzinny „{project}”",
    "Szkolenie: {training}",
    "Spotkanie informacyjne o konkursie ofert",
    "Koncert charytatywny na rzecz {beneficiary}",
    "Turniej piłki nożnej drużyn młodzieżowych",
    "Webinar: {training}",
    "Dzień otwarty organizacji",
    "Rajd rowerowy „{project}”",
    "Konsultacje dla organizacji pozarządowych: {training}",
]
TRAININGS = [
    "rozliczanie dotacji",
    "ochrona danych osobowych w organizacji",
    "pisanie wniosków grantowych",
    "wolontariat i porozumienia z wolontariuszami",
    "sprawozdawczość organizacji pożytku publicznego",
    "zbiórki publiczne krok po kroku",
]
ACCESSIBILITY = [
    "Sala na parterze, wejście bez progów, toaleta dostosowana do potrzeb osób z niepełnosprawnościami.",
    "Budynek z windą; pętla indukcyjna w sali. Tłumacz PJM na życzenie zgłoszone tydzień wcześniej.",
    "Wydarzenie na świeżym powietrzu, teren płaski, utwardzone alejki.",
    "Transmisja z napisami na żywo; materiały dostępne cyfrowo przed spotkaniem.",
]
STREETS = ["Rynek", "ul. Powstańców Śląskich", "ul. Opolska", "ul. Kościuszki", "ul. Szkolna", "pl. Wolności"]


def step_months(first: date, count: int) -> list[date]:
    """`count` first days of months from `first`'s on."""
    months, month = [], first.replace(day=1)
    for _ in range(count):
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def peak_month(today: date) -> date:
    """The month of the next twelve (after this one) that the generated events favour most: the month page's row."""
    return max(step_months(today, 13)[1:], key=lambda month: (SEASON[month.month], -month.toordinal()))


class Context:
    """What the generated rows are spread over: organisations, authorities, gminas and spheres of the data."""

    def __init__(self):
        from ngo_platform.organisations.models import Organisation
        from ngo_platform.organisations.selectors import current_spheres
        from ngo_platform.territory.models import Authority, TerritorialUnit, UnitLevel

        self.organisations = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
        self.authorities = list(Authority.objects.order_by("pk").values_list("pk", flat=True))
        self.gminas = list(
            TerritorialUnit.objects.filter(level=UnitLevel.GMINA).order_by("pk").values_list("pk", "name")
        )
        self.spheres = list(current_spheres().values_list("pk", flat=True))


def party(rng: random.Random, context: Context, *, platform_share: float) -> tuple[int | None, int | None]:
    """(organisation, authority): an organisation 70% of the time, otherwise an authority, or (news: `platform_share`
    of the time) the platform."""
    roll = rng.random()
    if roll < 0.70:
        return rng.choice(context.organisations), None
    if roll < 0.95 + (0.05 - platform_share):
        return None, rng.choice(context.authorities)
    return None, None


def write_news(first: int, stop: int, context: Context, now: datetime) -> int:
    """News items `first`..`stop - 1`, published in the last three years, with 1–3 spheres each. Item i is the same
    whatever the steps (its own random generator). Written in bulk with their state set directly ("published", with
    its dates): generated benchmark data, not the services' path (which would also write the audit log)."""
    from django.db import transaction

    from ngo_platform.community.models import News

    rows, spheres = [], []
    for i in range(first, stop):
        rng = random.Random(f"news-{i}")
        organisation, authority = party(rng, context, platform_share=0.05)
        if i == 0:  # the news page's row: an organisation's item with three spheres
            organisation, authority = context.organisations[0], None
        published = now - timedelta(seconds=rng.uniform(600, 3 * 365 * 86400))
        title = rng.choice(NEWS_TITLES).format(
            topic=rng.choice(TOPICS),
            project=rng.choice(PROJECTS),
            year=published.year - 1,
            beneficiary=rng.choice(BENEFICIARIES),
        )
        rows.append(
            News(
                organisation_id=organisation,
                authority_id=authority,
                title=title,
                lead=rng.choice(LEADS),
                body="\n\n".join(rng.sample(PARAGRAPHS, rng.randint(2, len(PARAGRAPHS)))),
                state="published",
                state_changed_at=published,
                published_at=published,
            )
        )
        spheres.append(rng.sample(context.spheres, 3 if i == 0 else rng.randint(1, 3)))
    through = News.spheres.through
    with transaction.atomic():
        News.objects.bulk_create(rows, batch_size=2000)
        through.objects.bulk_create(
            [through(news_id=row.pk, sphere_id=sphere) for row, chosen in zip(rows, spheres) for sphere in chosen],
            batch_size=5000,
        )
    return len(rows)


def event_start(rng: random.Random, i: int, now: datetime, today: date) -> datetime:
    """Even events start in the next twelve months (by SEASON's weights; the feed's whole window), odd ones in the
    three years before the feed's window (more than 30 days ago), so the feed holds exactly the future half."""
    from django.utils import timezone

    if i % 2:
        return now - timedelta(seconds=rng.uniform(35 * 86400, 3 * 365 * 86400))
    months = step_months(today, 13)
    month = rng.choices(months, weights=[SEASON[m.month] for m in months])[0]
    days = calendar_lib.monthrange(month.year, month.month)[1]
    day = month.replace(day=rng.randint(1, days))
    hour = rng.choice([9, 10, 11, 12, 14, 16, 17, 18])
    start = timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=hour)))
    start += timedelta(minutes=rng.choice([0, 15, 30]))
    # Within [now + 1 hour, now + 364 days]: in the feed's window (selectors.CALENDAR_AHEAD) and not yet over.
    earliest, latest = now + timedelta(hours=1), now + timedelta(days=364)
    if not earliest <= start <= latest:
        start = earliest + timedelta(seconds=rng.uniform(0, (latest - earliest).total_seconds()))
    return start.replace(second=0, microsecond=0)


def write_events(first: int, stop: int, context: Context, now: datetime) -> int:
    """Events `first`..`stop - 1` (half coming, half past), in bulk with their state set directly ("published"):
    generated benchmark data, not the services' path."""
    from django.db import transaction
    from django.utils import timezone

    from ngo_platform.community.models import Event

    today = timezone.localdate(now)
    rows = []
    for i in range(first, stop):
        rng = random.Random(f"event-{i}")
        organisation, authority = party(rng, context, platform_share=0.0)
        start = event_start(rng, i, now, today)
        all_day = i != 0 and rng.random() < 0.1
        if all_day:
            first_day = timezone.localtime(start).date()
            start = timezone.make_aware(datetime.combine(first_day, datetime.min.time()))
            end = timezone.make_aware(
                datetime.combine(first_day + timedelta(days=rng.randint(1, 2)), datetime.min.time())
            )
        else:
            end = start + timedelta(minutes=rng.choice([60, 90, 120, 180, 240]))
        gmina, gmina_name = rng.choice(context.gminas)
        roll = rng.random()
        online = roll < 0.25
        place = "" if roll < 0.15 else f"{rng.choice(STREETS)} {rng.randint(1, 40)}, {gmina_name}"
        registration = "platform" if i == 0 else rng.choices(["none", "external", "platform"], [60, 25, 15])[0]
        title = rng.choice(EVENT_TITLES).format(
            topic=rng.choice(TOPICS),
            project=rng.choice(PROJECTS),
            training=rng.choice(TRAININGS),
            beneficiary=rng.choice(BENEFICIARIES),
        )
        rows.append(
            Event(
                organisation_id=organisation,
                authority_id=authority,
                title=f"{title} – {gmina_name}",
                description="\n\n".join(rng.sample(PARAGRAPHS, rng.randint(1, 3))),
                starts_at=start,
                ends_at=end,
                all_day=all_day,
                place=place,
                gmina_id=gmina if place else None,
                online_url=f"https://spotkanie.example.org/{i}" if online or not place else "",
                accessibility=rng.choice(ACCESSIBILITY),
                registration=registration,
                registration_url=f"https://example.org/zapisy/{i}" if registration == "external" else "",
                capacity=rng.choice([20, 30, 50, 100]) if registration == "platform" else None,
                state="published",
                state_changed_at=min(start, now) - timedelta(days=14),
                published_at=min(start, now) - timedelta(days=14),
            )
        )
    with transaction.atomic():
        Event.objects.bulk_create(rows, batch_size=2000)
    from ngo_platform.community.selectors import EVENTS_VERSION

    EVENTS_VERSION.bump()  # as the services do after a change: the kept calendar feeds are stale
    return len(rows)


def analyse() -> None:
    """Refresh the planner's statistics after the bulk inserts, as autovacuum would soon after."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def resident():
    """The plain signed-in person of the measurements: represents no organisation, no authority, not staff."""
    from ngo_platform.accounts.models import User

    user, _ = User.objects.get_or_create(email=PLAIN_USER, defaults={"display_name": "Mieszkanka Benchmarku"})
    return user


def session_cookie(user) -> str:
    """A signed-in session of `user` in the session store, and a CSRF cookie, as a browser would send them."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    token = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={token}"


def pages(month: date, event_pk: int, news_pk: int) -> list[tuple[str, str]]:
    return [
        ("news list, first page", "/aktualnosci/"),
        ("news list, page 250", "/aktualnosci/?strona=250"),
        ("news RSS feed (50 items)", "/aktualnosci/rss/"),
        ("events list, first page", "/wydarzenia/"),
        (f"events of a month ({month:%Y-%m})", f"/wydarzenia/miesiac/?miesiac={month:%Y-%m}"),
        ("iCal feed (a year ahead), kept", "/wydarzenia/kalendarz.ics"),
        ("event page", f"/wydarzenia/{event_pk}/"),
        ("news page", f"/aktualnosci/{news_pk}/"),
    ]


def count_queries(client, paths: list[str]) -> dict[str, dict]:
    """Per path, in-process and signed in: its SQL queries (after one warm-up request), the median of three
    requests' time in the database (each query timed around its execution), the slowest query's text (as sent,
    parameters interpolated) and time, the response's size."""
    from django.db import connection

    counted = {}
    for path in paths:
        assert client.get(path).status_code == 200, path
        runs = []
        for _ in range(3):
            executed: list[tuple[str, float]] = []

            def timed(execute, sql, params, many, context, executed=executed):
                start = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    elapsed = time.perf_counter() - start
                    text = connection.ops.last_executed_query(context["cursor"], sql, params)
                    executed.append((text, elapsed))

            with connection.execute_wrapper(timed):
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            runs.append(executed)
        counts = {len(run) for run in runs}
        slowest = max(runs[-1], key=lambda q: q[1], default=("", 0.0))
        counted[path] = {
            "queries": max(counts),
            "varies": len(counts) > 1,
            "sql_ms": statistics.median(sum(t for _, t in run) * 1000 for run in runs),
            "slowest_sql": slowest[0],
            "slowest_ms": slowest[1] * 1000,
            "bytes": len(response.content),
        }
    return counted


def profile(client, path: str, top: int = 12) -> list[str]:
    """Where one in-process request of `path` spends its time: the functions with the most time of their own."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:top]
    lines = [f"{total * 1000:.0f} ms under the profiler; own time of the top functions:"]
    for (filename, line, function), (_, calls, own, cumulative, _) in rows:
        where = filename.split("site-packages/")[-1].split("/src/")[-1]
        lines.append(
            f"{own * 1000:8.1f} ms own, {cumulative * 1000:8.1f} ms cumulative, {calls:>8} calls  {function} ({where}:{line})"
        )
    return lines


def shorten(sql: str) -> str:
    """The query for reading: its long list of selected columns as "…" (EXPLAIN runs the whole text)."""
    head, found, rest = sql.partition(' FROM "')
    if not found or len(head) < 200 or not head.startswith("SELECT "):
        return sql
    return f'{head[: head.index(" ", 7 if not head.startswith("SELECT DISTINCT") else 16)]} … FROM "{rest}'


def explain(sql: str) -> str:
    from django.db import connection

    if connection.vendor != "postgresql" or not sql:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def run_signed_in(host: str, port: int, name: str, path: str, cookie: str, requests: int, duration: float):
    """One client, `requests` sequential GETs of `path` with `cookie` (or until `duration` s): a load.Result (its
    latencies are of 200 answers only) and the size of the last body. Keeps the connection where the server
    allows (gunicorn's sync workers close it after each response: the next request reconnects, as in load.py)."""
    result = load.Result(name, 1)
    headers = {"Accept-Language": "pl", "User-Agent": "ngo-bench", **({"Cookie": cookie} if cookie else {})}
    connection, size = None, 0
    began = time.perf_counter()
    deadline = began + duration
    for _ in range(requests):
        if time.perf_counter() > deadline:
            break
        if connection is None:
            connection = http.client.HTTPConnection(host, port, timeout=60)
        start = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            status = response.status
            if response.will_close:
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException):
            connection.close()
            connection, status = None, 0
        elapsed = time.perf_counter() - start
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if status == 200:
            result.latencies.append(elapsed)
            result.samples.append((path, elapsed))
            size = len(body)
        else:
            result.errors += 1
    if connection is not None:
        connection.close()
    result.wall = time.perf_counter() - began
    return result, size


def measure(args, host: str, port: int, rows: list[tuple[str, str]], cookie: str):
    """Start the server, warm its workers up, then measure the bare view (anonymous and signed in) and every row:
    (bare anonymous, bare signed in, [(name, path, load.Result, bytes)])."""
    paths = [load.BARE] + [path for _, path in rows]
    server = load.start_server(args, host, port)
    results = []
    try:
        for _ in range(2):  # warm every worker up: imports, connections, template and translation caches
            for path in paths:
                run_signed_in(host, port, "warm-up", path, cookie, 6, 60)
        bare_anonymous, _ = run_signed_in(host, port, "bare Django view, anonymous", load.BARE, "", args.requests, 60)
        bare, _ = run_signed_in(host, port, "bare Django view, signed in", load.BARE, cookie, args.requests, 60)
        for name, path in rows:
            result, size = run_signed_in(host, port, name, path, cookie, args.requests, args.duration)
            if result.errors:
                raise SystemExit(f"{path}: {result.errors} failed requests {result.statuses}")
            results.append((name, path, result, size))
            print(
                f"# {name}: {result.requests} requests, p50 {load.fmt_ms(result.percentile(50))} ms, "
                f"p95 {load.fmt_ms(result.percentile(95))} ms",
                file=sys.stderr,
            )
    finally:
        load.stop_server(server)
    return bare_anonymous, bare, results


def table_row(name, path, r, size, small: dict, full: dict, b95: float, budget_ms: float) -> str:
    """One Markdown row: latency, its ratio to the bare view's p95, the verdict, bytes, queries at both sizes."""
    p95 = r.percentile(95)
    verdict = "–" if path == load.BARE else ("yes" if p95 * 1000 <= budget_ms else "**no**")
    return (
        f"| {name} | `{path}` | {r.requests} | {load.fmt_ms(r.percentile(50))} | {load.fmt_ms(p95)} | "
        f"{p95 / b95:.1f}× | {verdict} | {'–' if size is None else f'{size:,}'} | {small['queries']} | "
        f"{full['queries']} | {full['sql_ms']:.1f} | {full['slowest_ms']:.1f} |"
    )


def feed_builds(client, cold_runs: int = 3, changed_runs: int = 5) -> dict:
    """In-process, signed in: the iCal feed built anew with nothing kept (ms, median of `cold_runs`), and built again
    after one event changed while the other events' VEVENTs are kept (median of `changed_runs`)."""
    from django.core.cache import cache
    from django.utils import timezone

    from ngo_platform.community.models import Event
    from ngo_platform.community.selectors import EVENTS_VERSION

    path, texts = "/wydarzenia/kalendarz.ics", "community:vevents:http://testserver"
    changed = Event.objects.filter(ends_at__gt=timezone.now()).order_by("starts_at").values_list("pk", flat=True)[0]

    def timed() -> float:
        began = time.perf_counter()
        assert client.get(path).status_code == 200
        return (time.perf_counter() - began) * 1000

    cold, after_change = [], []
    for _ in range(cold_runs):
        cache.delete(texts)
        EVENTS_VERSION.bump()
        cold.append(timed())
    for _ in range(changed_runs):
        Event.objects.filter(pk=changed).update(updated_at=timezone.now())
        EVENTS_VERSION.bump()
        after_change.append(timed())
    return {"cold": statistics.median(cold), "changed": statistics.median(after_change)}


def month_events(month: date) -> int:
    """How many events the month page lists (its weeks run Monday to Sunday, so some days of the neighbours)."""
    from django.utils import timezone

    from ngo_platform.community import selectors

    weeks = calendar_lib.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    start = timezone.make_aware(datetime.combine(weeks[0][0], datetime.min.time()))
    end = timezone.make_aware(datetime.combine(weeks[-1][-1] + timedelta(days=1), datetime.min.time()))
    return selectors.events_between(start, end).count()


def sizes() -> dict:
    from django.db.models import Count, Q
    from django.utils import timezone

    from ngo_platform.community.models import Event, News
    from ngo_platform.organisations.models import Organisation
    from ngo_platform.territory.models import Authority

    now = timezone.now()
    news = News.objects.aggregate(
        total=Count("pk", filter=Q(state="published")),
        organisations=Count("pk", filter=Q(organisation__isnull=False)),
        authorities=Count("pk", filter=Q(authority__isnull=False)),
    )
    events = Event.objects.aggregate(
        total=Count("pk", filter=Q(state="published")),
        coming=Count("pk", filter=Q(ends_at__gt=now)),
        year=Count("pk", filter=Q(starts_at__lt=now + timedelta(days=365), ends_at__gt=now - timedelta(days=30))),
    )
    return {
        "news": news["total"],
        "news_organisations": news["organisations"],
        "news_authorities": news["authorities"],
        "news_spheres": News.spheres.through.objects.count(),
        "events": events["total"],
        "events_coming": events["coming"],
        "events_feed": events["year"],
        "organisations": Organisation.objects.count(),
        "authorities": Authority.objects.count(),
    }


def page_bench_arguments(parser: argparse.ArgumentParser, *, port: int, name: str) -> None:
    """The arguments every page benchmark shares: the database, the server (started as bench/load.py does), the
    requests of a row and where the report goes."""
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--url", default=f"http://127.0.0.1:{port}", help="where to start the server (localhost only)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gunicorn-args", default="")
    parser.add_argument("--var-dir", type=Path, default=Path(f"/tmp/var-{name}/bench"))
    parser.add_argument("--requests", type=int, default=200, help="requests per row after the warm-up")
    parser.add_argument("--duration", type=float, default=300.0, help="at most this many seconds per row")
    parser.add_argument(
        "--append",
        nargs="?",
        const=str(ROOT / "docs" / "benchmarks.md"),
        default=None,
        help="append the report to this Markdown file (default docs/benchmarks.md)",
    )


def server_address(parser: argparse.ArgumentParser, args, database: str) -> tuple[str, int]:
    """(host, port) of `--url`, refused unless local; and the database required."""
    if not args.database_url:
        parser.error(f"set DATABASE_URL (or --database-url), e.g. postgres://postgres@127.0.0.1:5432/{database}")
    url = urllib.parse.urlparse(args.url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    if url.scheme != "http" or host not in load.LOCAL_HOSTS:
        parser.error("only http://127.0.0.1, localhost or [::1] may be loaded")
    return host, port


def append_report(target: str | None, section: str, intro: str, report: str) -> None:
    """Append `report` to the Markdown file `target` (if given), under `section`, written with `intro` the first
    time."""
    if not target:
        return
    path = Path(target)
    existing = path.read_text() if path.exists() else "# Benchmarks\n"
    with path.open("a") as file:
        if section not in existing:
            file.write(f"\n{section}\n\n{intro}\n")
        file.write("\n" + report)
    print(f"# appended to {path}", file=sys.stderr)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    page_bench_arguments(parser, port=8027, name="community")
    parser.add_argument("--organisations", type=int, default=2000, help="generated organisations writing news")
    parser.add_argument("--news", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=10_000, help="half in the next 12 months, half past")
    parser.add_argument("--small", type=int, default=100, help="the first size at which the queries are counted")
    parser.add_argument("--budget-ms", type=float, default=100.0, help="issue 14: p95 of a page rendered anew")
    parser.add_argument(
        "--explain-ms", type=float, default=10.0, help="EXPLAIN ANALYZE a page's slowest query from this long on"
    )
    args = parser.parse_args(argv)
    host, port = server_address(parser, args, "ngo_bench_community")
    if not 0 < args.small < min(args.news, args.events):
        parser.error("--small must be above 0 and below --news and --events")
    machine_text = load.machine()  # the load average before we add to it

    began = time.perf_counter()
    os.environ.setdefault("NGO_BENCH_ENDPOINTS", "1")  # in-process too: the bare view's queries are counted
    setup(args.database_url, args.var_dir)
    from django.test import Client
    from django.utils import timezone

    from ngo_platform.community.models import Event, News
    from ngo_platform.organisations import generator
    from ngo_platform.organisations.models import Organisation

    if News.objects.exists() or Event.objects.exists():
        parser.error("the database already holds news or events: start from a fresh one (dropdb, createdb)")
    missing = args.organisations - Organisation.objects.count()
    if missing > 0:
        generator.bulk_insert(missing, seed=generator.DEFAULT_SEED + Organisation.objects.count())
    context = Context()
    now = timezone.now()
    month = peak_month(timezone.localdate(now))
    user = resident()
    client = Client()
    client.force_login(user)

    # Step 1: the small size; count.
    write_news(0, args.small, context, now)
    write_events(0, args.small, context, now)
    analyse()
    news_pk = News.objects.order_by("pk").values_list("pk", flat=True)[0]
    event_pk = Event.objects.order_by("pk").values_list("pk", flat=True)[0]
    rows = pages(month, event_pk, news_pk)
    paths = [load.BARE] + [path for _, path in rows]
    small_counts = count_queries(client, paths)
    print(f"# {args.small} of each: queries {[small_counts[p]['queries'] for p in paths]}", file=sys.stderr)

    # Step 2: the full size; count again.
    written = time.perf_counter()
    write_news(args.small, args.news, context, now)
    write_events(args.small, args.events, context, now)
    analyse()
    writing = time.perf_counter() - written
    full_counts = count_queries(client, paths)
    print(f"# full size: queries {[full_counts[p]['queries'] for p in paths]}", file=sys.stderr)
    data = sizes()
    data["month_events"] = month_events(month)
    builds = feed_builds(client)
    built = time.perf_counter() - began
    cookie = session_cookie(user)
    from django.db import connections

    connections.close_all()
    facts = load.database_facts(args.database_url)

    bare_anonymous, bare, results = measure(args, host, port, rows, cookie)

    over = [(name, path, r) for name, path, r, _ in results if r.percentile(95) * 1000 > args.budget_ms]
    slow = [
        (name, path, r)
        for name, path, r, _ in results
        if (name, path, r) not in over and full_counts[path]["slowest_ms"] >= args.explain_ms
    ]
    plans = {path: explain(full_counts[path]["slowest_sql"]) for _, path, _ in over + slow}
    profiles = {path: profile(client, path) for _, path, _ in over}

    import gunicorn

    cache_backend = "Redis" if os.environ.get("NGO_REDIS_URL") else "the database (DatabaseCache)"
    command = load.display_command(args)
    b95 = bare.percentile(95)

    def row(name, path, r, size):
        return table_row(name, path, r, size, small_counts[path], full_counts[path], b95, args.budget_ms)

    lines = [
        f"### Run of {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        "",
        f"- machine: {machine_text}; client, server and database on the same machine",
        f"- database: {facts['version']}, {facts['size']}; cache: {cache_backend}",
        f"- data: {data['news']:,} published news items ({data['news_organisations']:,} of organisations, "
        f"{data['news_authorities']:,} of authorities, the rest of the platform; {data['news_spheres']:,} sphere "
        f"links), {data['events']:,} published events ({data['events_coming']:,} in the next 12 months, the rest "
        f"past; {data['events_feed']:,} in the iCal feed's window, {data['month_events']:,} on the page of "
        f"{month:%Y-%m}); {data['organisations']:,} organisations, {data['authorities']} authorities; set up and "
        f"written in {built:.0f} s (the news and events in bulk: {writing:.0f} s for the second step)",
        f"- server: gunicorn {gunicorn.__version__}, {args.workers} workers {args.gunicorn_args}".rstrip()
        + f", NGO_DEBUG off; one client, signed in as a plain resident (session cookie), so the anonymous page "
        f"cache never answers: every page rendered anew; {args.requests} requests per row (at most "
        f"{args.duration:g} s) after a warm-up of 12 per page",
        f"- command: `{command}`",
        f"- the iCal feed built anew, in-process: {builds['cold']:.0f} ms with nothing kept (median of 3), "
        f"{builds['changed']:.0f} ms after one event changed, the other events' VEVENTs kept (median of 5); over "
        "HTTP below, the feed kept for `FEED_SECONDS` under the events' data version",
        "",
        "| page | path | requests | p50 ms | p95 ms | p95 ÷ bare p95 | p95 ≤ "
        f"{args.budget_ms:g} ms | bytes | SQL queries at {args.small:,} | at {min(args.news, args.events):,} | "
        "SQL ms (in-process) | slowest query ms |",
        "|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
        f"| bare Django view, anonymous | `{load.BARE}` | {bare_anonymous.requests} | "
        f"{load.fmt_ms(bare_anonymous.percentile(50))} | {load.fmt_ms(bare_anonymous.percentile(95))} | "
        f"{bare_anonymous.percentile(95) / b95:.1f}× | – | – | – | – | – | – |",
        row("bare Django view, signed in (the baseline)", load.BARE, bare, None),
        *[row(name, path, r, size) for name, path, r, size in results],
        "",
        f"SQL queries counted in-process (Django's test client, signed in as the same resident) after "
        f"{args.small:,} news items and events and again after {args.news:,} and {args.events:,}: "
        + (
            "the same at both sizes for every page."
            if all(small_counts[p]["queries"] == full_counts[p]["queries"] for p in paths)
            else "**not** the same for: "
            + ", ".join(f"`{p}`" for p in paths if small_counts[p]["queries"] != full_counts[p]["queries"])
            + "."
        )
        + f" At {args.small:,} items `?strona=250` is past the last page and shows the last one (`Paginator.get_page`). "
        'The counts include the session, the user and the database cache\'s reads. "SQL ms" is the median over three '
        'in-process requests of the time spent in the database at the full size ("slowest query": the longest of '
        "the last); the rest of p50 is Python (the ORM, the template, the feed writer) and HTTP.",
        "",
    ]

    def plan(path: str) -> list[str]:
        return [
            "  ```sql",
            "  " + shorten(full_counts[path]["slowest_sql"]),
            "  ```",
            "",
            "  ```",
            *["  " + line for line in plans[path].splitlines()],
            "  ```",
            "",
        ]

    if over:
        lines += [f"Over the budget (p95 > {args.budget_ms:g} ms):", ""]
        for name, path, r in over:
            counted = full_counts[path]
            lines += [
                f"- **{name}** (`{path}`): p95 {load.fmt_ms(r.percentile(95))} ms, p50 {load.fmt_ms(r.percentile(50))} "
                f"ms, of which about {counted['sql_ms']:.1f} ms in {counted['queries']} SQL queries; the slowest query "
                f"({counted['slowest_ms']:.1f} ms in-process) and its plan (EXPLAIN ANALYZE, BUFFERS):",
                "",
                *plan(path),
                "  One request in-process under cProfile:",
                "",
                "  ```",
                *["  " + line for line in profiles[path]],
                "  ```",
                "",
            ]
    else:
        lines += [f"Every page's p95 is within the budget of {args.budget_ms:g} ms.", ""]
    if slow:
        lines += [f"Queries of {args.explain_ms:g} ms or more on pages within the budget:", ""]
        for name, path, _r in slow:
            lines += [f"- {name} (`{path}`): {full_counts[path]['slowest_ms']:.1f} ms in-process", "", *plan(path)]
    report = "\n".join(lines)
    print(report)
    append_report(
        args.append,
        SECTION,
        "`bench/community.py` (see bench/README.md): the news and events pages rendered anew (signed in), one client, "
        "against the bare view of the same server and run.",
        report,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
