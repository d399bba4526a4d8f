from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hsadmin.core.models import User
from hsadmin.core.roles import ROLE_CHOICES
from hsadmin.portals.models import Portal


class DisconnectForm(forms.Form):
    purge = forms.BooleanField(
        label=_("Also delete everything hsadmin keeps about this portal (its events, members and history)"),
        required=False,
    )


class SwitchPortalForm(forms.Form):
    portal = forms.ModelChoiceField(queryset=Portal.objects.none(), to_field_name="hub_id", label=_("Portal"))

    def __init__(self, *args: Any, portals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField[Portal], self.fields["portal"]).queryset = portals


class GrantAccessForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"),
        label=_("Person"),
        to_field_name="username",
    )
    portal = forms.ModelChoiceField(queryset=Portal.objects.none(), label=_("Portal"), to_field_name="hub_id")
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)

    def __init__(self, *args: Any, portals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField[Portal], self.fields["portal"]).queryset = portals


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search people"), required=False, max_length=100)
