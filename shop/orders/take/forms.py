"""Forms of an order taken for a customer. Prices are never posted: the lines are SKUs and
quantities as typed (parsed like the storefront's quick order), the addresses a saved one of
the customer's or one typed in; everything is priced and checked again on the server."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shop.addresses.forms import AddressForm
from shop.cart.forms import MAX_QUICK_ORDER_TEXT, QuickOrderForm
from shop.cart.services import MAX_QUICK_ORDER_LINES

NEW_ADDRESS = "new"
SAME_AS_BILLING = "billing"


class CustomerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Customer"),
        max_length=100,
        required=False,
        help_text=_("Part of the customer's email, name or company."),
        widget=forms.SearchInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class TakeOrderForm(forms.Form):
    lines = forms.CharField(
        label=_("SKU and quantity, one product per line"),
        max_length=MAX_QUICK_ORDER_TEXT,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "autocapitalize": "off"}),
        help_text=_("For example: KIT-101 12"),
        error_messages={"required": _("Enter at least one line.")},
    )
    billing = forms.ChoiceField(label=_("Billing address"), widget=forms.RadioSelect)
    shipping = forms.ChoiceField(label=_("Shipping address"), widget=forms.RadioSelect)
    # Chosen on the review step, among what the customer is offered for these lines.
    shipping_method = forms.CharField(label=_("Shipping"), required=False, max_length=20)
    payment_method = forms.CharField(label=_("Payment"), required=False, max_length=40)

    def __init__(self, data=None, *, addresses, **kwargs):
        saved = [(str(address.pk), str(address)) for address in addresses]
        initial = {
            "billing": saved[0][0] if saved else NEW_ADDRESS,
            "shipping": SAME_AS_BILLING,
        }
        super().__init__(data, initial=initial, **kwargs)
        self.addresses = {str(address.pk): address for address in addresses}
        self.fields["billing"].choices = [*saved, (NEW_ADDRESS, _("Another address (below)"))]
        self.fields["shipping"].choices = [
            (SAME_AS_BILLING, _("Same as the billing address")),
            *saved,
            (NEW_ADDRESS, _("Another address (below)")),
        ]
        self.billing_form = AddressForm(data, prefix="billing")
        self.shipping_form = AddressForm(data, prefix="shipping")

    @property
    def billing_typed(self) -> bool:
        return self.data.get("billing") == NEW_ADDRESS

    @property
    def shipping_typed(self) -> bool:
        return self.data.get("shipping") == NEW_ADDRESS

    def is_valid(self):
        valid = super().is_valid()
        _describe_errors(self)
        for typed, form in (
            (self.billing_typed, self.billing_form),
            (self.shipping_typed, self.shipping_form),
        ):
            if typed:
                valid = form.is_valid() and valid
                _describe_errors(form)
        return valid

    def clean_lines(self):
        lines = self.cleaned_data["lines"]
        if len([line for line in lines.splitlines() if line.strip()]) > MAX_QUICK_ORDER_LINES:
            raise forms.ValidationError(
                _("Enter at most %(max)s lines."), params={"max": MAX_QUICK_ORDER_LINES}
            )
        return lines

    def items(self) -> list[tuple[str, str, int | None, str]]:
        """Each line as `(sku, quantity as typed, quantity or None, why it cannot be read)`,
        parsed by the quick order's parser: the lines it cannot read come first."""
        parser = QuickOrderForm({"lines": self.cleaned_data["lines"]})
        parser.is_valid()
        items, malformed = parser.items()
        return [(sku, typed, None, str(reason)) for sku, typed, reason in malformed] + [
            (sku, str(quantity), quantity, "") for sku, quantity in items
        ]

    def _address(self, name: str, form: AddressForm) -> dict[str, str]:
        choice = self.cleaned_data[name]
        if choice == NEW_ADDRESS:
            return form.snapshot()
        return self.addresses[choice].as_snapshot()

    def billing_address(self) -> dict[str, str]:
        return self._address("billing", self.billing_form)

    def shipping_address(self) -> dict[str, str]:
        if self.cleaned_data["shipping"] == SAME_AS_BILLING:
            return self.billing_address()
        return self._address("shipping", self.shipping_form)

    def address_errors(self) -> list[str]:
        """The errors of the typed addresses, for the error summary."""
        return [
            gettext("%(address)s: %(error)s") % {"address": label, "error": error}
            for name, label, form in (
                ("billing", gettext("Billing address"), self.billing_form),
                ("shipping", gettext("Shipping address"), self.shipping_form),
            )
            if self.data.get(name) == NEW_ADDRESS
            for errors in form.errors.values()
            for error in errors
        ]


def _describe_errors(form: forms.Form) -> None:
    """Point each invalid field at its errors (rendered with the id `<field id>_errors`)."""
    for name in form.errors:
        if name in form.fields:
            described = [f"{form[name].auto_id}_errors"]
            if form.fields[name].help_text:
                described.append(f"{form[name].auto_id}_helptext")
            form.fields[name].widget.attrs.update(
                {"aria-describedby": " ".join(described), "aria-invalid": "true"}
            )


class PlaceTakenOrderForm(forms.Form):
    """The review step's submit: its idempotency key and the total the manager saw."""

    idempotency_key = forms.CharField(min_length=16, max_length=64)
    confirmed_total = forms.DecimalField(max_digits=14, decimal_places=2)
