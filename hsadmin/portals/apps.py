from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalsConfig(AppConfig):
    name = "hsadmin.portals"
    label = "portals"
    verbose_name = _("HubSpot portals")

    def ready(self) -> None:
        from hsadmin.portals import signals  # noqa: F401 - forgets cached capabilities when access changes
