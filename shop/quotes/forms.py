from django import forms
from django.utils.translation import gettext_lazy as _

from shop.cart.forms import QuickOrderForm

NOTE_MAX = 2000


class RequestForm(forms.Form):
    """A request for quote of the cart: what the buyer adds to it."""

    note = forms.CharField(
        label=_("Note for our sales team"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    wanted_by = forms.DateField(
        label=_("Wanted by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date you need the goods by, if any."),
    )


class SkuRequestForm(QuickOrderForm, RequestForm):
    """A request for quote of typed SKUs and quantities (the quick order's format)."""

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            items, malformed = self.items()
            if malformed:
                raise forms.ValidationError(
                    [f"{text} {quantity}: {reason}".strip() for text, quantity, reason in malformed]
                )
            cleaned["items"] = items
        return cleaned


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RevisionForm(forms.Form):
    message = forms.CharField(
        label=_("What would you like changed?"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OfferForm(forms.Form):
    """The manager's offer: a unit price per line or a discount on the whole, until a date."""

    valid_until = forms.DateField(
        label=_("Valid until (inclusive)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    discount_percent = forms.DecimalField(
        label=_("Discount on the whole (%)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("Off the buyer's own prices, for the lines without a unit price."),
    )
    message = forms.CharField(
        label=_("Message to the buyer"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    usable_once = forms.BooleanField(label=_("Usable for one order only"), required=False)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"price_{line.pk}"] = forms.DecimalField(
                label=_("%(name)s (%(sku)s) × %(quantity)s: unit price excl. VAT")
                % {"name": line.name, "sku": line.sku, "quantity": line.quantity},
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                initial=line.unit_price,
            )

    def unit_prices(self) -> dict:
        return {line.pk: self.cleaned_data.get(f"price_{line.pk}") for line in self.lines}
