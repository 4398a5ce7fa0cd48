from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from . import vat_numbers
from .companies.models import Company, CompanyMember, CompanyRole


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their email address (unique regardless of case)."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class CustomerGroup(models.Model):
    """Who a buyer is: decides prices, tax display, rules, catalogue, shipping and payment."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    is_default = models.BooleanField(
        _("default group"),
        default=False,
        help_text=_("Guests and new accounts belong to the default group. Exactly one."),
    )
    prices_include_tax = models.BooleanField(
        _("prices include tax"), default=True, help_text=_("Show gross prices (incl. VAT).")
    )
    portal_access = models.BooleanField(_("wholesale portal access"), default=False)
    can_request_quotes = models.BooleanField(
        _("requests for quotes"),
        default=False,
        help_text=_(
            "Customers of this group may ask for a quote from their cart. Groups with the "
            "wholesale portal always may."
        ),
    )
    requires_approval = models.BooleanField(
        _("requires approval"),
        default=False,
        help_text=_("Customers join this group only through an approved application."),
    )
    auto_approve_applications = models.BooleanField(
        _("approve applications automatically"),
        default=False,
        help_text=_("Applications for this group are approved as soon as they are submitted."),
    )
    receives_applications = models.BooleanField(
        _("receives wholesale applications"),
        default=False,
        help_text=_(
            "Approved wholesale applications join this group unless the manager picks "
            "another. At most one group."
        ),
    )
    min_order_subtotal = models.DecimalField(
        _("minimum order value"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Net subtotal an order must reach. Empty for none."),
    )
    default_payment_terms_days = models.PositiveIntegerField(
        _("default payment terms (days)"), default=0
    )
    default_credit_limit = models.DecimalField(
        _("default credit limit"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("customer group")
        verbose_name_plural = _("customer groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="customergroup_single_default",
            ),
            models.UniqueConstraint(
                fields=["receives_applications"],
                condition=models.Q(receives_applications=True),
                name="customergroup_single_application_target",
            ),
        ]

    def __str__(self):
        return self.name


class VatCheckResult(models.TextChoices):
    """The answer of the online VAT check (VIES) for a VAT id."""

    VALID = "valid", _("Valid (registered in VIES)")
    INVALID = "invalid", _("Not registered in VIES")
    UNAVAILABLE = "unavailable", _("Could not be checked (VIES unavailable)")


class CustomerProfile(models.Model):
    """The commercial side of a user: their one group and their terms."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    group = models.ForeignKey(
        CustomerGroup,
        on_delete=models.PROTECT,
        related_name="profiles",
        verbose_name=_("group"),
    )
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    vat_id = models.CharField(_("VAT id"), max_length=40, blank=True)
    vat_check_result = models.CharField(
        _("online VAT check (VIES)"),
        max_length=12,
        choices=VatCheckResult.choices,
        blank=True,
        help_text=_("What VIES answered for this VAT id; empty when it was not checked."),
    )
    vat_checked_at = models.DateTimeField(_("VAT id checked at"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the shop and of the emails sent to this customer."),
    )
    payment_terms_days = models.PositiveIntegerField(_("payment terms (days)"), default=0)
    credit_limit = models.DecimalField(
        _("credit limit"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("customer profile")
        verbose_name_plural = _("customer profiles")
        permissions = [
            ("change_credit_terms", _("Can change credit limits and payment terms")),
        ]

    def __str__(self):
        return self.company_name or str(self.user)

    def clean(self):
        super().clean()
        if self.vat_id:
            if not vat_numbers.is_valid(self.vat_id):
                raise ValidationError({"vat_id": vat_numbers.INVALID_MESSAGE})
            self.vat_id = vat_numbers.normalise(self.vat_id)

    @property
    def vat_id_is_valid(self) -> bool:
        """A VAT id with a valid format and check digits that VIES did not reject."""
        return vat_numbers.is_valid(self.vat_id) and self.vat_check_result != VatCheckResult.INVALID


class MonthlyVolume(models.TextChoices):
    UNDER_1K = "lt1k", _("Less than €1,000")
    FROM_1K = "1k-5k", _("€1,000 to €5,000")
    FROM_5K = "5k-20k", _("€5,000 to €20,000")
    OVER_20K = "gt20k", _("More than €20,000")


class WholesaleApplication(models.Model):
    """A customer's request for a trade account, decided by a manager (or automatically)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="wholesale_applications",
        verbose_name=_("applicant"),
    )
    company_name = models.CharField(_("company name"), max_length=200)
    vat_id = models.CharField(_("VAT id"), max_length=40)
    vat_check_result = models.CharField(
        _("online VAT check (VIES)"), max_length=12, choices=VatCheckResult.choices, blank=True
    )
    vat_checked_at = models.DateTimeField(_("VAT id checked at"), null=True, blank=True)
    country = CountryField(_("country"))
    phone = models.CharField(_("phone"), max_length=40)
    monthly_volume = models.CharField(
        _("expected monthly volume"), max_length=10, choices=MonthlyVolume.choices
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    group = models.ForeignKey(
        CustomerGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("group granted"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
        help_text=_("Empty when the application was approved automatically."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    class Meta:
        verbose_name = _("wholesale application")
        verbose_name_plural = _("wholesale applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="application_one_pending_per_customer",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.company_name} ({self.get_status_display()})"


__all__ = [
    "Company",
    "CompanyMember",
    "CompanyRole",
    "CustomerGroup",
    "CustomerProfile",
    "User",
    "WholesaleApplication",
]
