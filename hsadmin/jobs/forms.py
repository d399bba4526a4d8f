from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hsadmin.core.models import JobState
from hsadmin.jobs.runner import job_kinds


class JobFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["state"]).choices = [("", _("Any state")), *JobState.choices]
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", _("Any kind")),
            *((k.name, k.label) for k in job_kinds()),
        ]


class JobItemFilterForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All items")),
            ("failed", _("Failed")),
            ("left_out", _("Left out")),
            ("succeeded", _("Succeeded")),
        ],
    )
