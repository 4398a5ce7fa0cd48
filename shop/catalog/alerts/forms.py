from django import forms
from django.utils.translation import gettext_lazy as _


class StockAlertForm(forms.Form):
    """A guest's address for a back-in-stock email (a customer's is their account's)."""

    email = forms.EmailField(label=_("Your email address"), max_length=254)
