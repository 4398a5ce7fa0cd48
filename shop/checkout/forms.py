"""Forms of the checkout steps. Prices are never posted: the forms carry addresses and the
buyer's choices; the total the buyer confirmed is only compared, never used."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.countries import country_name, is_selling_country
from shop.addresses.forms import AddressForm
from shop.addresses.models import Address

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


def _address_form(data=None, *, prefix: str, initial: dict, chosen: bool) -> AddressForm:
    """A new-address form of the checkout: its fields are required, and marked so, only when
    "a new address" is chosen; `data-required` tells the page's script which fields to mark
    when the buyer changes his choice."""
    form = AddressForm(data, prefix=prefix, initial=initial, use_required_attribute=chosen)
    for field in form.fields.values():
        if field.required:
            field.widget.attrs["data-required"] = True
    return form


def _as_typed(form: AddressForm) -> AddressForm:
    """A new-address form that does not count (an existing or the same address is chosen),
    shown again with what was typed and without "required" errors."""
    return _address_form(
        prefix=form.prefix,
        initial={name: form[name].value() for name in form.fields},
        chosen=False,
    )


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
        self.billing = _address_form(
            data,
            prefix="billing",
            initial=billing_state,
            chosen=self.chosen("billing_choice") == NEW,
        )
        self.shipping = _address_form(
            data,
            prefix="shipping",
            initial=shipping_state,
            chosen=self.chosen("shipping_choice") == NEW,
        )

    def chosen(self, name: str) -> str:
        """The choice posted, or the one the form starts with."""
        if self.choice.is_bound:
            return self.choice.data.get(name, "")
        return self.choice.initial[name]

    def _choice_for(self, snapshot: dict, *, default: str) -> str:
        for pk, address in self.addresses.items():
            if snapshot and address.as_snapshot() == snapshot:
                return pk
        return default

    def is_valid(self) -> bool:
        valid = self.choice.is_valid()
        if valid:
            choices = dict(self.choice.cleaned_data)  # add_error drops a field from it
            valid = self._saved_addresses_sold_to(choices)
        # The address forms are validated even when the choices are not, so their errors
        # show too, but only the ones chosen: a hidden "same as billing" form is never missing.
        if self.chosen("billing_choice") == NEW:
            valid = self.billing.is_valid() and valid
        else:
            self.billing = _as_typed(self.billing)
        if self.chosen("shipping_choice") == NEW:
            valid = self.shipping.is_valid() and valid
        else:
            self.shipping = _as_typed(self.shipping)
        return valid

    def _saved_addresses_sold_to(self, choices: dict) -> bool:
        """A saved address is only used in a country the shop sells to (the address book may
        hold one from before the shop stopped selling there)."""
        valid = True
        for field in ("billing_choice", "shipping_choice"):
            address = self.addresses.get(choices[field])
            if address is not None and not is_selling_country(address.country):
                self.choice.add_error(
                    field,
                    _("We do not sell to %(country)s. Choose another address or enter a new one.")
                    % {"country": country_name(address.country)},
                )
                valid = False
        return valid

    def refuse_destination(self, message: str) -> None:
        """Refuse the shipping address (no VAT rate for its country), keeping what was typed:
        the message heads the form and sits by the country field that was typed."""
        self.choice.add_error(None, message)
        data = self.choice.cleaned_data
        if data.get("shipping_choice") == NEW:
            self.shipping.add_error("country", message)
        elif data.get("shipping_choice") == SAME and data.get("billing_choice") == NEW:
            self.billing.add_error("country", message)

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
        for name in ("shipping_method", "payment_method"):
            choices = self.fields[name].choices
            if len(choices) == 1 and not self.initial.get(name):
                self.initial[name] = choices[0][0]  # nothing to choose: it is preselected


class PlaceOrderForm(forms.Form):
    """The review page's submit: the form's idempotency key, the total the buyer saw and, for
    consumers, the terms of sale they accepted (the version they were shown)."""

    idempotency_key = forms.CharField(min_length=16, max_length=64)
    confirmed_total = forms.DecimalField(max_digits=14, decimal_places=2, required=False)
    accept_terms = forms.BooleanField(required=False)
    terms_version = forms.IntegerField(required=False, min_value=1)
    # Only when the order goes to the company's approvers: a word for them.
    note = forms.CharField(
        label=_("Note for your approvers (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )

    def accepted_terms(self, number: int) -> bool:
        """Whether the box was ticked for version `number` of the terms."""
        self.is_valid()  # the fields that are valid are in cleaned_data
        return bool(self.cleaned_data.get("accept_terms")) and (
            self.cleaned_data.get("terms_version") == number
        )

    def ticked_terms(self) -> bool:
        self.is_valid()
        return bool(self.cleaned_data.get("accept_terms"))

    def confirmed(self) -> Decimal | None:
        self.is_valid()
        return self.cleaned_data.get("confirmed_total")

    def note_error(self) -> str:
        self.is_valid()
        return " ".join(self.errors.get("note", []))

    def approval_note(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("note", "")
