"""Every permission the platform registers has its test: its name appears in a `test_rules.py`, where each role is
checked before, during and after the stage it depends on."""

from pathlib import Path

import rules

TESTS = Path(__file__).resolve().parents[1]


def test_every_registered_permission_has_a_rules_test():
    texts = "\n".join(path.read_text() for path in TESTS.rglob("test_rules.py"))
    ours = sorted(name for name in rules.permissions.permissions if name.split(".")[0] != "auth")
    assert len(ours) > 30
    assert [name for name in ours if f'"{name}"' not in texts] == []
