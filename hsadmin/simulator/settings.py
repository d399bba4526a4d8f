"""Settings for the simulator's own server process.

``manage.py simulator serve`` re-executes itself under this module (``DJANGO_SETTINGS_MODULE=
hsadmin.simulator.settings``): it starts from the dashboard's settings (databases, the simulator alias, logging)
and swaps out everything that belongs to the dashboard. Only the simulator app is installed, the URLconf is the
simulator's, and the middleware stack is the simulator's own (no sessions, login, CSRF or CSP: HubSpot has none
of those on its API).
"""

from __future__ import annotations

from hsadmin.settings import *  # noqa: F403
from hsadmin.settings import DATABASES

INSTALLED_APPS = ["hsadmin.simulator"]
MIDDLEWARE = ["hsadmin.simulator.middleware.SimulatorMiddleware"]
ROOT_URLCONF = "hsadmin.simulator.urls"
WSGI_APPLICATION = "hsadmin.simulator.wsgi.application"
TEMPLATES: list[dict[str, object]] = []
DEBUG = False
ALLOWED_HOSTS = ["*"]
APPEND_SLASH = False
CSRF_FAILURE_VIEW = "django.views.csrf.csrf_failure"
LOGIN_URL = "/"
USE_I18N = False
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
SECURE_SSL_REDIRECT = False
AUTH_USER_MODEL = "auth.User"  # unused: contrib.auth is not installed in the simulator process

# One waitress thread keeps one connection: no reconnect (and PRAGMA) per request.
for _db in DATABASES.values():
    if _db["ENGINE"] == "django.db.backends.sqlite3":
        _db["CONN_MAX_AGE"] = None

# 404s and 4xx are HubSpot answers here, not problems: keep Django's request logger for real errors only.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        "waitress.queue": {"level": "ERROR"},
    },
}
