"""Settings, read from environment variables (documented in README.md, "Configuration").

The defaults are the safe production ones: DEBUG off, secure cookies, HSTS, HTTPS redirect.
`make run` writes the development settings (NGO_DEBUG=1, a secret key, the SQLite file, the site address) to
NGO_VAR_DIR/dev.env, which every `ngo-platform` command started with that var directory reads; variables
set in the environment win over the file's.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("NGO_VAR_DIR", Path.cwd() / "var")).resolve()


def read_env_file(path: Path) -> dict[str, str]:
    """`NAME=value` lines (blank lines and `#` comments skipped), as scripts/run.sh writes them."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and name.isidentifier():
            values[name] = value.strip()
    return values


# The development settings file of `make run`; production has none. NGO_DEV_ENV_FILE="" reads none (the tests).
_dev_env_file = os.environ.get("NGO_DEV_ENV_FILE", str(VAR_DIR / "dev.env"))
DEV_ENV_FILE = Path(_dev_env_file).resolve() if _dev_env_file else None
if DEV_ENV_FILE is not None and DEV_ENV_FILE.is_file():
    for _name, _value in read_env_file(DEV_ENV_FILE).items():
        os.environ.setdefault(_name, _value)

DEBUG = env_bool("NGO_DEBUG")

SECRET_KEY = os.environ.get("NGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "NGO_SECRET_KEY must be set when NGO_DEBUG is off. For development run `make run` first: it writes "
            f"{DEV_ENV_FILE or VAR_DIR / 'dev.env'}, which every ngo-platform command then reads."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("NGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("NGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.forms",
    # Our apps come before allauth so that their templates override allauth's.
    # (Order matters for seed_demo too: each app's demo builds on the previous ones'.)
    "ngo_platform.core",
    "ngo_platform.territory",
    "ngo_platform.organisations",
    "ngo_platform.accounts",
    "ngo_platform.consultations",
    "ngo_platform.elections",
    "ngo_platform.competitions",
    "ngo_platform.agreements",
    "ngo_platform.community",
    "ngo_platform.forum",
    "ngo_platform.notifications",
    "ngo_platform.workgroups",
    "ngo_platform.library",
    "ngo_platform.partnerships",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "ngo_platform.core.arrival.ArrivalMiddleware",  # first: when the request arrived, for every deadline
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ngo_platform.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ngo_platform.accounts.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "ngo_platform.urls"
FORM_RENDERER = "ngo_platform.core.form_renderer.PlatformFormRenderer"
WSGI_APPLICATION = "ngo_platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ngo_platform.core.context_processors.platform",
            ],
            "builtins": ["rules.templatetags.rules"],
        },
    }
]

# Database: the embedded SQLite file under var/ by default, PostgreSQL via DATABASE_URL in production.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("NGO_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server's workers and the task worker share the file; IMMEDIATE takes the
    # write lock when a transaction begins, so concurrent writers wait their turn (up to `timeout`) instead of
    # failing with "database is locked" when a reader turns writer. The connection is kept between requests
    # (NGO_DB_CONN_MAX_AGE, as on PostgreSQL; one per worker or thread), so the PRAGMAs run once per connection,
    # not on every request (issue 20: a cached page took 4.8 ms through gunicorn against 0.84 ms in-process).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parallel workers per query (PostgreSQL's default is 2): on an app server answering many short
    # requests they take cores from other requests, and starting one costs milliseconds, more than a
    # directory query takes (docs/benchmarks.md). Raise it for reporting databases.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c max_parallel_workers_per_gather={int(os.environ.get('NGO_PG_PARALLEL_WORKERS', '0'))}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by every process (rate limits must hold across app servers): Redis when
# NGO_REDIS_URL is set, otherwise a table in the database.
if os.environ.get("NGO_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["NGO_REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ngo_platform_cache",
            # Cached pages and facet counts of many filter combinations: more than Django's 300 entries.
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("NGO_CACHE_MAX_ENTRIES", "20000"))},
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "accounts:profile"
LOGIN_URL = "account_login"

# django-allauth: e-mail is the login; verification is mandatory.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
# The sign-up form must say plainly that an e-mail is already used (issue #2 acceptance);
# see docs/decisions/0006-accounts.md for the trade-off.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = os.environ.get("NGO_EMAIL_SUBJECT_PREFIX", "[Platforma NGO] ")
ACCOUNT_ADAPTER = "ngo_platform.accounts.adapter.AccountAdapter"
# The name others see instead of the e-mail address is asked at sign-up (accounts.forms.SignupForm).
ACCOUNT_SIGNUP_FORM_CLASS = "ngo_platform.accounts.forms.SignupForm"
# Security notices: a changed password or e-mail address, two-factor authentication switched on or off.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS = {
    # Login throttling: failed attempts per IP and per account.
    "login_failed": os.environ.get("NGO_RATE_LIMIT_LOGIN_FAILED", "10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("NGO_SITE_NAME", "Platforma współpracy NGO")

# Outgoing e-mail: SMTP in production; files under var/mail/ in development.
EMAIL_BACKEND = os.environ.get(
    "NGO_EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = os.environ.get("NGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("NGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("NGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("NGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("NGO_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("NGO_DEFAULT_FROM_EMAIL", "platforma@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: the Django tasks API with the database worker (`ngo-platform db_worker`).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("NGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Internationalisation: Polish first.
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "ngo_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Files never served by the web server: evidence of representation, imported spreadsheets.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploaded files on S3-compatible object storage when NGO_S3_BUCKET is set (needed before a second app
# server: every server and the worker see the same files). One bucket, a prefix for each of the two storages
# above: "media/" and "private/". Every object is private (no ACL: the bucket's own, private, applies).
# The platform streams files through the views that check who may have them; a public file's address
# (a logo) stays under MEDIA_URL on our own origin (ngo_platform.core.storage). Signed addresses, should
# anything ask the private storage for one, expire after NGO_S3_SIGNED_URL_SECONDS.
# Static files stay with whitenoise.
NGO_S3_BUCKET = os.environ.get("NGO_S3_BUCKET", "")
NGO_S3_SIGNED_URL_SECONDS = int(os.environ.get("NGO_S3_SIGNED_URL_SECONDS", "300"))
if NGO_S3_BUCKET:
    _s3_options = {
        "bucket_name": NGO_S3_BUCKET,
        "endpoint_url": os.environ.get("NGO_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("NGO_S3_REGION") or None,
        "addressing_style": os.environ.get("NGO_S3_ADDRESSING_STYLE") or None,
        "signature_version": "s3v4",
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": NGO_S3_SIGNED_URL_SECONDS,
        # As on the filesystem, a name already taken gets a suffix: never another record's file overwritten.
        "file_overwrite": False,
    }
    # Without keys boto3 finds its own (AWS_* variables, an instance role, ~/.aws/credentials).
    if os.environ.get("NGO_S3_ACCESS_KEY_ID"):
        _s3_options["access_key"] = os.environ["NGO_S3_ACCESS_KEY_ID"]
        _s3_options["secret_key"] = os.environ.get("NGO_S3_SECRET_ACCESS_KEY", "")
    STORAGES["default"] = {
        "BACKEND": "ngo_platform.core.storage.MediaStorage",
        "OPTIONS": {**_s3_options, "location": "media"},
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3_options,
            "location": "private",
            "object_parameters": {"CacheControl": "private, no-store"},
        },
    }

# Security: production defaults; development loosens only what plain HTTP on localhost needs.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("NGO_BEHIND_PROXY", True) else None
SECURE_SSL_REDIRECT = env_bool("NGO_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("NGO_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("NGO_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: nothing from any origin but our own (no CDN, no fonts, no analytics).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # allauth draws the TOTP QR code as an SVG data: URI.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Expected refusals (403, 404…) as one line, `GET /path 403 user=12`, without a traceback (core/logging.py).
    "filters": {"expected_refusals": {"()": "ngo_platform.core.logging.ExpectedRefusalsOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["expected_refusals"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("NGO_LOG_LEVEL", "INFO")},
}
# A failed CSRF check answers with the platform's 403 page (core/errors.py), not Django's bare one.
CSRF_FAILURE_VIEW = "ngo_platform.core.errors.csrf_failure"
# The ranking page posts one amount per offer: a competition may have thousands (Django's default limit is 1,000).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Deployment facts shown on the accessibility statement and privacy notice (the operator's data).
NGO_SITE_NAME = os.environ.get("NGO_SITE_NAME", "Platforma współpracy NGO")
# The public address, for links in e-mails sent by background tasks (no request to build it from).
NGO_SITE_URL = os.environ.get("NGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
NGO_OPERATOR_NAME = os.environ.get("NGO_OPERATOR_NAME", "Urząd Marszałkowski Województwa Opolskiego")
NGO_OPERATOR_ADDRESS = os.environ.get("NGO_OPERATOR_ADDRESS", "ul. Piastowska 14, 45-082 Opole")
NGO_CONTACT_PERSON = os.environ.get("NGO_CONTACT_PERSON", "Koordynator ds. dostępności")
NGO_CONTACT_EMAIL = os.environ.get("NGO_CONTACT_EMAIL", "dostepnosc@example.invalid")
NGO_CONTACT_PHONE = os.environ.get("NGO_CONTACT_PHONE", "+48 77 000 00 00")
NGO_DPO_EMAIL = os.environ.get("NGO_DPO_EMAIL", "iod@example.invalid")
NGO_ACCESSIBILITY_PUBLISHED = os.environ.get("NGO_ACCESSIBILITY_PUBLISHED", "2026-11-27")
NGO_ACCESSIBILITY_UPDATED = os.environ.get("NGO_ACCESSIBILITY_UPDATED", "2026-11-27")
NGO_ACCESSIBILITY_REVIEWED = os.environ.get("NGO_ACCESSIBILITY_REVIEWED", "2026-11-27")
# Deadlines are judged by when a request reached the platform (core/arrival.py): behind a proxy that writes
# `X-Request-Start: t=<Unix seconds>` (docs/deploy.md), set NGO_TRUST_REQUEST_START=1 to believe it, never further
# back than NGO_REQUEST_START_MAX_SKEW seconds before the worker's clock. Off, the worker's clock decides.
NGO_TRUST_REQUEST_START = env_bool("NGO_TRUST_REQUEST_START")
NGO_REQUEST_START_MAX_SKEW = float(os.environ.get("NGO_REQUEST_START_MAX_SKEW", "60"))
# Benchmark-only endpoints (bench/load.py): never on in production.
NGO_BENCH_ENDPOINTS = env_bool("NGO_BENCH_ENDPOINTS")
# The voivodeship whose authorities /samorzady/ lists (TERYT WOJ code).
NGO_HOME_VOIVODESHIP = os.environ.get("NGO_HOME_VOIVODESHIP", "16")
# The KRS open API of the Ministry of Justice (odpis aktualny by KRS number, organisations/krs.py), e.g.
# https://api-krs.ms.gov.pl/api/krs ; empty = off: no "fetch from KRS" button, no representation on verification pages.
NGO_KRS_API_URL = os.environ.get("NGO_KRS_API_URL", "").rstrip("/")
# Seconds one look-up may take in all (connecting and reading) before the page says the registry did not answer.
NGO_KRS_TIMEOUT_SECONDS = float(os.environ.get("NGO_KRS_TIMEOUT_SECONDS", "5"))
# The forum (forum/): how long the author may edit a post after writing it; how many days an account counts as
# new, and then how many posts it may write an hour and whether its posts with links wait for a moderator.
NGO_FORUM_EDIT_MINUTES = int(os.environ.get("NGO_FORUM_EDIT_MINUTES", "60"))
NGO_FORUM_NEW_ACCOUNT_DAYS = int(os.environ.get("NGO_FORUM_NEW_ACCOUNT_DAYS", "7"))
NGO_FORUM_NEW_ACCOUNT_POSTS_PER_HOUR = int(os.environ.get("NGO_FORUM_NEW_ACCOUNT_POSTS_PER_HOUR", "5"))
NGO_FORUM_POSTS_PER_PAGE = int(os.environ.get("NGO_FORUM_POSTS_PER_PAGE", "25"))
