"""The soak run's settings: hsadmin's own (production, DEBUG off), except the static files' storage.

`collectstatic` with the manifest storage currently stops on the vendored Chart.js, which names a source map
that is not vendored (`vendor/chartjs/chart.umd.min.js.map`); the soak measures pages, not static files, so it
uses WhiteNoise's storage without the manifest.
"""

from hsadmin.settings import *  # noqa: F403
from hsadmin.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}
