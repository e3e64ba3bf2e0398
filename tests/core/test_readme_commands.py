"""README.md's first steps work as written: `make run`'s set-up (scripts/run.sh) writes the development settings
file into the var directory, and the README's `.venv/bin/ngo-platform` commands then run against that instance
with no variables; without the file and without NGO_SECRET_KEY they stop with one line, not a traceback; and
`make run`'s server answers on the PORT it was given.

The commands are read from README.md, so these tests follow it: a command changed there is run as changed.
"""

import csv
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
RUN_SH = ROOT / "scripts" / "run.sh"
COMMAND = ".venv/bin/ngo-platform"
SETUP_TIMEOUT = 300


def clean_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """What a newcomer's shell has: no NGO_* variables, no DATABASE_URL, nothing of the test run's settings."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"}
    return {**env, "NGO_VAR_DIR": str(var_dir), **extra}


def readme_commands() -> dict[str, list[str]]:
    """The `.venv/bin/ngo-platform …` lines of README.md's shell blocks, by subcommand (comments dropped)."""
    commands = {}
    for block in re.findall(r"^```sh\n(.*?)^```", README.read_text(encoding="utf-8"), flags=re.S | re.M):
        for line in block.splitlines():
            if line.startswith(COMMAND + " "):
                args = shlex.split(line, comments=True)
                commands[args[1]] = args
    return commands


def organisations_csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(["nazwa", "forma_prawna", "miejscowosc", "gmina", "opis"])
        writer.writerow(["Stowarzyszenie Przyjaciół Sprawdzania README", "stowarzyszenie", "Nysa", "Nysa", "Test."])
    return path


def read_settings_file(var_dir: Path) -> dict[str, str]:
    text = (var_dir / "dev.env").read_text()
    return dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))


def run(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def setup_run(tmp_path_factory) -> tuple[Path, str]:
    """`make run`'s set-up, once for the module, into a fresh var directory: the directory and what it printed."""
    var_dir = tmp_path_factory.mktemp("var")
    result = run([str(RUN_SH), "--setup-only"], clean_env(var_dir, PORT="8123"), timeout=SETUP_TIMEOUT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return var_dir, result.stdout


@pytest.fixture(scope="module")
def set_up(setup_run) -> Path:
    return setup_run[0]


def test_readme_lists_the_commands_these_tests_run():
    commands = readme_commands()
    assert commands["demo_totp"] == [COMMAND, "demo_totp", "urzednik@demo.ngo-platform.pl"]
    assert (ROOT / commands["parse_draft"][2]).is_file(), "README's parse_draft example names a file in the checkout"
    assert commands["import_organisations"][2:] == ["FILE", "--dry-run"]


def test_the_setup_writes_the_settings_file_into_the_var_directory(set_up):
    settings_file = set_up / "dev.env"
    lines = read_settings_file(set_up)
    assert lines["NGO_DEBUG"] == "1"
    assert len(lines["NGO_SECRET_KEY"]) >= 50
    assert lines["DATABASE_URL"] == f"sqlite:///{set_up}/db.sqlite3"
    assert lines["NGO_SITE_URL"] == "http://127.0.0.1:8123"
    assert settings_file.stat().st_mode & 0o077 == 0, "the secret key is for the owner's eyes only"
    for name in ("db.sqlite3", "mail", "media", "static"):
        assert (set_up / name).exists(), name


def test_the_setup_prints_the_demo_accounts_with_the_readme_totp_command(setup_run):
    var_dir, output = setup_run
    assert "Konta demo:" in output
    assert shlex.join(readme_commands()["demo_totp"]) in output
    assert f"E-maile (np. link weryfikacyjny) trafiają do katalogu {var_dir}/mail/." in output
    assert f"Ustawienia deweloperskie: {var_dir}/dev.env" in output


def test_the_readme_commands_run_against_the_instance_with_no_variables(tmp_path, set_up):
    commands = readme_commands()
    env = clean_env(set_up)

    totp = run(commands["demo_totp"], env)
    assert totp.returncode == 0, totp.stderr
    assert re.fullmatch(r"\d{6}\n", totp.stdout)

    draft = run(commands["parse_draft"], env)
    assert draft.returncode == 0, draft.stderr
    units = json.loads(draft.stdout)
    assert units and all("citation" in unit for unit in units)

    csv_file = organisations_csv(tmp_path / "organizacje.csv")
    dry_run = run([str(csv_file) if arg == "FILE" else arg for arg in commands["import_organisations"]], env)
    # The import matches the gmina against the territory `make run` loaded: the same database as the server.
    assert dry_run.returncode == 0, dry_run.stdout + dry_run.stderr
    assert "Próba (nic nie zapisano): byłoby nowe 1" in dry_run.stdout

    # The e-mail links of the instance follow make run's port.
    site = run(
        [COMMAND, "shell", "--no-imports", "-c", "from django.conf import settings; print(settings.NGO_SITE_URL)"], env
    )
    assert site.stdout.strip() == "http://127.0.0.1:8123", site.stderr


def test_an_environment_variable_wins_over_the_settings_file(set_up):
    code = "from django.conf import settings; print(settings.NGO_SITE_URL, settings.DEBUG)"
    result = run(
        [COMMAND, "shell", "--no-imports", "-c", code], clean_env(set_up, NGO_SITE_URL="https://ngo.example.pl")
    )
    assert result.stdout.split() == ["https://ngo.example.pl", "True"], result.stderr


@pytest.mark.parametrize("subcommand", ["demo_totp", "parse_draft", "import_organisations"])
def test_without_the_file_and_the_secret_key_a_command_stops_with_one_line(tmp_path, subcommand):
    commands = readme_commands()
    csv_file = organisations_csv(tmp_path / "organizacje.csv")
    args = [str(csv_file) if arg == "FILE" else arg for arg in commands[subcommand]]
    result = run(args, clean_env(tmp_path / "empty-var"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("ngo-platform: NGO_SECRET_KEY must be set when NGO_DEBUG is off.")


def test_the_file_is_not_read_when_told_not_to(set_up):
    # The test suite's own settings (tests/settings.py) set NGO_DEV_ENV_FILE="": a developer's file cannot leak in.
    result = run([COMMAND, "check"], clean_env(set_up, NGO_DEV_ENV_FILE=""))
    assert result.returncode == 2
    assert "NGO_SECRET_KEY must be set" in result.stderr


def test_the_suite_itself_reads_no_settings_file():
    from django.conf import settings

    assert os.environ["NGO_DEV_ENV_FILE"] == ""
    assert settings.DEV_ENV_FILE is None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_processes(session_id: int) -> list[int]:
    """The processes of a session: run.sh puts its children in their own process groups, not sessions."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session_id:  # after the name: state, ppid, pgrp, session
            pids.append(int(stat.parent.name))
    return pids


def get_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def test_make_run_serves_on_the_port_it_is_given(set_up):
    # A second run (what every `make run` does) keeps the secret key: sessions survive a restart.
    key_before = read_settings_file(set_up)["NGO_SECRET_KEY"]
    port = free_port()
    server = subprocess.Popen(
        [str(RUN_SH)],
        cwd=ROOT,
        env=clean_env(set_up, PORT=str(port)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            status = get_status(f"http://127.0.0.1:{port}/")
            if status is not None:
                break
            time.sleep(0.5)
        assert status == 200, f"status {status}, run.sh exited {server.poll()}"
        assert read_settings_file(set_up)["NGO_SITE_URL"] == f"http://127.0.0.1:{port}"
        assert read_settings_file(set_up)["NGO_SECRET_KEY"] == key_before
    finally:
        # TERM to run.sh stops its two process groups (runserver with its reloader, the worker).
        os.killpg(server.pid, signal.SIGTERM)
        try:
            output, _ = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            output = ""
        deadline = time.monotonic() + 15
        while (left := session_processes(server.pid)) and time.monotonic() < deadline:
            time.sleep(0.2)
        for pid in session_processes(server.pid):
            os.kill(pid, signal.SIGKILL)
        if server.poll() is None:
            server.kill()
            server.wait()
    assert "Konta demo:" in output
    assert f"Platforma: http://127.0.0.1:{port}/" in output
    assert not left, f"run.sh left processes behind: {left}"
