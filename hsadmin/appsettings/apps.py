from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppSettingsConfig(AppConfig):
    name = "hsadmin.appsettings"
    label = "appsettings"
    verbose_name = _("App settings and drafts")
