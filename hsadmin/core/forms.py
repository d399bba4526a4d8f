from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from hsadmin.core.models import User

# The calendar a date filter accepts. Far enough either way for any event, and well inside what Python's dates,
# the databases and HubSpot's epoch milliseconds can hold, so a period's bounds (the day after `until`, the
# period before `since`) never overflow.
EARLIEST_DATE = dt.date(1970, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def _date_message() -> str:
    return _("Choose a date between %(earliest)s and %(latest)s.") % {
        "earliest": EARLIEST_DATE.isoformat(),
        "latest": LATEST_DATE.isoformat(),
    }


class CalendarDateField(forms.DateField):
    """A date field that refuses dates outside EARLIEST_DATE..LATEST_DATE with a message (not an overflow)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("min", EARLIEST_DATE.isoformat())
        self.widget.attrs.setdefault("max", LATEST_DATE.isoformat())

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise forms.ValidationError(_date_message(), code="out_of_range")


class CalendarDateTimeField(forms.DateTimeField):
    """The same bounds for a date and time (in the person's time zone)."""

    def to_python(self, value: Any) -> dt.datetime | None:
        try:
            return super().to_python(value)
        except (OverflowError, ValueError):
            # Converting the year 1 or 9999 from the person's zone to UTC can step off Python's calendar.
            raise forms.ValidationError(_date_message(), code="out_of_range") from None

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not EARLIEST_DATE <= value.date() <= LATEST_DATE:
            raise forms.ValidationError(_date_message(), code="out_of_range")


class SameSitePathField(forms.CharField):
    """Where to go next (`?next=`, a hidden `next`): a path on this site, or "" for anything else — another
    host, a scheme such as `javascript:`, a protocol-relative `//host`. It is a hint, so a bad one is dropped, not
    an error: the view falls back to its own page."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        try:
            path: str = super().clean(value)
        except forms.ValidationError:
            return ""
        if path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
            return path
        return ""


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with our wording and the browser's autofill hints."""

    error_messages = {
        "invalid_login": _(
            "That username and password do not match an account. Check both (the password is "
            "case-sensitive) and try again."
        ),
        "inactive": _("This account is switched off. Ask a portal admin to switch it back on."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


def _time_zone_choices() -> list[tuple[str, str]]:
    return [("", _("Site default (%(zone)s)") % {"zone": settings.TIME_ZONE})] + [
        (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
    ]


def _language_choices() -> list[tuple[str, str]]:
    """Each language by its own name (Deutsch, 日本語), so a person finds theirs whatever the page speaks."""
    return [("", _("Browser's choice"))] + [
        (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
    ]


class PreferencesForm(forms.ModelForm[User]):
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False, choices=_time_zone_choices)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=_language_choices)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "time_zone", "language"]


class ActivityFilterForm(forms.Form):
    person = forms.CharField(label=_("Person"), required=False, max_length=150)
    portal = forms.IntegerField(label=_("Portal"), required=False, min_value=1)
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    since = CalendarDateField(label=_("From"), required=False)
    until = CalendarDateField(label=_("To"), required=False)

    def __init__(self, *args: Any, portals: Iterable[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The portals by name (the hub ID stays the value in the URL).
        self.fields["portal"].widget = forms.Select(choices=[("", _("Any portal")), *portals])

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("“From” must be on or before “To”."))
        return data
