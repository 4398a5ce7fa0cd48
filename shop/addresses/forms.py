from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.countries import default_country, selling_country_choices

from .models import Address


def _country_choices() -> list[tuple[str, str]]:
    """Only the countries the shop sells to, by their name in the buyer's language."""
    return [("", _("Choose a country")), *selling_country_choices()]


class AddressForm(forms.ModelForm):
    # Declared, not made from the model field, whose choices are every country there is:
    # each form copied them, then replaced them.
    country = forms.ChoiceField(
        label=capfirst(Address._meta.get_field("country").verbose_name),
        choices=_country_choices,
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )

    class Meta:
        model = Address
        fields = list(Address.SNAPSHOT_FIELDS)
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "company": forms.TextInput(attrs={"autocomplete": "organization"}),
            "line1": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "line2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("country"):
            self.initial["country"] = default_country()

    def _get_validation_exclusions(self):
        # The form's choices checked the country: the model field would check it again
        # against every country there is, each named and sorted anew.
        return {*super()._get_validation_exclusions(), "country"}

    def clean_country(self):
        return str(self.cleaned_data["country"] or "").upper()

    def snapshot(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in Address.SNAPSHOT_FIELDS}
