"""The order admin's status form: the status, and the parcel when the order ships."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.errors import Refusal

from . import carriers, services
from .models import Order, OrderStatus

PARCEL_FIELDS = ("carrier", "tracking_number", "tracking_url")


# --- the status form --------------------------------------------------------------------------


class OrderStatusForm(forms.ModelForm):
    """Only the status is editable, with the parcel when the order ships. The menu offers the
    statuses the order may move to now; anything else posted is answered in the form with the
    workflow's reason."""

    carrier = forms.ChoiceField(label=_("carrier"), required=False)
    tracking_number = forms.CharField(
        label=_("tracking number"),
        required=False,
        max_length=100,
        help_text=_("Recommended: the shipped email gives it to the customer."),
    )
    tracking_url = forms.CharField(
        label=_("tracking link"),
        required=False,
        max_length=500,
        help_text=_("Only for another carrier: the known carriers' links are built for you."),
    )

    class Meta:
        model = Order
        fields = ["status", *PARCEL_FIELDS]  # the parcel is saved by `order_ship`

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("status")
        if field is not None and self.instance.pk:
            allowed = {self.instance.status, *services.order_next_statuses(order=self.instance)}
            field.widget.choices = [
                (value, label) for value, label in OrderStatus.choices if value in allowed
            ]
            field.help_text = _(
                "Only the next steps of the workflow are offered: placed → paid → shipped → "
                "completed, or cancelled before shipping (the stock goes back)."
            )
        if "carrier" in self.fields:
            self.fields["carrier"].choices = [("", "—"), *carriers.carrier_choices()]
            self.fields["carrier"].help_text = _("When you mark the order shipped.")

    def clean_status(self):
        status = self.cleaned_data["status"]
        # The instance still holds the saved status here (the form writes it later).
        refusal = services.order_status_refusal(order=self.instance, status=status)
        if refusal is not None:
            raise ValidationError(refusal)
        return status

    def _parcel_field(self, name):
        """The parcel field as `order_ship` will take it, or its refusal in the form."""
        try:
            parcel = carriers.parcel_clean(**{name: self.cleaned_data[name]})
        except Refusal as refusal:
            raise ValidationError(refusal.message) from None
        return getattr(parcel, name) if name == "tracking_number" else self.cleaned_data[name]

    def clean_tracking_number(self):
        return self._parcel_field("tracking_number")

    def clean_tracking_url(self):
        return self._parcel_field("tracking_url")
