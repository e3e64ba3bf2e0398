#!/usr/bin/env bash
# `make test`: the whole suite on SQLite, then on PostgreSQL when one answers.
#   REQUIRE_POSTGRES=1  fail (instead of skipping) when PostgreSQL does not answer
#   REQUIRE_BROWSER=1   fail (instead of skipping) when Chromium is missing
#   TEST_DATABASE_URL   the PostgreSQL to use (default postgres://postgres@127.0.0.1:5432/ngo_platform)
# Extra arguments go to pytest, e.g. `scripts/test.sh tests/territory -x`.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
loud() { printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!!! %s\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n' "$1"; }

# WeasyPrint (PDF documents) needs Pango and a font with Polish letters.
if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Pango and DejaVu fonts for PDF documents..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core) \
        >/dev/null 2>&1 || echo "apt-get install pango failed"
fi

CHROMIUM="${NGO_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's Chromium for the browser tests..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
        || echo "apt-get install chromium failed"
fi
if [ ! -x "$CHROMIUM" ]; then
    if [ "${REQUIRE_BROWSER:-0}" = "1" ]; then
        loud "REQUIRE_BROWSER=1 but $CHROMIUM is missing: failing."
        exit 1
    fi
    loud "Chromium not found at $CHROMIUM and cannot be installed (not root): BROWSER TESTS WILL BE SKIPPED."
    export NGO_SKIP_BROWSER=1
fi

status=0
echo "==================== SQLite ===================="
TEST_DATABASE_URL="sqlite:///:memory:" "$BIN/pytest" "$@" || status=1

PG_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ngo_platform}"
if "$BIN/python" - "$PG_URL" <<'PY' 2>/dev/null
import sys, dj_database_url, psycopg
c = dj_database_url.parse(sys.argv[1])
psycopg.connect(dbname="postgres", user=c["USER"] or None, password=c["PASSWORD"] or None,
                host=c["HOST"] or None, port=c["PORT"] or None, connect_timeout=3).close()
PY
then
    echo "==================== PostgreSQL ===================="
    TEST_DATABASE_URL="$PG_URL" "$BIN/pytest" "$@" || status=1
elif [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
    loud "REQUIRE_POSTGRES=1 but PostgreSQL at $PG_URL does not answer: failing."
    status=1
else
    loud "PostgreSQL at $PG_URL does not answer: THE POSTGRESQL RUN IS SKIPPED."
fi
exit $status
