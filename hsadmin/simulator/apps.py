"""The HubSpot simulator: a local stand-in for HubSpot's Marketing Events API, OAuth and a CRM subset."""

from django.apps import AppConfig


class SimulatorConfig(AppConfig):
    """The simulator's models live only in the ``simulator`` database alias (see ``routers.py``)."""

    name = "hsadmin.simulator"
    label = "simulator"
    verbose_name = "HubSpot simulator"
    default_auto_field = "django.db.models.BigAutoField"
