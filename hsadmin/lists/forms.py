from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

# HubSpot's list IDs (ILS IDs) are digit strings.
list_id_validator = RegexValidator(r"^[0-9]{1,20}$", _("This is not a HubSpot list ID."))


class ListSearchForm(forms.Form):
    """Search the portal's lists by name; offset paging, as the lists search API pages."""

    q = forms.CharField(label=_("List name"), required=False, max_length=200)
    offset = forms.IntegerField(required=False, min_value=0, max_value=1_000_000, widget=forms.HiddenInput)


class AssociatedListsForm(forms.Form):
    """The Lists tab's paging cursor (`after`)."""

    after = forms.CharField(required=False, max_length=200)


class ListChoiceForm(forms.Form):
    list_id = forms.CharField(max_length=20, validators=[list_id_validator], widget=forms.HiddenInput)
    list_name = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)


class BulkSelectionForm(forms.Form):
    """The events chosen on the event list (their object IDs): drafts and junk are left out."""

    MAX = 1000

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        values = data.getlist("object_ids") if data is not None else []
        self.selected: list[str] = list(dict.fromkeys(v for v in values if v.isdigit()))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not self.selected:
            raise forms.ValidationError(_("Select at least one event that exists in HubSpot."))
        if len(self.selected) > self.MAX:
            raise forms.ValidationError(_("Select at most 1,000 events at a time."))
        data["object_ids"] = self.selected
        return data
