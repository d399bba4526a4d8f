from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hsadmin.core.forms import CalendarDateField, CalendarDateTimeField, SameSitePathField
from hsadmin.events.models import COMMON_EVENT_TYPES
from hsadmin.events.services import EventData

STATUS_CHOICES = [
    ("", _("Any status")),
    ("upcoming", _("Upcoming")),
    ("live", _("Live now")),
    ("past", _("Past")),
    ("cancelled", pgettext_lazy("event state", "Cancelled")),
    ("completed", _("Completed")),
    ("ended_not_completed", _("Ended, not completed")),
]
APP_CHOICES = [("", _("Any app")), ("ours", _("Created by hsadmin")), ("other", _("Other apps or HubSpot"))]
SORTS = {
    "name": "name",
    "type": "event_type",
    "organizer": "organizer",
    "starts": "starts_at",
    "ends": "ends_at",
    "registrants": "registrants",
    "attendees": "attendees",
}
SORT_CHOICES = [(key, key) for key in SORTS] + [(f"-{key}", f"-{key}") for key in SORTS]
PAGE_SIZES = (25, 50, 100)


class EventFilterForm(forms.Form):
    """The event list's search, filters, sort and page size: all in the URL."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    type = forms.CharField(label=_("Type"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    app = forms.ChoiceField(label=_("Owning app"), required=False, choices=APP_CHOICES)
    starts_from = CalendarDateField(label=_("Starts from"), required=False)
    starts_to = CalendarDateField(label=_("Starts until"), required=False)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)
    per_page = forms.TypedChoiceField(
        label=_("Per page"),
        required=False,
        coerce=int,
        choices=[(n, n) for n in PAGE_SIZES],
        empty_value=25,  # type: ignore[arg-type]  # the stubs say str; Django returns any empty value as given
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_from") and data.get("starts_to") and data["starts_from"] > data["starts_to"]:
            self.add_error("starts_to", _("This date is before “Starts from”."))
        return data


class EventForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=500)
    organizer = forms.CharField(label=_("Organizer"), max_length=500)
    event_type = forms.CharField(
        label=_("Type"),
        required=False,
        max_length=100,
        help_text=_("Free text in HubSpot; for example %(examples)s.")
        % {"examples": ", ".join(COMMON_EVENT_TYPES[:3])},
        widget=forms.TextInput(attrs={"list": "event-types"}),
    )
    starts_at = CalendarDateTimeField(
        label=_("Starts"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = CalendarDateTimeField(
        label=_("Ends"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    url = forms.URLField(label=_("Event page URL"), required=False, max_length=2000, assume_scheme="https")
    external_event_id = forms.RegexField(
        label=_("External event ID (optional)"),
        required=False,
        max_length=200,
        regex=r"^[A-Za-z0-9._:-]+$",
        error_messages={"invalid": _("Use letters, digits and . _ : - only.")},
        help_text=_(
            "Your own ID for this event, e.g. from your webinar tool. Left empty, hsadmin makes one. If an event "
            "hsadmin created already has this ID, it is updated instead."
        ),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["external_event_id"]

    def clean_event_type(self) -> str:
        value: str = self.cleaned_data["event_type"]
        return value.strip().upper().replace(" ", "_")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The end is before the start."))
        return data

    @staticmethod
    def initial_for(event: Any) -> dict[str, Any]:
        """The form's starting values for an existing event (or draft); empty for a new one."""
        if event is None:
            return {}
        fields = ("name", "organizer", "event_type", "starts_at", "ends_at", "description", "url")
        return {name: getattr(event, name) for name in fields}

    def event_data(self) -> EventData:
        return EventData(
            **{name: self.cleaned_data[name] for name in self.fields if name != "external_event_id"}
        )


BULK_FIELD_CHOICES = [("event_type", _("Type")), ("organizer", _("Organizer")), ("url", _("Event page URL"))]


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("cancel", _("Cancel")),
            ("complete", _("Complete")),
            ("delete", _("Delete")),
            ("set_field", _("Set a field")),
        ],
        error_messages={
            "required": _("Choose what to do with the selected events."),
            "invalid_choice": _(
                "“%(value)s” is not a bulk action hsadmin knows: choose cancel, complete, delete or set a field."
            ),
        },
    )
    next = SameSitePathField()
    object_ids = forms.CharField(widget=forms.MultipleHiddenInput, required=False)
    field = forms.ChoiceField(required=False, choices=BULK_FIELD_CHOICES)
    value = forms.CharField(required=False, max_length=500)
    confirm = forms.BooleanField(required=False)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.selected: list[str] = [
            i for i in (data.getlist("object_ids") if data is not None else []) if i.isdigit()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.selected:
            raise forms.ValidationError(_("Select at least one event."))
        if len(self.selected) > 1000:
            raise forms.ValidationError(_("Select at most 1,000 events at a time."))
        if data.get("action") == "set_field":
            if not data.get("field"):
                self.add_error("field", _("Choose the field to set."))
            if not (data.get("value") or "").strip():
                self.add_error("value", _("Give the new value."))
        data["object_ids"] = self.selected
        return data
