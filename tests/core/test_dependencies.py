"""The environment is installed from the lock: every locked version is the one installed, and the lock covers
everything pyproject.toml asks for (`make lock` re-resolves it)."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def _locked(name):
    pins = {}
    for line in (ROOT / "requirements" / name).read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)\s*(?:;\s*([^\\]+?))?\s*\\?$", line)
        if match and (match[3] is None or Marker(match[3]).evaluate()):
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def _declared(extra=None):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])
    return [Requirement(spec) for spec in names]


def test_every_locked_version_is_the_installed_one():
    wrong = {
        name: (version, metadata.version(name))
        for name, version in _locked("test.txt").items()
        if metadata.version(name) != version
    }
    assert wrong == {}


def test_the_locks_cover_what_pyproject_declares_within_its_ranges():
    for lock, extra in (("run.txt", None), ("test.txt", "test")):
        pins = _locked(lock)
        for requirement in _declared(extra):
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{requirement} is not in requirements/{lock}: run `make lock`"
            assert requirement.specifier.contains(pins[name], prereleases=True), (lock, requirement, pins[name])


def test_every_locked_line_carries_a_hash():
    for lock in ("run.txt", "test.txt"):
        text = (ROOT / "requirements" / lock).read_text()
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
        assert blocks and all("--hash=sha256:" in block for block in blocks if "==" in block), lock
