#!/usr/bin/env bash
# The test suite with the system clock moved (libfaketime) to moments that break date arithmetic: the next three
# years, 29 February, the last seconds of a year in Europe/Warsaw and the two nights the clocks change there.
# The clock keeps ticking from each moment (faketime's `@` start), so the runs at the edges cross them.
#
#   scripts/test-dates.sh                         the whole suite (browser tests excluded) at every moment
#   scripts/test-dates.sh tests/agreements -x     extra arguments go to pytest
#   TEST_DATES='2028-02-29 23:59:00 +0100' scripts/test-dates.sh tests/elections
#                                                 other moments, `;`-separated, local time with its UTC offset
#   TEST_DATES_OUT=/tmp/dates                     where the logs and JUnit files go (default: a new temp dir)
#
# Defaults: TEST_DATABASE_URL=sqlite:///:memory:, NGO_SKIP_BROWSER=1 and `-m "not browser"` (a `-m` of yours wins).
# Needs Debian's faketime (`apt-get install faketime`). Prints moment → passed/failed/errors/skipped/xfailed and
# exits non-zero when any moment had a failure or an error (or pytest could not run at all). A strict xfail that
# passes is a failure; the xfailed are counted apart from the skipped. See docs/testing.md.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=.venv/bin

if ! command -v faketime >/dev/null; then
    echo "faketime is not installed (Debian: apt-get install faketime)" >&2
    exit 2
fi

# Each moment is Europe/Warsaw wall time with its offset, so the ambiguous hour of October is not ambiguous.
DEFAULT_DATES="2027-09-15 12:00:00 +0200;\
2028-02-29 12:00:00 +0100;\
2029-06-30 12:00:00 +0200;\
2027-12-31 23:59:50 +0100;\
2027-03-28 01:59:30 +0100;\
2027-10-31 02:59:30 +0200;\
2029-11-30 12:00:00 +0100"
IFS=';' read -r -a MOMENTS <<<"${TEST_DATES:-$DEFAULT_DATES}"

OUT="${TEST_DATES_OUT:-$(mktemp -d /tmp/test-dates.XXXXXX)}"
mkdir -p "$OUT"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-sqlite:///:memory:}"
export NGO_SKIP_BROWSER="${NGO_SKIP_BROWSER:-1}"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"  # for `-p tests.faketime_plugin`

# libfaketime reads the `@` start in the process's TZ: give it UTC. Django sets TZ to its TIME_ZONE itself.
# FAKETIME_DONT_FAKE_MONOTONIC=1: a faked monotonic clock hangs Python's timed lock waits (see the plugin).
run_faked() {  # run_faked "YYYY-MM-DD HH:MM:SS" (UTC) command...
    local start=$1
    shift
    TZ=UTC FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "@$start" "$@"
}

rows=()
status=0
for moment in "${MOMENTS[@]}"; do
    moment=$(echo "$moment" | xargs)  # trim
    [ -n "$moment" ] || continue
    if ! utc=$(date -u -d "$moment" '+%Y-%m-%d %H:%M:%S'); then
        echo "cannot read the moment '$moment'" >&2
        exit 2
    fi
    local_time=$(TZ=Europe/Warsaw date -d "$moment" '+%Y-%m-%d %H:%M:%S %Z')
    slug=$(echo "$utc" | tr -c '0-9\n' '-')
    expected=$(date -d "$moment" +%s)
    seen=$(run_faked "$utc" "$BIN/python" -c 'import time; print(int(time.time()))')
    if [ -z "$seen" ] || [ $((seen - expected)) -lt 0 ] || [ $((seen - expected)) -gt 5 ]; then
        echo "libfaketime does not move Python's clock: asked for $utc UTC ($expected), Python saw '$seen'" >&2
        exit 2
    fi
    printf '\n==================== %s (%s UTC) ====================\n' "$local_time" "$utc"
    run_faked "$utc" nice "$BIN/pytest" -m "not browser" -p tests.faketime_plugin -p no:cacheprovider \
        --junitxml="$OUT/$slug.xml" "$@" 2>&1 | tee "$OUT/$slug.log"
    code=${PIPESTATUS[0]}
    # exit codes 0 (passed) and 5 (nothing collected) are fine; 1 failures; 2–4 pytest could not run
    if [ "$code" != 0 ] && [ "$code" != 5 ]; then
        status=1
    fi
    row=$("$BIN/python" - "$OUT/$slug.xml" "$OUT/$slug.log" "$code" <<'PY'
import re, sys, xml.etree.ElementTree as ET
path, log, code = sys.argv[1:]
try:
    suites = ET.parse(path).getroot()
except (OSError, ET.ParseError):
    print(f"-\t-\t-\t-\t-\tpytest exited {code} without a report")
    sys.exit()
suites = [suites] if suites.tag == "testsuite" else list(suites)
total = sum(int(s.get("tests", 0)) for s in suites)
failed = sum(int(s.get("failures", 0)) for s in suites)
errors = sum(int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)  # JUnit counts the xfailed as skipped
xfailed = sum(1 for s in suites for skip in s.iter("skipped") if skip.get("type") == "pytest.xfail")
# the node ids from pytest's short summary (`-ra` in pyproject.toml), e.g. "FAILED tests/x.py::test_y - ..."
with open(log, encoding="utf-8", errors="replace") as lines:
    bad = sorted({m[2] for line in lines if (m := re.match(r"(FAILED|ERROR) (\S+)", line))})
print(f"{total - failed - errors - skipped}\t{failed}\t{errors}\t{skipped - xfailed}\t{xfailed}\t{' '.join(bad)}")
PY
)
    rows+=("$local_time	$utc	$row")
done

printf '\n==================== test-dates summary (logs: %s) ====================\n' "$OUT"
printf '%-26s %-20s %7s %7s %7s %7s %7s  %s\n' "moment (Europe/Warsaw)" "UTC" passed failed errors skipped xfailed \
    "failing tests"
for row in "${rows[@]}"; do
    IFS=$'\t' read -r local_time utc passed failed errors skipped xfailed bad <<<"$row"
    printf '%-26s %-20s %7s %7s %7s %7s %7s  %s\n' "$local_time" "$utc" "$passed" "$failed" "$errors" "$skipped" \
        "$xfailed" "$bad"
    if [ "$failed" != 0 ] || [ "$errors" != 0 ]; then
        status=1
    fi
done
exit $status
