"""The filters of the order history: a GET form, so a filtered page is a link to share with
oneself and works without JavaScript."""

from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .models import OrderStatus
from .selectors import OPEN_FILTER

SEARCH_MAX_LENGTH = 100
# Days the shop's time zone can turn into database timestamps (the year 1 or 9999 cannot).
DATE_RANGE = [MinValueValidator(date(1900, 1, 1)), MaxValueValidator(date(9998, 12, 31))]


class IsoDateInput(forms.DateInput):
    """A date picker where browsers have one; the value travels as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class OrderHistoryForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        help_text=_("An order number, a SKU or a product name."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            (OPEN_FILTER, _("Open (not shipped yet)")),
            *OrderStatus.choices,
        ],
    )
    placed_by = forms.TypedChoiceField(
        label=_("Placed by"), required=False, coerce=int, empty_value=None
    )
    date_from = forms.DateField(
        label=_("Placed from"), required=False, widget=IsoDateInput, validators=DATE_RANGE
    )
    date_to = forms.DateField(
        label=_("Placed until"), required=False, widget=IsoDateInput, validators=DATE_RANGE
    )

    def __init__(self, *args, placers: list[tuple[int, str]] | None = None, **kwargs):
        """`placers`: (user id, name) of the people whose orders the viewer sees; without
        them (a customer seeing only their own orders) there is no "placed by" filter."""
        super().__init__(*args, **kwargs)
        if placers:
            self.fields["placed_by"].choices = [("", _("Anyone")), *placers]
        else:
            del self.fields["placed_by"]

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> dict:
        """The valid filters (none for an unbound form): a wrong one is left out, and its
        message shown, rather than failing the page."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: self.cleaned_data.get(name) or None
            for name in ("q", "status", "placed_by", "date_from", "date_to")
        }
