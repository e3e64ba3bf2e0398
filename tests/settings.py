"""Settings for the test suite: the project's settings, with a test database and fast hashing.

TEST_DATABASE_URL picks the database (SQLite by default); the suite runs once per database.
"""

import os

os.environ.setdefault("NGO_DEBUG", "1")
os.environ["DATABASE_URL"] = os.environ.get("TEST_DATABASE_URL", "sqlite:///:memory:")
os.environ.setdefault("NGO_VAR_DIR", "/tmp/ngo-platform-test-var")
# The suite sets its own settings: a development settings file of `make run` (var/dev.env) must not leak in.
os.environ["NGO_DEV_ENV_FILE"] = ""

from ngo_platform.settings import *  # noqa: F403

# Argon2 is what production hashes with (asserted in tests/accounts); tests hash fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
SECURE_SSL_REDIRECT = False

os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405
