"""Page forms: the dataset set-up form (new dataset and its settings page) and the people forms.

The categories and attributes editors (frontend_static/js/dataset-form.js) write the SDK's `task_attributes`
JSON into one hidden field; the services validate it (labeling.core.label_formats) like the API does.
"""

import json
from typing import cast

from django import forms

from datasets.services.dataset_setup import TASK_TYPE_HELP
from labeling.models import ROLE_CHOICES

SETTINGS_FLAGS = (
    "enable_interpolation",
    "enable_extrapolation",
    "use_timestamps_for_interpolation",
    "enable_skip_labeling",
    "enable_skip_reviewing",
)


class DatasetForm(forms.Form):
    """Name, description, task type, `task_attributes`, interpolation settings, visibility and owner."""

    name = forms.SlugField(max_length=100, help_text="Letters, digits, - and _; part of the dataset's URL.")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    task_type = forms.ChoiceField(choices=[(key, key) for key in TASK_TYPE_HELP], initial="vector")
    task_attributes = forms.CharField(widget=forms.HiddenInput)
    public = forms.BooleanField(required=False, help_text="Anyone signed in may view (not label) it.")
    owner = forms.ChoiceField(help_text="You, or an organization you administer.")
    enable_interpolation = forms.BooleanField(required=False, initial=True)
    enable_extrapolation = forms.BooleanField(required=False)
    use_timestamps_for_interpolation = forms.BooleanField(required=False)
    enable_skip_labeling = forms.BooleanField(required=False, initial=True)
    enable_skip_reviewing = forms.BooleanField(required=False)

    def __init__(self, *args, owners: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        owner = cast(forms.ChoiceField, self.fields["owner"])  # declared above as a ChoiceField
        owner.choices = [(name, name) for name in owners]

    def clean_task_attributes(self) -> dict:
        try:
            value = json.loads(self.cleaned_data["task_attributes"])
        except ValueError:
            raise forms.ValidationError("The categories and attributes could not be read (invalid JSON).") from None
        if not isinstance(value, dict):
            raise forms.ValidationError("The categories and attributes must be a JSON object.")
        return value

    def dataset_fields(self) -> dict:
        """The Dataset fields of the cleaned form (everything but `owner`)."""
        return {key: value for key, value in self.cleaned_data.items() if key != "owner"}

    @staticmethod
    def task_type_options() -> list[dict]:
        return [
            {"value": key, "icon": icon, "explanation": explanation}
            for key, (icon, explanation) in TASK_TYPE_HELP.items()
        ]


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=ROLE_CHOICES)


class NewUserForm(forms.Form):
    username = forms.RegexField(regex=r"^[\w.@+-]+$", max_length=150)
    email = forms.EmailField(required=False)
    role = forms.ChoiceField(choices=ROLE_CHOICES, initial="labeler")
