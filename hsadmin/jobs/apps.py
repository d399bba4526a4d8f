from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """The job engine, its pages and commands. Its rows (`Job`, `JobChunk`, `JobItem`) stay in `core`'s models;
    this app sits above `portals` because who may see and manage a job depends on portal access."""

    name = "hsadmin.jobs"
    label = "jobs"
    verbose_name = _("Jobs")
