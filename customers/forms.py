import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from core.countries import default_country, selling_country_choices
from core.emails import send_templated

from . import vat_numbers
from .models import User, WholesaleApplication

PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ().\-/]+$")


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class EmailPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """The reset link goes out like every other email of the shop (emails/password_reset)."""
        send_templated(template="password_reset", to=[to_email], context=context)


class AccountFieldsMixin:
    """Email, name and password of a new account, with the shop's password rules."""

    def clean_email(self):
        # Whether the address has an account is never answered here (see
        # services.signup_request): its owner is told by email instead.
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def _post_clean(self):
        super()._post_clean()
        password = self.cleaned_data.get("password")
        if password:
            candidate = User(
                email=self.cleaned_data.get("email", ""),
                full_name=self.cleaned_data.get("full_name", ""),
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)


def email_field():
    return forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def full_name_field():
    return forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def password_field():
    return forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits, not a common password."),
    )


def company_name_field(**kwargs):
    return forms.CharField(
        label=_("Company"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        **kwargs,
    )


class SignupForm(AccountFieldsMixin, forms.Form):
    email = email_field()
    full_name = full_name_field()
    company_name = company_name_field(help_text=_("Optional."))
    password = password_field()


class ContactFieldsMixin:
    """The VAT id and phone fields, normalised and checked alike on every form that asks."""

    def clean_vat_id(self):
        return clean_vat_id(self.cleaned_data["vat_id"])

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])


class ProfileForm(ContactFieldsMixin, forms.Form):
    full_name = full_name_field()
    company_name = company_name_field()
    vat_id = forms.CharField(label=_("VAT id"), max_length=40, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )


def clean_vat_id(value: str) -> str:
    """An EU VAT number whose format and check digits are right (python-stdnum; no online
    check), compacted, with Greece's prefix EL. One-stop-shop numbers (EU, IM) are not a
    company's VAT number."""
    if not vat_numbers.normalise(value):
        return ""
    if not vat_numbers.is_valid(value):
        raise forms.ValidationError(vat_numbers.INVALID_MESSAGE, code="vat_id")
    return vat_numbers.normalise(value)


def clean_phone(value: str) -> str:
    value = " ".join(value.split())
    if value and (not PHONE_CHARACTERS.match(value) or sum(c.isdigit() for c in value) < 6):
        raise forms.ValidationError(
            _("Enter a phone number with at least 6 digits, for example +33 1 23 45 67 89."),
            code="phone",
        )
    return value


class ApplicationForm(ContactFieldsMixin, forms.ModelForm):
    """What a wholesale application asks, for a customer who is logged in."""

    class Meta:
        model = WholesaleApplication
        fields = ["company_name", "vat_id", "country", "phone", "monthly_volume", "message"]
        widgets = {
            "company_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "message": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "vat_id": _("With the country code, for example FR40303265045."),
            "message": _("Optional: what you buy, how often, anything we should know."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose a country")), *selling_country_choices()]
        if not self.is_bound and not self.initial.get("country"):
            self.initial["country"] = default_country()
        self.fields["monthly_volume"].choices = [
            ("", _("Choose a range")),
            *list(self.fields["monthly_volume"].choices)[1:],
        ]

    def clean_company_name(self):
        return " ".join(self.cleaned_data["company_name"].split())

    def application_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class GuestApplicationForm(AccountFieldsMixin, ApplicationForm):
    """A guest opens an account and applies for trade access in one form."""

    email = email_field()
    full_name = full_name_field()
    password = password_field()

    field_order = ["email", "full_name", "password", *ApplicationForm.Meta.fields]

    def account_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("email", "full_name", "password")}


class GroupChoiceForm(forms.Form):
    """An admin step that picks one of `groups` (its `group` field is declared by each step)."""

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class MoveToGroupForm(GroupChoiceForm):
    """The admin's intermediate page for "move to group"."""

    group = forms.ModelChoiceField(label=_("New group"), queryset=None)
    apply_group_terms = forms.BooleanField(
        label=_("Also set payment terms and credit limit to the group's defaults"),
        required=False,
    )

    def __init__(self, *args, with_terms: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_terms:  # without the credit terms permission
            del self.fields["apply_group_terms"]


class ApproveApplicationsForm(GroupChoiceForm):
    group = forms.ModelChoiceField(
        label=_("Customer group"),
        queryset=None,
        help_text=_(
            "Approved customers join this group and get its payment terms and credit limit."
        ),
    )


class RejectApplicationsForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Sent to the applicant in the rejection email."),
    )


class AccountEraseForm(forms.Form):
    """A customer confirms, with their password, that their account is to be erased."""

    confirm = forms.BooleanField(
        label=_("I understand that my account and my details are deleted for good"),
        error_messages={"required": _("Tick this box to confirm that you want to go on.")},
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To confirm that it is you."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("This is not your password. Type it again."), code="password_incorrect"
            )
        return password


class EraseCustomersForm(forms.Form):
    """The admin's confirmation page before customers are erased: nothing to fill in."""
