from django import forms
from django.utils.translation import gettext_lazy as _

from .services import NOTE_MAX


class ApproveForm(forms.Form):
    """The total the approver saw: the order is placed only at that total."""

    confirmed_total = forms.DecimalField(max_digits=14, decimal_places=2, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX}),
        error_messages={"required": _("Say why you reject this order: the buyer is told.")},
    )
