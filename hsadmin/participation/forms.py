from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any, cast

from django import forms
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hsadmin.core.forms import CalendarDateTimeField
from hsadmin.hubspot_client import SubscriberState
from hsadmin.participation import csvio
from hsadmin.participation.services import RecordData

STATE_CHOICES = [
    (SubscriberState.REGISTER.value, _("Registered")),
    (SubscriberState.ATTEND.value, _("Attended")),
    (SubscriberState.CANCEL.value, _("Cancelled")),
]
# To the minute: nobody records attendance to the second, and seconds make the field hard to read.
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
FUTURE_GRACE = dt.timedelta(minutes=1)


def _contact(value: str) -> str:
    value = value.strip()
    if re.fullmatch(r"\d{1,18}", value) and int(value) > 0:
        return value
    try:
        validate_email(value)
    except forms.ValidationError:
        raise forms.ValidationError(
            _("Give a contact's email address or HubSpot contact ID (a number).")
        ) from None
    return value.lower()


NEVER_CREATE_HELP = _(
    "Off by default: hsadmin asks before it creates a contact for an email HubSpot does not know. "
    "On: only existing contacts are recorded."
)


class RecordForm(forms.Form):
    contact = forms.CharField(
        label=_("Contact"),
        max_length=254,
        help_text=_("An email address or a HubSpot contact ID."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    state = forms.ChoiceField(label=_("What they did"), choices=STATE_CHOICES, widget=forms.RadioSelect)
    interaction_at = CalendarDateTimeField(
        label=_("When"),
        widget=DATETIME_WIDGET,
        help_text=_("In your time zone. For an event that is over, it starts at the event's start time."),
    )
    joined_at = CalendarDateTimeField(label=_("Joined at"), required=False, widget=DATETIME_WIDGET)
    left_at = CalendarDateTimeField(label=_("Left at"), required=False, widget=DATETIME_WIDGET)
    # One default everywhere (Record one, the import): off, and a contact is created only after the person
    # confirms it, since each new contact may count towards the portal's HubSpot contact tier.
    never_create = forms.BooleanField(
        label=_("Never create contacts"),
        required=False,
        help_text=NEVER_CREATE_HELP,
    )
    confirm_future = forms.BooleanField(required=False, widget=forms.HiddenInput)
    confirm_create = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_future_confirmation = False

    def clean_contact(self) -> str:
        return _contact(self.cleaned_data["contact"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        at, joined, left = data.get("interaction_at"), data.get("joined_at"), data.get("left_at")
        if data.get("state") != SubscriberState.ATTEND and (joined or left):
            self.add_error("joined_at", _("Joined and left times are for attendance only."))
        if joined and left and left < joined:
            self.add_error("left_at", _("This is before the joined time."))
        if at and at > timezone.now() + FUTURE_GRACE and not data.get("confirm_future"):
            self.needs_future_confirmation = True
            self.add_error(
                "interaction_at",
                _("This time is in the future. Check it, and record again to confirm it is meant."),
            )
        return data

    def record_data(self, *, create_confirmed: bool = False) -> RecordData:
        d = self.cleaned_data
        return RecordData(
            contact=d["contact"],
            state=SubscriberState(d["state"]),
            interaction_at=d["interaction_at"],
            joined_at=d.get("joined_at") if d["state"] == SubscriberState.ATTEND else None,
            left_at=d.get("left_at") if d["state"] == SubscriberState.ATTEND else None,
            never_create=bool(d.get("never_create")),
            create_confirmed=create_confirmed and not d.get("never_create"),
        )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_(
            "In any encoding a spreadsheet saves (UTF-8, UTF-16, Windows-1252…); comma or semicolon."
        ),
    )
    text = forms.CharField(
        label=_("…or paste the rows"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "class": "mono"}),
        help_text=_("With a header row, for example: email;state;time"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a CSV file, or paste rows."))
        return data


class MappingForm(forms.Form):
    """One role per column, the defaults for rows that lack a state or a time, and the never-create switch."""

    default_state = forms.ChoiceField(
        label=_("State for rows without one"),
        required=False,
        choices=[("", _("(none: each row has its state in a column)")), *STATE_CHOICES],
    )
    default_interaction_at = CalendarDateTimeField(
        label=_("Interaction time for rows without one"),
        widget=DATETIME_WIDGET,
        help_text=_("Fixed now, so importing the same file again records nothing twice."),
    )
    never_create = forms.BooleanField(
        label=_("Never create contacts"),
        required=False,
        help_text=NEVER_CREATE_HELP,
    )

    def __init__(self, *args: Any, header: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header = header
        choices = [(role, label) for role, label in csvio.ROLES.items()]
        initial = kwargs.get("initial", {}).get("mapping") or []
        for index, name in enumerate(header):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=name,
                choices=choices,
                required=False,
                initial=initial[index] if index < len(initial) else "",
            )

    @property
    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"col_{i}"] for i in range(len(self.header))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        roles = [data.get(f"col_{i}") or "" for i in range(len(self.header))]
        for role in csvio.SINGLE_ROLES:
            if roles.count(role) > 1:
                raise forms.ValidationError(
                    _("Only one column can be “%(role)s”.") % {"role": csvio.ROLES[role]}
                )
        if "email" not in roles and "contact_id" not in roles:
            raise forms.ValidationError(_("Choose the column with the email or the HubSpot contact ID."))
        if "state" not in roles and not data.get("default_state"):
            self.add_error("default_state", _("The file has no state column: choose the state of every row."))
        data["mapping"] = roles
        return data


def _zone_choices(current: str = "") -> list[tuple[str, str]]:
    """The regional zone names, and `current` (the person's own) whatever its form: preferences offer every
    name, such as "Japan" or "GMT", and the list must show theirs as chosen and accept it back."""
    every = zoneinfo.available_timezones()
    names = {name for name in every if "/" in name or name == "UTC"}
    if current in every:
        names.add(current)
    return [(name, name) for name in sorted(names)]


class ReportForm(forms.Form):
    """A platform's report needs no mapping: only the zone its times are in, and what to do with flagged
    addresses (`fix`: the addresses whose suggestion the person accepts). "Never create contacts" is asked once,
    with the confirmation."""

    time_zone = forms.ChoiceField(
        label=_("Time zone of the report's times"),
        help_text=_("The zone of the account that downloaded the report; the report does not say."),
    )
    fix = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, flags: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = str((self.initial or {}).get("time_zone") or "")
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = _zone_choices(current)
        self.flags = flags
        cast(forms.ChoiceField, self.fields["fix"]).choices = [(f["email"], f["email"]) for f in flags]

    def corrections(self, earlier: dict[str, str]) -> dict[str, str]:
        """The corrections so far plus the suggestions accepted now (address → new address, or "" for out)."""
        accepted = set(self.cleaned_data.get("fix") or [])
        chosen = {f["email"]: f["suggestion"] for f in self.flags if f["email"] in accepted}
        return {**earlier, **chosen}


class ConfirmForm(forms.Form):
    never_create = forms.BooleanField(label=_("Never create contacts"), required=False)
    confirm_create = forms.BooleanField(required=False)
    confirm_future = forms.BooleanField(required=False)

    def __init__(self, *args: Any, counts: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counts = counts

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.counts.get("new") and not data.get("never_create") and not data.get("confirm_create"):
            self.add_error(
                "confirm_create",
                _("Confirm that %(n)s new contacts may be created, or turn on “never create contacts”.")
                % {"n": self.counts["new"]},
            )
        if self.counts.get("future") and not data.get("confirm_future"):
            self.add_error("confirm_future", _("Confirm the rows with a time in the future."))
        return data


class BreakdownFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("Everyone")),
            ("REGISTERED", _("Registered")),
            ("ATTENDED", _("Attended")),
            ("CANCELLED", _("Cancelled")),
            ("NO_SHOW", _("No-show")),
        ],
    )
    contact = forms.CharField(
        label=_("Contact"), required=False, max_length=254, help_text=_("Email or contact ID")
    )
    after = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def clean_contact(self) -> str:
        value = (self.cleaned_data.get("contact") or "").strip()
        return _contact(value) if value else ""


class ContactSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Contact"), required=False, max_length=254, help_text=_("Email or HubSpot contact ID")
    )
    after = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def clean_q(self) -> str:
        value = (self.cleaned_data.get("q") or "").strip()
        return _contact(value) if value else ""


class ExportForm(forms.Form):
    state = forms.ChoiceField(
        required=False, choices=cast(forms.ChoiceField, BreakdownFilterForm.base_fields["state"]).choices
    )
    contact = forms.CharField(required=False, max_length=254)
