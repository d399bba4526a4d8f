"""hsadmin's settings: one file, read from the environment (and an optional `.env`) with django-environ.

With no environment at all the demo runs: DEBUG on, SQLite files under `var/`, a generated development secret
key, and HubSpot pointed at the local simulator. With DEBUG=false every production secret must be given, and a
missing one stops start-up with an error naming it. `.env.example` lists every variable.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG: bool = env.bool("DEBUG", default=True)

# Where hsadmin keeps its local files (SQLite databases, the generated development keys).
DATA_DIR = Path(env.str("HSADMIN_DATA_DIR", default=str(BASE_DIR / "var")))


def _demo_secret(name: str, make: Callable[[], str]) -> str:
    """A development-only secret, generated once and kept in DATA_DIR so restarts keep sessions and tokens."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / name
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def _required_in_production(name: str, demo_value: Callable[[], str]) -> str:
    """Read a secret; in production (DEBUG off) a missing one is a start-up error naming the variable."""
    value: str = env.str(name, default="")
    if value:
        return value
    if not DEBUG:
        raise ImproperlyConfigured(
            f"{name} is not set. With DEBUG=false hsadmin needs it in the environment (see .env.example)."
        )
    return _demo_secret(f"dev-{name.lower()}", demo_value)


SECRET_KEY = _required_in_production("SECRET_KEY", lambda: secrets.token_urlsafe(50))

# Keys that encrypt OAuth tokens at rest (Fernet, comma separated; the first encrypts). Apart from SECRET_KEY.
HSADMIN_TOKEN_KEYS: list[str] = [
    key.strip()
    for key in _required_in_production("HSADMIN_TOKEN_KEYS", lambda: Fernet.generate_key().decode()).split(
        ","
    )
    if key.strip()
]

ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])
INTERNAL_IPS = ["127.0.0.1"]

INSTALLED_APPS = [
    "hsadmin.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # the event search's trigram indexes (PostgreSQL only; inert on SQLite)
    "django_htmx",
    "django_tasks_db",
    "axes",
    "hsadmin.portals",
    "hsadmin.jobs",
    "hsadmin.events",
    "hsadmin.lists",
    "hsadmin.appsettings",
    "hsadmin.participation",
    "hsadmin.reports",
    "hsadmin.simulator",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "hsadmin.core.middleware.RequestTooLargeMiddleware",  # before the CSRF check, which reads the body
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hsadmin.core.signin_limits.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "hsadmin.core.middleware.PersonPreferencesMiddleware",
    "hsadmin.core.middleware.HtmxAuthRedirectMiddleware",
    "hsadmin.core.middleware.HtmxMessagesMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into our lockout page
]

ROOT_URLCONF = "hsadmin.urls"
WSGI_APPLICATION = "hsadmin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hsadmin.core.context_processors.shell",
                "hsadmin.portals.context_processors.portals",
            ],
        },
    },
]

# Databases. The dashboard's own database, and the simulator's (a separate file: it stands in for HubSpot).
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'hsadmin.sqlite3'}"),
    "simulator": env.db("SIMULATOR_DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'simulator.sqlite3'}"),
}
for _alias, _db in DATABASES.items():
    if _db["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock up front so concurrent
        # writers queue (busy timeout) instead of failing with "database is locked".
        _db.setdefault("OPTIONS", {}).update(
            {
                # A 64 MB page cache per connection keeps the event list's indexes in memory (design §7).
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            }
        )
        _db.setdefault("TEST", {})["NAME"] = None if _alias == "default" else ""
    # Connections live across requests: no connect per request, and SQLite's page cache stays warm.
    _db.setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    _db.setdefault("CONN_HEALTH_CHECKS", True)
DATABASE_ROUTERS = ["hsadmin.simulator.routers.SimulatorRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
# Django's ModelBackend, with hsadmin's capabilities (from groups and portal roles) answered from a cache.
# django-axes' check comes first (it refuses locked-out sign-ins; it never signs anyone in).
AUTHENTICATION_BACKENDS = [
    "hsadmin.core.signin_limits.SignInThrottleBackend",
    "hsadmin.portals.backends.CapabilityBackend",
]
# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one username from one address,
# that pair is locked out for AXES_COOLOFF_MINUTES (every attempt meanwhile restarts the wait).
AXES_FAILURE_LIMIT: int = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "hsadmin.core.signin_limits.lockout_response"
AXES_HTTP_RESPONSE_CODE = 403
# The client's address is REMOTE_ADDR (axes' default); forwarded headers are not trusted, they can be forged.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions: signed-in people are signed out after SESSION_COOKIE_AGE seconds (default 12 hours).
SESSION_COOKIE_AGE: int = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)
# ...and after this many minutes without a request (0: never).
HSADMIN_IDLE_TIMEOUT_MINUTES: int = env.int("HSADMIN_IDLE_TIMEOUT_MINUTES", default=60)
# Sessions live in the database, read through the cache (a job progress poll then costs 2 queries, not 3).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "hsadmin.core.views.csrf_failure"

# Languages and time zones: English, German and Japanese; every person picks theirs.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("de", _("German")), ("ja", _("Japanese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE: str = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Content Security Policy (Django's own middleware): nothing inline, scripts only from us or with the nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Production hardening: on by default whenever DEBUG is off (each can be turned down behind a TLS proxy).
SECURE_SSL_REDIRECT: bool = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE: bool = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE: bool = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS: int = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS: bool = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD: bool = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# HubSpot: by default the local simulator that `make run` starts beside the dashboard.
SIMULATOR_ADDR: str = env.str("SIMULATOR_ADDR", default="127.0.0.1:8001")
HUBSPOT_API_BASE: str = env.str("HUBSPOT_API_BASE", default=f"http://{SIMULATOR_ADDR}")
HUBSPOT_AUTH_BASE: str = env.str("HUBSPOT_AUTH_BASE", default=f"http://{SIMULATOR_ADDR}")
# The Marketing Events API version (OAuth follows it): 2026-09, HubSpot's current one, by default; 2026-03 and
# the legacy v3 (unsupported from September 2027; its OAuth v1 deprecated from February 2027) stay selectable.
HUBSPOT_API_VERSIONS = ("2026-09", "2026-03", "v3")
HUBSPOT_API_VERSION: str = env.str("HUBSPOT_API_VERSION", default="2026-09")
if HUBSPOT_API_VERSION not in HUBSPOT_API_VERSIONS:
    raise ImproperlyConfigured(
        f"HUBSPOT_API_VERSION={HUBSPOT_API_VERSION!r} is not one hsadmin knows: use one of "
        + ", ".join(HUBSPOT_API_VERSIONS)
        + "."
    )
# The HubSpot app hsadmin acts as. `make run` fills these from the simulator's demo app when they are unset.
HUBSPOT_APP_ID: int | None = env.int("HUBSPOT_APP_ID", default=None)
HUBSPOT_CLIENT_ID: str = env.str("HUBSPOT_CLIENT_ID", default="")
HUBSPOT_CLIENT_SECRET: str = env.str("HUBSPOT_CLIENT_SECRET", default="")
HUBSPOT_DEVELOPER_API_KEY: str = env.str("HUBSPOT_DEVELOPER_API_KEY", default="")
# Lets the event-details URL tester and form use http to loopback addresses (the simulator, hsadmin itself).
# Keep it off in production: the tester then fetches only public https addresses.
HSADMIN_ALLOW_LOOPBACK_FETCH: bool = env.bool("HSADMIN_ALLOW_LOOPBACK_FETCH", default=DEBUG)
# Even then, only these loopback ports: the simulator's (from HUBSPOT_API_BASE) and the one hsadmin was reached
# on are always in; list others here (comma-separated), e.g. hsadmin behind a local proxy on another port.
HSADMIN_LOOPBACK_PORTS: list[int] = env.list("HSADMIN_LOOPBACK_PORTS", cast=int, default=[])
# The externalAccountId hsadmin gives events it creates (its "account" in HubSpot's eyes).
HUBSPOT_EXTERNAL_ACCOUNT_ID: str = env.str("HUBSPOT_EXTERNAL_ACCOUNT_ID", default="hsadmin")
# How often (minutes) the worker re-syncs each connected portal's events; 0 turns the schedule off.
HSADMIN_SYNC_INTERVAL_MINUTES: int = env.int("HSADMIN_SYNC_INTERVAL_MINUTES", default=15)
# Where HubSpot sends people back after they authorize; default: this site's /portals/callback/.
HUBSPOT_REDIRECT_URI: str = env.str("HUBSPOT_REDIRECT_URI", default="")
# Rate limit per portal (HubSpot's default for OAuth apps: 100 requests per 10 seconds); the share bulk jobs
# may use, so people's clicks always find room.
HUBSPOT_RATE_LIMIT_MAX: int = env.int("HUBSPOT_RATE_LIMIT_MAX", default=100)
HUBSPOT_RATE_LIMIT_INTERVAL_SECONDS: float = env.float("HUBSPOT_RATE_LIMIT_INTERVAL_SECONDS", default=10.0)
HUBSPOT_BULK_SHARE: float = env.float("HUBSPOT_BULK_SHARE", default=0.95)
# A request reaches HubSpot a little after hsadmin counts it, and not always in the same order: a slot is
# treated as busy this much longer than the window when the whole window is in use, so HubSpot never sees 101.
HUBSPOT_RATE_LIMIT_MARGIN_SECONDS: float = env.float("HUBSPOT_RATE_LIMIT_MARGIN_SECONDS", default=0.25)
if not DEBUG and not HUBSPOT_CLIENT_SECRET:
    raise ImproperlyConfigured(
        "HUBSPOT_CLIENT_SECRET is not set. With DEBUG=false hsadmin needs its HubSpot app's credentials "
        "(HUBSPOT_APP_ID, HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET; see .env.example)."
    )

# Redis (optional): when REDIS_URL is set, the cache, the shared HubSpot rate limiter and the token-refresh
# lock use it, so any number of web processes and workers on any number of machines share them.
REDIS_URL: str = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "hsadmin",
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# CSV participation imports: largest upload, most rows, hours an unfinished upload's files are kept, and how many
# 100-row HubSpot calls an import keeps in flight.
HSADMIN_IMPORT_MAX_BYTES: int = env.int("HSADMIN_IMPORT_MAX_BYTES", default=50 * 1024 * 1024)
HSADMIN_IMPORT_MAX_ROWS: int = env.int("HSADMIN_IMPORT_MAX_ROWS", default=500_000)
HSADMIN_IMPORT_RETENTION_HOURS: int = env.int("HSADMIN_IMPORT_RETENTION_HOURS", default=72)
HSADMIN_IMPORT_CONCURRENCY: int = env.int("HSADMIN_IMPORT_CONCURRENCY", default=4)

# Background jobs: Django's Tasks API on django-tasks-db; `manage.py db_worker` runs them.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # httpx and httpcore log every request URL, which can carry `hapikey`: keep them quiet.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
