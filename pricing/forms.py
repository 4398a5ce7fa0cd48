"""Forms of the pricing admin: the price simulator's question."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Company, CustomerGroup
from shop.catalog import selectors as catalog_selectors
from shop.catalog.models import Product

MAX_QUANTITY = 1_000_000
MAX_SUBTOTAL_DIGITS = 12


class SimulatorForm(forms.Form):
    """A GET form: product by SKU, a group, a customer's email or a company, quantity, moment,
    subtotal.

    `cleaned_data` holds the Product, the CustomerGroup, the User or the Company (one), and an
    aware datetime (now when left empty)."""

    product = forms.CharField(
        label=_("Product SKU"),
        max_length=64,
        help_text=_("The SKU exactly as in the catalogue (any case)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    group = forms.ModelChoiceField(
        label=_("Customer group"),
        queryset=CustomerGroup.objects.order_by("name"),
        required=False,
        empty_label=_("Default group (a guest)"),
    )
    customer = forms.EmailField(
        label=_("or customer email"),
        required=False,
        help_text=_("Prices a customer with their own group and negotiated rules."),
    )
    company = forms.ModelChoiceField(
        label=_("or company"),
        queryset=Company.objects.select_related("group").order_by("name", "id"),
        required=False,
        empty_label=_("No company"),
        help_text=_("Prices a member of the company, in its group, with its negotiated rules."),
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        max_value=MAX_QUANTITY,
        initial=1,
        # A text input keeps whatever was typed ("abc") to show beside the error.
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    at = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        help_text=_("Empty: now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    subtotal = forms.DecimalField(
        label=_("Cart subtotal"),
        required=False,
        min_value=0,
        max_digits=MAX_SUBTOTAL_DIGITS,
        decimal_places=2,
        help_text=_(
            "As the buyer sees it (incl. VAT for groups that see gross prices), for the cart "
            "discount. Empty: this line alone."
        ),
    )

    def clean_product(self):
        sku = self.cleaned_data["product"].strip()
        product = (
            Product.objects.select_related("category")
            .filter(sku__in=catalog_selectors.sku_candidates([sku]))
            .first()
        )
        if product is None:
            raise forms.ValidationError(
                _("No product has the SKU “%(sku)s”."), code="unknown", params={"sku": sku}
            )
        return product

    def clean_customer(self):
        email = self.cleaned_data["customer"]
        if not email:
            return None
        customer = get_user_model().objects.filter(email__iexact=email).first()
        if customer is None:
            raise forms.ValidationError(
                _("No customer has the email “%(email)s”."),
                code="unknown",
                params={"email": email},
            )
        return customer

    def clean_at(self):
        return self.cleaned_data["at"] or timezone.now()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("company") and (cleaned.get("group") or cleaned.get("customer")):
            raise forms.ValidationError(
                _(
                    "Choose a company alone: it is priced in its own group, and a customer "
                    "is priced with their own company."
                ),
                code="both",
            )
        if cleaned.get("group") and cleaned.get("customer"):
            raise forms.ValidationError(
                _(
                    "Choose a group or a customer, not both: "
                    "a customer is priced in their own group."
                ),
                code="both",
            )
        return cleaned
