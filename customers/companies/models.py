"""Companies that buy together: the company holds the group, the terms and the credit; its
members (users) buy for it with a role and, for buyers, a spending limit per order."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import vat_numbers

# customers.models.VatCheckResult's choices (that module imports this one).
VAT_CHECK_CHOICES = [
    ("valid", _("Valid (registered in VIES)")),
    ("invalid", _("Not registered in VIES")),
    ("unavailable", _("Could not be checked (VIES unavailable)")),
]


class Company(models.Model):
    name = models.CharField(_("name"), max_length=200)
    vat_id = models.CharField(_("VAT id"), max_length=40, blank=True)
    vat_check_result = models.CharField(
        _("online VAT check (VIES)"),
        max_length=12,
        choices=VAT_CHECK_CHOICES,
        blank=True,
        help_text=_("What VIES answered for this VAT id; empty when it was not checked."),
    )
    vat_checked_at = models.DateTimeField(_("VAT id checked at"), null=True, blank=True)
    group = models.ForeignKey(
        "customers.CustomerGroup",
        on_delete=models.PROTECT,
        related_name="companies",
        verbose_name=_("group"),
    )
    payment_terms_days = models.PositiveIntegerField(_("payment terms (days)"), default=0)
    credit_limit = models.DecimalField(
        _("credit limit"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    buyers_see_company_orders = models.BooleanField(
        _("buyers see the company's orders"),
        default=False,
        help_text=_(
            "Buyers see every order of the company in their order history, not only their "
            "own. Company admins and approvers always do."
        ),
    )

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name", "id"]
        indexes = [models.Index(Lower("name"), name="company_name_lower")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.vat_id:
            if not vat_numbers.is_valid(self.vat_id):
                raise ValidationError({"vat_id": vat_numbers.INVALID_MESSAGE})
            self.vat_id = vat_numbers.normalise(self.vat_id)

    @property
    def vat_id_is_valid(self) -> bool:
        """A VAT id with a valid format and check digits that VIES did not reject."""
        return vat_numbers.is_valid(self.vat_id) and self.vat_check_result != "invalid"


class CompanyRole(models.TextChoices):
    ADMIN = "admin", _("Company admin")
    BUYER = "buyer", _("Buyer")
    APPROVER = "approver", _("Approver")


class CompanyMember(models.Model):
    """A user's place in their one company."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="members", verbose_name=_("company")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="company_membership",
        verbose_name=_("user"),
    )
    role = models.CharField(
        _("role"), max_length=12, choices=CompanyRole.choices, default=CompanyRole.BUYER
    )
    spending_limit = models.DecimalField(
        _("spending limit per order"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Orders above it go to an approver. Empty: no limit."),
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("company member")
        verbose_name_plural = _("company members")
        ordering = ["company", "user__email"]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.company})"


class CompanyInvitation(models.Model):
    """An email address a company admin invited to join the company with a role.

    The link carries a random token (256 bits); only its SHA-256 hash is stored, so a leaked
    database holds no live link. A link works once, until `expires_at`, unless revoked. A
    new invitation of the same address replaces the pending one (at most one pending per
    company and address)."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("company")
    )
    email = models.EmailField(_("email address"), max_length=254)
    role = models.CharField(
        _("role"), max_length=12, choices=CompanyRole.choices, default=CompanyRole.BUYER
    )
    spending_limit = models.DecimalField(
        _("spending limit per order"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("company invitation")
        verbose_name_plural = _("company invitations")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["company", "-created_at"], name="invitation_by_company"),
        ]
        constraints = [
            models.UniqueConstraint(
                "company",
                Lower("email"),
                condition=models.Q(accepted_at=None, revoked_at=None),
                name="invitation_one_pending_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()}, {self.company})"

    def is_pending(self, now=None) -> bool:
        """Neither accepted nor revoked, and not expired."""
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and (now or timezone.now()) < self.expires_at
        )
