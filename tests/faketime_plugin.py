"""A pytest plugin for runs under libfaketime (scripts/test-dates.sh loads it with `-p tests.faketime_plugin`).

The script fakes the wall clock only (FAKETIME_DONT_FAKE_MONOTONIC=1): with a faked monotonic clock Debian's
libfaketime 0.9.10 makes every timed lock wait hang (Python waits with sem_clockwait, which it does not wrap). But
with a real monotonic clock its clock_nanosleep wrapper refuses Python's `time.sleep` with EINVAL, so here
`time.sleep` waits in select() against the (real) monotonic clock instead. Outside libfaketime this does nothing.
"""

import os
import select
import time

FAKED = "FAKETIME" in os.environ and "faketime" in os.environ.get("LD_PRELOAD", "")


def _sleep(seconds: float) -> None:
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        select.select([], [], [], left)


if FAKED and os.environ.get("FAKETIME_DONT_FAKE_MONOTONIC") == "1":
    time.sleep = _sleep


def pytest_report_header(config):
    if FAKED:
        now = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime())
        utc = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
        return f"libfaketime: FAKETIME={os.environ['FAKETIME']!r}, the clock reads {utc} ({now})"
    return None
