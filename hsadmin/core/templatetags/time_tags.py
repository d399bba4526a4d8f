"""Times relative to now, read as a person says them: "just now", "5 minutes ago"."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def ago(value: dt.datetime | None) -> str:
    """ "just now" under a minute, else Django's timesince with "ago"; "" for no time."""
    if not value:
        return ""
    if timezone.now() - value < dt.timedelta(minutes=1):
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(value)}
