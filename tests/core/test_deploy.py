"""The production settings pass Django's deployment checks, and refuse to start unsafe."""

import os
import subprocess
import sys

import pytest
from django.db import connection

PRODUCTION_ENV = {
    "PATH": os.environ["PATH"],
    "DJANGO_SETTINGS_MODULE": "ngo_platform.settings",
    "NGO_SECRET_KEY": "a-production-secret-key-that-is-long-and-random-enough-0123456789-abcdefghij",
    "NGO_ALLOWED_HOSTS": "ngo.example.pl",
    "DATABASE_URL": "sqlite:////tmp/ngo-platform-deploy-check.sqlite3",
    "NGO_VAR_DIR": "/tmp/ngo-platform-deploy-check",
}


def run(args, env):
    return subprocess.run([sys.executable, "-m", "ngo_platform", *args], env=env, capture_output=True, text=True)


def test_check_deploy_is_clean_with_production_settings():
    result = run(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "NGO_SECRET_KEY"}
    result = run(["check"], env)
    assert result.returncode != 0
    assert "NGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL connection setting")
def test_postgresql_connections_run_queries_without_parallel_workers():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def test_the_embedded_sqlite_keeps_its_connection_between_requests_in_wal_with_immediate_writes(tmp_path):
    """Issue 20: the connection outlives a request (the PRAGMAs run once per connection, not per request), the
    file is in WAL mode and a transaction takes the write lock when it begins (no "database is locked" when a
    reader turns writer under concurrent submissions)."""
    script = (
        "import django; django.setup()\n"
        "from django.db import close_old_connections, connection\n"
        "connection.ensure_connection(); first = connection.connection\n"
        "close_old_connections()  # what Django runs at the end of every request\n"
        "connection.ensure_connection()\n"
        "mode = connection.cursor().execute('PRAGMA journal_mode').fetchone()[0]\n"
        "print(first is connection.connection, mode, connection.settings_dict['OPTIONS']['transaction_mode'])\n"
    )
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "NGO_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "wal", "IMMEDIATE"]
