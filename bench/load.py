"""Load driver: latency and throughput of the directory and its search against a bare Django view.

Starts a production server (gunicorn, NGO_DEBUG off) on the database in DATABASE_URL, or uses one already
listening (--no-start), then measures in one run, at each concurrency (default 1 and 16 clients):

- `/bench/bare/`: a bare Django view (the server must have NGO_BENCH_ENDPOINTS=1), the yardstick;
- the directory `/organizacje/`, first page, and a facet-filtered page;
- searches `/organizacje/?q=...` cycling through ~20 typical queries;
- the directory and the searches again with the whole-page cache bypassed (a unique dummy parameter on
  every request), i.e. the view, its queries and its template each time;
- searches with typos that match nothing as typed, page cache bypassed: the directory corrects them against
  the index's vocabulary (`search.corrected`) and shows "Czy chodziło o: …" (checked before measuring).

Each measurement is bounded by a number of requests and a duration. The report is a Markdown table
(p50/p95/p99 latency, requests/s, ratios to the bare view at the same concurrency) on stdout, and with
--append also at the end of docs/benchmarks.md with the date, the machine, PostgreSQL's version, the size
of the data and the exact command. Standard library only (http.client, threads, keep-alive where the server
allows it); psycopg (a dependency of the project) reads the database's version and size. Localhost only.

    .venv/bin/python bench/load.py                       # start gunicorn on DATABASE_URL and measure
    .venv/bin/python bench/load.py --no-start --url http://127.0.0.1:8000

See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import platform
import secrets
import shlex
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ngo_bench"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

BARE = "/bench/bare/"
SEARCH_BYPASSED = "search ({n} queries), page cache bypassed"
TYPOS_BYPASSED = "search with typos ({n} queries), page cache bypassed"
DIRECTORY = "/organizacje/"
FACETED = "/organizacje/?powiat=1601&forma=stowarzyszenie"
# Typical searches: inflected Polish words, names, places, phrases, typos; identifiers are added from the data.
QUERIES = [
    "kultura",
    "kulturze",
    "dzieci i młodzież",
    "młodzieży",
    "seniorów",
    "seniorzy Opole",
    "sportowy klub",
    "piłki nożnej",
    "ekologia",
    "ochotnicza straż pożarna",
    "straży pożarnej Nysa",
    "koło gospodyń wiejskich",
    "Stowarzyszenie Przyjaciół Ziemi Nyskiej",
    "fundacja rozwoju",
    "niepełnosprawnych",
    "pomoc rodzinom",
    "mniejszości niemieckiej",
    "Kędzierzyn-Koźle",
    "stowarzyszenei",  # typo
    "fundajca kultury",  # typo
    # What issue 13 wants found: legal form, seat and spheres are in the index.
    "stowarzyszenie sportowe",
    "fundacja opole",
    "klub sportowy nysa",
]
# Queries that match nothing as typed, so the directory corrects them against the vocabulary (issue 13); each
# must show "Czy chodziło o" (CORRECTION_MARK), which the run checks before it measures them.
TYPO_QUERIES = [
    "stowarzyszenei",
    "fundajca kultury",
    "klub sprotowy nysa",
    "koło gospodyn wiejskih",
    "ochotncza straż pożarna",
    "Stowarzyszenie Przyjaciół Ziemi Nyskej",
]
CORRECTION_MARK = "Czy chodziło o"


@dataclass
class Result:
    name: str
    clients: int
    latencies: list[float] = field(default_factory=list)  # seconds, successful responses only
    samples: list[tuple[str, float]] = field(default_factory=list)  # (path, seconds) of the same
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    wall: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(1, -(-len(ordered) * p // 100))  # nearest rank
        return ordered[int(rank) - 1]

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0


def run_load(host: str, port: int, name: str, paths, clients: int, max_requests: int, duration: float) -> Result:
    """`clients` threads, each with its own connection, share a budget of requests and a deadline."""
    result = Result(name, clients)
    lock = threading.Lock()
    budget = [max_requests]
    start = threading.Barrier(clients + 1)
    deadline = [0.0]
    path_iter = iter(paths)

    def client():
        connection = http.client.HTTPConnection(host, port, timeout=60)
        latencies, samples, errors, statuses = [], [], 0, {}
        start.wait()
        while True:
            with lock:
                if budget[0] <= 0 or time.perf_counter() > deadline[0]:
                    break
                budget[0] -= 1
                path = next(path_iter)
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Language": "pl", "User-Agent": "ngo-bench"})
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.will_close:
                    connection.close()  # the next request reconnects
            except (OSError, http.client.HTTPException):
                connection.close()
                status = 0
            elapsed = time.perf_counter() - began
            statuses[status] = statuses.get(status, 0) + 1
            if status == 200:
                latencies.append(elapsed)
                samples.append((path, elapsed))
            else:
                errors += 1
        connection.close()
        with lock:
            result.latencies.extend(latencies)
            result.samples.extend(samples)
            result.errors += errors
            for status, n in statuses.items():
                result.statuses[status] = result.statuses.get(status, 0) + n

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + duration
    start.wait()
    for thread in threads:
        thread.join()
    result.wall = time.perf_counter() - began
    return result


def cycle_busted(paths):
    """The paths, forever, each time with a new dummy parameter (bypasses the whole-page cache). The
    parameter is unique to this call, so neither another row nor an earlier run can have cached it."""
    token = uuid.uuid4().hex[:12]
    for n, path in enumerate(itertools.cycle(paths)):
        yield f"{path}{'&' if '?' in path else '?'}_b={token}-{n}"


def get(host: str, port: int, path: str, timeout: float = 60) -> int:
    return fetch(host, port, path, timeout)[0]


def fetch(host: str, port: int, path: str, timeout: float = 60) -> tuple[int, str]:
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept-Language": "pl", "User-Agent": "ngo-bench"})
        response = connection.getresponse()
        body = response.read()
        return response.status, body.decode("utf-8", "replace")
    finally:
        connection.close()


def correction_check(host: str, port: int, paths: list[str]) -> list[str]:
    """The typo searches whose page does not show a correction ("Czy chodziło o"): each is requested with a
    fresh dummy parameter, so the page is rendered, not read from the cache."""
    failing = []
    for path in cycle_busted_once(paths):
        status, body = fetch(host, port, path)
        if status != 200 or CORRECTION_MARK not in body:
            failing.append(f"{query_of(path)} ({status}{', no correction' if status == 200 else ''})")
    return failing


def cycle_busted_once(paths):
    return itertools.islice(cycle_busted(paths), len(paths))


def query_of(path: str) -> str:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(path).query).get("q", ["?"])[0]


# --- The server ------------------------------------------------------------------------------------------


def server_environment(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": args.database_url,
            "NGO_DEBUG": "0",
            "NGO_SECRET_KEY": os.environ.get("NGO_SECRET_KEY") or secrets.token_urlsafe(50),
            "NGO_SSL_REDIRECT": "0",
            "NGO_ALLOWED_HOSTS": "127.0.0.1",
            "NGO_BENCH_ENDPOINTS": "1",
            "NGO_VAR_DIR": str(args.var_dir),
            "NGO_LOG_LEVEL": "WARNING",
        }
    )
    return env


def server_command(args, host: str, port: int) -> list[str]:
    """gunicorn (the documented production server) or, to compare, granian's WSGI interface (not a dependency of
    the project: `pip install granian` into the venv first); `args.gunicorn_args` (`--server-args`) go to either."""
    if getattr(args, "server", "gunicorn") == "granian":
        return [
            str(BIN / "granian"),
            "--interface",
            "wsgi",
            "--workers",
            str(args.workers),
            "--host",
            host,
            "--port",
            str(port),
            "--log-level",
            "warning",
            *shlex.split(args.gunicorn_args),
            "ngo_platform.wsgi:application",
        ]
    return [
        str(BIN / "gunicorn"),
        "ngo_platform.wsgi",
        "--workers",
        str(args.workers),
        "--bind",
        f"{host}:{port}",
        "--log-level",
        "warning",
        *shlex.split(args.gunicorn_args),
    ]


def start_server(args, host: str, port: int) -> subprocess.Popen:
    env = server_environment(args)
    args.var_dir.mkdir(parents=True, exist_ok=True)
    # Production settings serve hashed static files: they need the manifest collectstatic writes.
    subprocess.run([str(BIN / "ngo-platform"), "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    command = server_command(args, host, port)
    log = args.var_dir / "server.log"
    print(f"# starting: {shlex.join(command)} (its output: {log})", file=sys.stderr)
    with log.open("w") as output:
        server = subprocess.Popen(
            command, env=env, cwd=ROOT, start_new_session=True, stdout=output, stderr=subprocess.STDOUT
        )
    for _ in range(120):
        time.sleep(0.5)
        if server.poll() is not None:
            raise SystemExit(f"{command[0]} exited with {server.returncode}")
        try:
            get(host, port, "/", timeout=5)
            return server
        except OSError:
            continue
    stop_server(server)
    raise SystemExit(f"{command[0]} did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # the group we started: the master and its workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# --- Facts for the report ---------------------------------------------------------------------------------


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        mem_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
        ram = f"{mem_kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration):
        ram = "RAM unknown"
    load = " ".join(f"{n:.1f}" for n in os.getloadavg())
    return (
        f"{os.cpu_count()} cores{f' ({model})' if model else ''}, {ram}, {platform.system()} {platform.release()}, "
        f"load average {load} before the run"
    )


def database_facts(database_url: str) -> dict[str, str]:
    """Version, organisations, search entries, size; and a KRS and a NIP to search for."""
    facts = {"version": "?", "organisations": "?", "size": "?", "krs": "", "nip": ""}
    url = urllib.parse.urlparse(database_url)
    try:
        if url.scheme.startswith("postgres"):
            import psycopg

            with psycopg.connect(database_url, connect_timeout=5) as connection:
                cursor = connection.cursor()
                facts["version"] = "PostgreSQL " + cursor.execute("SHOW server_version").fetchone()[0]
                size_sql = "SELECT pg_size_pretty(pg_database_size(current_database()))"
                facts["size"] = cursor.execute(size_sql).fetchone()[0]
                rows = cursor.execute(_FACTS_SQL).fetchone()
        else:
            import sqlite3

            path = url.path[1:] if url.path.startswith("//") else url.path
            with sqlite3.connect(path) as connection:
                facts["version"] = "SQLite " + sqlite3.sqlite_version
                facts["size"] = f"{os.path.getsize(path) / 1e6:.0f} MB"
                rows = connection.execute(_FACTS_SQL).fetchone()
        facts["organisations"], facts["entries"], facts["krs"], facts["nip"] = rows
    except Exception as error:  # facts only: a report without them is still a report
        print(f"# database facts unavailable: {error}", file=sys.stderr)
    return facts


_FACTS_SQL = """
    SELECT (SELECT count(*) FROM organisations_organisation),
           (SELECT count(*) FROM organisations_searchentry),
           (SELECT krs FROM organisations_organisation WHERE krs IS NOT NULL ORDER BY id LIMIT 1 OFFSET 100),
           (SELECT nip FROM organisations_organisation WHERE nip IS NOT NULL ORDER BY id LIMIT 1 OFFSET 200)
"""


# --- Main --------------------------------------------------------------------------------------------------


def display_command(args) -> str:
    """The command as typed, with the database it ran against."""
    python = Path(sys.executable)
    try:
        python = python.relative_to(Path.cwd())
    except ValueError:
        pass
    redis = os.environ.get("NGO_REDIS_URL")
    cache = f"NGO_REDIS_URL={masked(redis)} " if redis else ""
    return f"{cache}DATABASE_URL={masked(args.database_url)} {shlex.join([str(python), *sys.argv])}"


def masked(database_url: str) -> str:
    """The URL without its password, fit for a report."""
    url = urllib.parse.urlparse(database_url)
    if url.password:
        url = url._replace(netloc=url.netloc.replace(f":{url.password}@", ":***@"))
    return urllib.parse.urlunparse(url)


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def table(results: list[Result], bare: dict[int, Result]) -> str:
    lines = [
        "| endpoint | clients | requests | errors | p50 ms | p95 ms | p99 ms | req/s | p50 ÷ bare | req/s ÷ bare |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        b = bare.get(r.clients)
        p50_ratio = f"{r.percentile(50) / b.percentile(50):.1f}×" if b and b.latencies and r.latencies else "–"
        rps_ratio = f"{r.rps / b.rps:.2f}" if b and b.rps else "–"
        lines.append(
            f"| {r.name} | {r.clients} | {r.requests} | {r.errors} | {fmt_ms(r.percentile(50))} | "
            f"{fmt_ms(r.percentile(95))} | {fmt_ms(r.percentile(99))} | {r.rps:.0f} | {p50_ratio} | {rps_ratio} |"
        )
    return "\n".join(lines)


def per_query(result: Result, directory_path: str) -> str:
    """p50 and max latency of each search query in one measurement, slowest first."""
    by_query: dict[str, list[float]] = {}
    for path, seconds in result.samples:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query).get("q", ["?"])[0]
        by_query.setdefault(query, []).append(seconds)
    rows = sorted(by_query.items(), key=lambda item: -sorted(item[1])[len(item[1]) // 2])
    lines = [
        f"Searches one by one ({result.name}, {result.clients} client(s)), slowest first:",
        "",
        "| query | requests | p50 ms | max ms |",
        "|---|---:|---:|---:|",
    ]
    for query, times in rows:
        times.sort()
        lines.append(f"| `{query}` | {len(times)} | {fmt_ms(times[len(times) // 2])} | {fmt_ms(times[-1])} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8765", help="server address (localhost only)")
    parser.add_argument("--no-start", action="store_true", help="use a server already listening at --url")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (at least 2)")
    parser.add_argument(
        "--gunicorn-args", default="", help="more gunicorn arguments, e.g. '--worker-class gthread --threads 4'"
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument(
        "--var-dir", type=Path, default=ROOT / "var" / "bench", help="NGO_VAR_DIR of the started server"
    )
    parser.add_argument("--clients", default="1,16", help="concurrency levels, comma-separated")
    parser.add_argument("--requests", type=int, default=1000, help="at most this many requests per measurement")
    parser.add_argument("--duration", type=float, default=15.0, help="at most this many seconds per measurement")
    parser.add_argument("--no-bypass", action="store_true", help="skip the measurements that bypass the page cache")
    parser.add_argument("--no-typos", action="store_true", help="skip the searches with typos (corrected queries)")
    parser.add_argument("--bare-path", default=BARE, help="the bare view's path")
    parser.add_argument(
        "--directory-path", default=DIRECTORY, help="the directory's path (e.g. /samorzady/ to test the driver)"
    )
    parser.add_argument("--faceted-path", default=FACETED, help="a facet-filtered directory page")
    parser.add_argument(
        "--append",
        nargs="?",
        const=str(ROOT / "docs" / "benchmarks.md"),
        default=None,
        help="append the report to this Markdown file (default docs/benchmarks.md)",
    )
    args = parser.parse_args(argv)
    machine_text = machine()  # the load average before we add to it

    url = urllib.parse.urlparse(args.url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    if url.scheme != "http" or host not in LOCAL_HOSTS:
        parser.error("only http://127.0.0.1, localhost or [::1] may be loaded")
    if args.workers < 2 and not args.no_start:
        parser.error("--workers must be at least 2")
    levels = [int(n) for n in args.clients.split(",") if n.strip()]

    facts = database_facts(args.database_url)
    queries = list(QUERIES) + [v for v in (facts.get("krs"), facts.get("nip")) if v]
    search_paths = [f"{args.directory_path}?{urllib.parse.urlencode({'q': q})}" for q in queries]
    typo_paths = [f"{args.directory_path}?{urllib.parse.urlencode({'q': q})}" for q in TYPO_QUERIES]
    scenarios = [
        ("bare Django view", [args.bare_path], False),
        ("directory, first page", [args.directory_path], False),
        ("directory, powiat + form facets", [args.faceted_path], False),
        (f"search ({len(search_paths)} queries)", search_paths, False),
    ]
    if not args.no_bypass:
        scenarios += [
            ("directory, first page, page cache bypassed", [args.directory_path], True),
            ("directory, facets, page cache bypassed", [args.faceted_path], True),
            (SEARCH_BYPASSED.format(n=len(search_paths)), search_paths, True),
        ]
        if not args.no_typos:
            scenarios.append((TYPOS_BYPASSED.format(n=len(typo_paths)), typo_paths, True))

    server = None if args.no_start else start_server(args, host, port)
    try:
        for _, paths, _ in scenarios:
            status = get(host, port, paths[0])
            if status != 200:
                raise SystemExit(
                    f"{paths[0]} answers {status}, not 200: is it there (NGO_BENCH_ENDPOINTS=1 for {BARE})?"
                )
        typo_check = ""
        if not args.no_bypass and not args.no_typos:
            failing = correction_check(host, port, typo_paths)
            typo_check = (
                f"- typo queries: {len(typo_paths) - len(failing)} of {len(typo_paths)} show “{CORRECTION_MARK}”"
                + (f"; not: {', '.join(failing)}" if failing else " (checked before measuring)")
            )
            print(f"# {typo_check[2:]}", file=sys.stderr)
        # Warm up every worker: imports, connections, the lemmatiser's dictionary, the caches.
        warm_clients = max(4, 2 * args.workers)
        every_path = [p for _, paths, _ in scenarios for p in paths]
        for round_ in range(6):
            warm = run_load(host, port, "warm-up", itertools.cycle(every_path), warm_clients, len(every_path) * 2, 120)
            if warm.errors:
                raise SystemExit(f"warm-up: {warm.errors} failed requests {warm.statuses}")
            if round_ >= 1 and max(warm.latencies) < 2.0:
                break
        results: list[Result] = []
        bare: dict[int, Result] = {}
        # The cached rows first, at every concurrency, then the rows that bypass the page cache: their
        # unique addresses fill the cache and may push out what the cached rows rely on.
        order = [
            (clients, scenario)
            for bypassing in (False, True)
            for clients in levels
            for scenario in scenarios
            if scenario[2] == bypassing
        ]
        for clients, (name, paths, bypass) in order:
            if not bypass:  # make sure the pages are in the cache: this row measures hits
                run_load(host, port, "re-warm", itertools.cycle(paths), warm_clients, len(paths), 300)
            source = cycle_busted(paths) if bypass else itertools.cycle(paths)
            result = run_load(host, port, name, source, clients, args.requests, args.duration)
            results.append(result)
            if paths == [args.bare_path]:
                bare[clients] = result
            print(
                f"# {name}, {clients} clients: {result.requests} requests, p50 {fmt_ms(result.percentile(50))} ms, "
                f"{result.rps:.0f} req/s",
                file=sys.stderr,
            )
    finally:
        if server is not None:
            stop_server(server)

    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if args.no_start:
        server_text = f"already running at {args.url}"
    else:
        import gunicorn

        server_text = f"gunicorn {gunicorn.__version__}, {args.workers} workers {args.gunicorn_args}".strip()
    command = display_command(args)
    report = "\n".join(
        [
            f"## {now}",
            "",
            f"- machine: {machine_text}; client and server on the same machine",
            f"- database: {facts['version']}, {facts['organisations']} organisations, "
            f"{facts.get('entries', '?')} search entries, {facts['size']}",
            f"- server: {server_text}, NGO_DEBUG off; at most {args.requests} requests or {args.duration:g} s per row, "
            "after a warm-up",
            f"- command: `{command}`",
            *([typo_check] if typo_check else []),
            "",
            table(results, bare),
            "",
            *[
                per_query(r, args.directory_path) + "\n"
                for r in results
                if r.name.startswith("search") and "bypassed" in r.name and r.clients == min(levels)
            ],
            "Latencies of successful (200) responses; `÷ bare` compares with the bare view at the same number of clients. "
            'Rows without "bypassed" measure whole-page cache hits (their pages are requested once, unmeasured, '
            'just before); "page cache bypassed" adds a unique dummy parameter to every request, so the view '
            "renders each time (with whatever totals and facet counts are still cached). "
            '"search with typos" cycles through queries that match nothing as typed: each request corrects '
            "them against the vocabulary (`search.corrected`) and lists the corrected query's results.",
            "",
        ]
    )
    print(report)
    if args.append:
        path = Path(args.append)
        if not path.exists():
            path.write_text("# Benchmarks\n\nWritten by `bench/load.py --append` (see bench/README.md).\n\n")
        with path.open("a") as file:
            file.write("\n" + report)
        print(f"# appended to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
