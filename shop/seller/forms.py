"""The shop details form of the admin: numbers typed with spaces are accepted and checked."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from stdnum import bic, iban
from stdnum.eu import vat

from .models import ShopDetails

TYPED_MAX_LENGTH = 50


def _compact(value: str) -> str:
    return "".join(str(value or "").split()).upper()


class ShopDetailsForm(forms.ModelForm):
    """IBAN, BIC and VAT number as people type them (spaces, lower case), stored compact, and
    refused when their check digits are wrong: a mistyped IBAN sends buyers' money nowhere."""

    class Meta:
        model = ShopDetails
        fields = [
            "legal_name",
            "legal_form",
            "registration_number",
            "vat_id",
            "address_line1",
            "address_line2",
            "postal_code",
            "city",
            "email",
            "phone",
            "bank_name",
            "iban",
            "bic",
            "invoice_notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("iban", "bic", "vat_id"):
            field = self.fields.get(name)  # the bank fields are absent when read only
            if field is None:
                continue
            # Room for the spaces people type; the compact number is checked for length.
            field.max_length = TYPED_MAX_LENGTH
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ]
            field.widget.attrs["maxlength"] = str(TYPED_MAX_LENGTH)

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
