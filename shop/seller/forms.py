"""The shop details form of the admin: numbers typed with spaces are accepted and checked."""

from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum import bic, iban
from stdnum.eu import vat

from .models import ShopDetails


def _compact(value: str) -> str:
    return "".join(str(value or "").split()).upper()


class ShopDetailsForm(forms.ModelForm):
    """IBAN, BIC and VAT number as people type them (spaces, lower case), stored compact, and
    refused when their check digits are wrong: a mistyped IBAN sends buyers' money nowhere."""

    class Meta:
        model = ShopDetails
        fields = "__all__"

    def clean_iban(self):
        value = _compact(self.cleaned_data.get("iban"))
        if value and not iban.is_valid(value):
            raise forms.ValidationError(_("This IBAN is not valid: check the digits you typed."))
        return value

    def clean_bic(self):
        value = _compact(self.cleaned_data.get("bic"))
        if value and not bic.is_valid(value):
            raise forms.ValidationError(_("This BIC is not valid: 8 or 11 letters and digits."))
        return value

    def clean_vat_id(self):
        value = _compact(self.cleaned_data.get("vat_id"))
        if value and not vat.is_valid(value):
            raise forms.ValidationError(
                _("This VAT number is not valid: check the country prefix and the digits.")
            )
        return value
