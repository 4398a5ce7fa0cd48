"""The share form: an optional first name and note the recipient will see, nothing else of
the sharer's."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ShareForm(forms.Form):
    first_name = forms.CharField(
        label=_("Your first name (optional)"),
        required=False,
        max_length=60,
        help_text=_("Shown to the person you share with."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    note = forms.CharField(
        label=_("A note (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def first_error(self) -> str:
        for errors in self.errors.values():
            return errors[0]
        return ""
