from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hsadmin.appsettings.urlcheck import MAX_LENGTH, event_details_url_problem


class EventDetailsUrlForm(forms.Form):
    event_details_url = forms.CharField(
        label=_("Event-details URL"),
        max_length=MAX_LENGTH,
        help_text=_(
            "https, with %s where the external event ID goes; HubSpot adds ?appId=…&externalAccountId=…"
        ),
        widget=forms.TextInput(attrs={"class": "mono", "spellcheck": "false", "autocomplete": "off"}),
    )

    def clean_event_details_url(self) -> str:
        url: str = self.cleaned_data["event_details_url"].strip()
        problem = event_details_url_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url


class DetailsUrlTestForm(EventDetailsUrlForm):
    external_event_id = forms.CharField(
        label=_("Sample external event ID"),
        max_length=255,
        help_text=_("The ID HubSpot would put in place of %s, for example one of your drafts'."),
        widget=forms.TextInput(attrs={"class": "mono", "spellcheck": "false", "autocomplete": "off"}),
    )

    field_order = ("event_details_url", "external_event_id")
    prefix = "test"  # beside the settings form on one page: its own ids and names

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event_details_url"].label = _("URL to test")
        self.fields["event_details_url"].help_text = _("The URL to call (it need not be saved yet).")
