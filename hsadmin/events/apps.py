from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "hsadmin.events"
    label = "events"
    verbose_name = _("Marketing events")
