"""Forms of the cart, quick order and checkout pages. Prices are never posted: the forms carry
product ids, SKUs, quantities, addresses and the buyer's choices, all checked by services."""

import csv
import io

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Address

MAX_QUICK_ORDER_TEXT = 20_000
MAX_UPLOAD_BYTES = 1_000_000
HEADER_WORDS = {"sku", "ref", "reference", "code", "article"}


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

    def snapshot(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in Address.SNAPSHOT_FIELDS}


NEW = "new"
SAME = "same"


class AddressChoiceForm(forms.Form):
    """Which addresses to use: a saved one, a new one, or (shipping) the billing address."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("We send the confirmation and a link to follow your order here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    billing_choice = forms.ChoiceField(label=_("Billing address"), widget=forms.RadioSelect)
    shipping_choice = forms.ChoiceField(label=_("Shipping address"), widget=forms.RadioSelect)
    save_new = forms.BooleanField(
        label=_("Save new addresses in my address book"), required=False, initial=True
    )

    def __init__(self, *args, is_guest: bool, addresses: list[Address], **kwargs):
        super().__init__(*args, **kwargs)
        saved = [(str(address.pk), str(address)) for address in addresses]
        self.fields["billing_choice"].choices = [*saved, (NEW, _("A new address"))]
        self.fields["shipping_choice"].choices = [
            (SAME, _("Same as billing")),
            *saved,
            (NEW, _("A new address")),
        ]
        if not is_guest:
            del self.fields["email"]
        else:
            del self.fields["save_new"]


class CheckoutDetails:
    """The details step: the choice form and the two new-address forms, validated together
    (a new-address form only counts when "a new address" is chosen)."""

    def __init__(self, data=None, *, is_guest: bool, addresses: list[Address], state: dict):
        self.addresses = {str(address.pk): address for address in addresses}
        billing_state = state.get("billing") or {}
        shipping_state = state.get("shipping") or {}
        initial = {
            "email": state.get("email", ""),
            "billing_choice": self._choice_for(billing_state, default=NEW),
            "shipping_choice": (
                SAME
                if not shipping_state or shipping_state == billing_state
                else self._choice_for(shipping_state, default=NEW)
            ),
        }
        if addresses and not billing_state:
            initial["billing_choice"] = str(addresses[0].pk)
        self.choice = AddressChoiceForm(
            data, is_guest=is_guest, addresses=addresses, initial=initial
        )
        self.billing = AddressForm(
            data, prefix="billing", initial=billing_state, use_required_attribute=False
        )
        self.shipping = AddressForm(
            data, prefix="shipping", initial=shipping_state, use_required_attribute=False
        )

    def _choice_for(self, snapshot: dict, *, default: str) -> str:
        for pk, address in self.addresses.items():
            if snapshot and address.as_snapshot() == snapshot:
                return pk
        return default

    def is_valid(self) -> bool:
        if not self.choice.is_valid():
            # Still validate the address forms so their errors show too.
            self.billing.is_valid()
            return False
        valid = True
        if self.choice.cleaned_data["billing_choice"] == NEW:
            valid = self.billing.is_valid() and valid
        if self.choice.cleaned_data["shipping_choice"] == NEW:
            valid = self.shipping.is_valid() and valid
        return valid

    def _address(self, choice: str, form: AddressForm) -> dict[str, str]:
        if choice == NEW:
            return form.snapshot()
        return self.addresses[choice].as_snapshot()

    def result(self) -> dict:
        """{"email", "billing", "shipping", "new_addresses": [snapshots to save]}"""
        data = self.choice.cleaned_data
        billing = self._address(data["billing_choice"], self.billing)
        if data["shipping_choice"] == SAME:
            shipping = dict(billing)
        else:
            shipping = self._address(data["shipping_choice"], self.shipping)
        new = []
        if data.get("save_new"):
            if data["billing_choice"] == NEW:
                new.append(billing)
            if data["shipping_choice"] == NEW and shipping != billing:
                new.append(shipping)
        return {
            "email": data.get("email", ""),
            "billing": billing,
            "shipping": shipping,
            "new_addresses": new,
        }


class DeliveryForm(forms.Form):
    shipping_method = forms.ChoiceField(label=_("Shipping method"), widget=forms.RadioSelect)
    payment_method = forms.ChoiceField(label=_("Payment method"), widget=forms.RadioSelect)

    def __init__(self, *args, shipping_options, payment_options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shipping_method"].choices = [
            (str(option.method.pk), option.method.name) for option in shipping_options
        ]
        self.fields["payment_method"].choices = [
            (option.code, option.label) for option in payment_options if option.available
        ]


class QuickOrderForm(forms.Form):
    lines = forms.CharField(
        label=_("SKU and quantity, one product per line"),
        required=False,
        max_length=MAX_QUICK_ORDER_TEXT,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "autocapitalize": "off"}),
        help_text=_("For example: KIT-101 12"),
    )
    file = forms.FileField(
        label=_("Or upload a CSV file"),
        required=False,
        help_text=_("Two columns: SKU and quantity. A header row is allowed."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (1 MB at most)."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("Save the file as UTF-8 CSV and try again.")) from error

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("lines", "").strip() and not cleaned.get("file"):
            raise forms.ValidationError(_("Enter at least one line or choose a file."))
        return cleaned

    def items(self) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
        """(sku, quantity) pairs and the (sku, quantity, reason) of lines that are not two
        columns."""
        items: list[tuple[str, str]] = []
        malformed: list[tuple[str, str, str]] = []
        for row in _text_rows(self.cleaned_data.get("lines", "")) + _csv_rows(
            self.cleaned_data.get("file") or ""
        ):
            if len(row) == 2:
                items.append((row[0], row[1]))
            else:
                malformed.append(
                    (" ".join(row), "", _("Write a SKU and a quantity, separated by a space."))
                )
        return items, malformed


def _text_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        cells = line.replace(",", " ").replace(";", " ").replace("\t", " ").split()
        if cells:
            rows.append(cells)
    return rows


def _csv_rows(text: str) -> list[list[str]]:
    if not text.strip():
        return []
    sample = text[:2048]
    delimiter = max(",;\t", key=sample.count)
    rows = []
    for index, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter)):
        cells = [cell.strip() for cell in row if cell.strip()]
        if not cells:
            continue
        if index == 0 and cells[0].lower() in HEADER_WORDS:
            continue
        rows.append(cells)
    return rows
