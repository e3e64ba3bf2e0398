#!/usr/bin/env bash
# `make test`: the whole suite on SQLite, then on PostgreSQL when one answers.
#   REQUIRE_POSTGRES=1  fail (instead of skipping) when PostgreSQL does not answer
#   REQUIRE_BROWSER=1   fail (instead of skipping) when Chromium, or Java and vnu.jar for the HTML check, are missing
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

# The Nu Html Checker validates the pages the browser tests visit (tests/browser/conftest.py): vnu.jar from
# npm, pinned, in the git-ignored .cache/vnu/, run on Debian's Java. Its postinstall (a JDK download) is skipped.
VNU_VERSION=26.9.27
VNU_DIR=.cache/vnu
export NGO_JAVA="${NGO_JAVA:-/usr/bin/java}" NGO_VNU_JAR="${NGO_VNU_JAR:-$PWD/$VNU_DIR/node_modules/vnu-jar/build/dist/vnu.jar}"
if [ -z "${NGO_SKIP_BROWSER:-}" ]; then
    if [ ! -x "$NGO_JAVA" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        echo "Installing Debian's Java for the HTML check..."
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless) \
            >/dev/null 2>&1 || echo "apt-get install default-jre-headless failed"
    fi
    vnu_version="$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$VNU_DIR/node_modules/vnu-jar/package.json" 2>/dev/null)"
    if [ "$vnu_version" != "$VNU_VERSION" ] && command -v npm >/dev/null; then
        echo "Installing vnu-jar $VNU_VERSION (the Nu Html Checker) into $VNU_DIR..."
        mkdir -p "$VNU_DIR" && npm install --prefix "$VNU_DIR" --no-save --no-package-lock --ignore-scripts \
            --no-audit --no-fund --loglevel=error "vnu-jar@$VNU_VERSION" >/dev/null || echo "npm install vnu-jar failed"
    fi
    if [ ! -x "$NGO_JAVA" ] || [ ! -f "$NGO_VNU_JAR" ]; then
        if [ "${REQUIRE_BROWSER:-0}" = "1" ]; then
            loud "REQUIRE_BROWSER=1 but the HTML checker ($NGO_JAVA, $NGO_VNU_JAR) is missing: failing."
            exit 1
        fi
        loud "Java ($NGO_JAVA) or vnu.jar ($NGO_VNU_JAR) missing: THE HTML CHECK OF THE BROWSER TESTS IS SKIPPED."
        export NGO_SKIP_HTML_CHECK=1
    fi
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
