"""Forms of the company pages of the trade portal: invite a colleague, change a member's role
and limit, accept an invitation with a new account. The services check everything again."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from ..forms import email_field, full_name_field, password_field
from ..models import User
from .models import CompanyRole


def role_field():
    return forms.ChoiceField(label=_("Role"), choices=CompanyRole.choices)


def spending_limit_field():
    return forms.DecimalField(
        label=_("Spending limit per order"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Orders above it go to an approver. Empty: no limit."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class InvitationForm(forms.Form):
    email = email_field()
    role = role_field()
    spending_limit = spending_limit_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"role": CompanyRole.BUYER})
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


class MemberForm(forms.Form):
    """One member's role and limit (each member's form has its own prefix)."""

    role = role_field()
    spending_limit = spending_limit_field()

    def __init__(self, *args, member, **kwargs):
        kwargs.setdefault("initial", {"role": member.role, "spending_limit": member.spending_limit})
        super().__init__(*args, prefix=f"member-{member.pk}", **kwargs)
        self.fields["spending_limit"].help_text = ""  # said once, in the table's heading
        self.member = member


class CompanySettingsForm(forms.Form):
    """What a company admin decides for the whole company."""

    buyers_see_company_orders = forms.BooleanField(
        label=_("Buyers see every order of the company"),
        help_text=_("Otherwise a buyer sees only their own orders; admins and approvers see all."),
        required=False,
        widget=forms.CheckboxInput(
            attrs={"aria-describedby": "id_buyers_see_company_orders_helptext"}
        ),
    )


class JoinForm(forms.Form):
    """The name and password of the account a visitor opens to accept an invitation."""

    full_name = full_name_field()
    password = password_field()

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def _post_clean(self):
        super()._post_clean()
        password = self.cleaned_data.get("password")
        if password:
            candidate = User(email=self.email, full_name=self.cleaned_data.get("full_name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
