"""Assertions every page test uses."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext


def get_page(client, url: str, *, max_queries: int, status: int = 200, **kwargs):
    """GET `url`, assert its status and that it ran at most `max_queries` SQL queries."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == status, f"{url} answered {response.status_code}, expected {status}"
    assert len(queries) <= max_queries, (
        f"{url} ran {len(queries)} SQL queries, declared at most {max_queries}:\n"
        + "\n".join(query["sql"] for query in queries.captured_queries)
    )
    return response


class _UrlCollector(HTMLParser):
    ATTRIBUTES = {"href", "src", "action", "srcset", "formaction", "poster", "data"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.urls.extend(part.strip().split(" ")[0] for part in value.split(","))


def third_party_urls(html: str) -> list[str]:
    """Every URL in the page's links, sources and forms that points to another origin."""
    collector = _UrlCollector()
    collector.feed(html)
    foreign = []
    for url in collector.urls:
        parts = urlsplit(url)
        if parts.scheme in ("", "data", "mailto", "tel") and not url.startswith("//"):
            continue
        if parts.hostname not in ("testserver", "localhost", "127.0.0.1"):
            foreign.append(url)
    return foreign


def section(html: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by `heading_id`."""
    match = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    assert match, heading_id
    return match[1]


def migrate_to_latest() -> None:
    """Bring every app's schema back to its newest migration after a migration test went back in time: an app left
    behind (one depending on the migrated app, unapplied with it) would break the transactional tests after it."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(latest)
    assert MigrationExecutor(connection).migration_plan(latest) == []
