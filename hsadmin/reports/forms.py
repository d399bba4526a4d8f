from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hsadmin.core.forms import CalendarDateField
from hsadmin.reports.periods import PERIODS

EVENT_SORTS = {
    "name": "name",
    "starts": "starts_at",
    "registrants": "registrants",
    "attendees": "attendees",
    "rate": "rate",
    "no_shows": "no_shows",
}


class ReportFilterForm(forms.Form):
    portal = forms.ChoiceField(label=_("Portal"), required=False)
    period = forms.ChoiceField(label=_("Period"), required=False, choices=list(PERIODS.items()))
    since = CalendarDateField(label=_("From"), required=False)
    until = CalendarDateField(label=_("To"), required=False)
    type = forms.CharField(label=_("Event type"), required=False, max_length=100)
    app = forms.ChoiceField(
        label=_("Owning app"),
        required=False,
        choices=[
            ("", _("Any app")),
            ("ours", _("Created by hsadmin")),
            ("other", _("Other apps or HubSpot")),
        ],
    )
    sort = forms.ChoiceField(
        required=False, choices=[(k, k) for k in EVENT_SORTS] + [(f"-{k}", k) for k in EVENT_SORTS]
    )

    def __init__(self, *args: Any, portals: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["portal"]).choices = portals

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") == "custom":
            if not data.get("since") or not data.get("until"):
                self.add_error("since", _("A custom range needs both dates."))
            elif data["since"] > data["until"]:
                self.add_error("until", _("“To” is before “From”."))
            elif (data["until"] - data["since"]).days > 3660:
                self.add_error("until", _("Choose a range of at most ten years."))
        return data
