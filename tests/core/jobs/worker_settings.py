"""Settings for the real `manage.py db_worker` subprocess in test_worker.py: hsadmin's, plus the test kinds."""

from hsadmin.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.core.jobs.testkinds"]  # noqa: F405
