from django import forms
from django.utils.translation import gettext_lazy as _

from core.countries import default_country, selling_country_choices

from .models import Address


class AddressForm(forms.ModelForm):
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
            "country": forms.Select(attrs={"autocomplete": "country"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the countries the shop sells to, by their name in the buyer's language.
        self.fields["country"].choices = [("", _("Choose a country")), *selling_country_choices()]
        if not self.is_bound and not self.initial.get("country"):
            self.initial["country"] = default_country()

    def clean_country(self):
        return str(self.cleaned_data["country"] or "").upper()

    def snapshot(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in Address.SNAPSHOT_FIELDS}
