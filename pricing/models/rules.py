"""Price rules, quantity rules and cart discounts as managers edit them."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from .common import (
    HUNDRED,
    scope_constraint,
    validate_customer_or_company,
    validate_scope,
    validate_window,
    window_constraint,
)


class PriceRule(models.Model):
    class Kind(models.TextChoices):
        FIXED_PRICE = "fixed_price", _("Fixed unit price")
        PERCENT_OFF = "percent_off", _("Percent off the base price")
        AMOUNT_OFF = "amount_off", _("Amount off the base price")

    name = models.CharField(_("name"), max_length=120)
    group = models.ForeignKey(
        "customers.CustomerGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer group"),
        help_text=_("Empty: every group."),
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer"),
        help_text=_("A negotiated rule for this one buyer (overrides the group)."),
    )
    # PROTECT: a company's negotiated prices are a contract; deleting the company must not drop
    # them silently (without a pricing version bump, and leaving an import undo that could not
    # restore them). Its rules are removed or moved first, in the price rule admin.
    company = models.ForeignKey(
        "customers.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="price_rules",
        verbose_name=_("company"),
        help_text=_(
            "A negotiated rule for every member of this company (overrides the group; a "
            "customer's own rule overrides it)."
        ),
    )
    product = models.ForeignKey(
        "shop.Product",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    category = models.ForeignKey(
        "shop.Category",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
        help_text=_("Applies to the category and everything below it."),
    )
    starts_at = models.DateTimeField(
        _("starts"), null=True, blank=True, help_text=_("Empty: already running.")
    )
    ends_at = models.DateTimeField(
        _("ends"), null=True, blank=True, help_text=_("Exclusive. Empty: no end.")
    )
    min_quantity = models.PositiveIntegerField(
        _("from quantity"), default=1, validators=[MinValueValidator(1)]
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    value = models.DecimalField(
        _("value"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("A net unit price, a percentage, or an amount, depending on the kind."),
    )
    priority = models.IntegerField(
        _("priority"), default=0, help_text=_("Higher wins before any other consideration.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("price rule")
        verbose_name_plural = _("price rules")
        ordering = ["-priority", "name", "id"]
        indexes = [models.Index(fields=["is_active", "ends_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(min_quantity__gte=1), name="pr_min_qty"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="pr_value_positive"),
            models.CheckConstraint(
                condition=~models.Q(kind="percent_off", value__gt=100), name="pr_percent_max"
            ),
            window_constraint("pr"),
            scope_constraint("pr"),
            models.CheckConstraint(
                condition=~models.Q(customer__isnull=False, company__isnull=False),
                name="pr_customer_or_company",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        validate_scope(self)
        validate_window(self)
        validate_customer_or_company(self)
        if self.kind == self.Kind.PERCENT_OFF and self.value is not None and self.value > HUNDRED:
            raise ValidationError({"value": _("A percentage cannot be more than 100.")})


class QuantityRule(models.Model):
    name = models.CharField(_("name"), max_length=120)
    group = models.ForeignKey(
        "customers.CustomerGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer group"),
        help_text=_("Empty: every group."),
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer"),
        help_text=_("A negotiated rule for this one buyer (overrides the group)."),
    )
    # PROTECT, as for price rules: a company's negotiated minimums and pack sizes are part of
    # its contract and go away only through the quantity rule admin.
    company = models.ForeignKey(
        "customers.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quantity_rules",
        verbose_name=_("company"),
        help_text=_(
            "A negotiated rule for every member of this company (overrides the group; a "
            "customer's own rule overrides it)."
        ),
    )
    product = models.ForeignKey(
        "shop.Product",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    category = models.ForeignKey(
        "shop.Category",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
        help_text=_("Applies to the category and everything below it."),
    )
    min_quantity = models.PositiveIntegerField(
        _("minimum quantity"), default=1, validators=[MinValueValidator(1)]
    )
    max_quantity = models.PositiveIntegerField(
        _("maximum quantity"), null=True, blank=True, help_text=_("Empty: no maximum.")
    )
    step = models.PositiveIntegerField(
        _("pack size (step)"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Quantities must be a multiple of this."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("quantity rule")
        verbose_name_plural = _("quantity rules")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["is_active"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(min_quantity__gte=1), name="qr_min_qty"),
            models.CheckConstraint(condition=models.Q(step__gte=1), name="qr_step_positive"),
            models.CheckConstraint(
                condition=models.Q(max_quantity__isnull=True)
                | models.Q(max_quantity__gte=models.F("min_quantity")),
                name="qr_min_le_max",
            ),
            models.CheckConstraint(
                condition=Exact(Mod("min_quantity", "step"), 0), name="qr_min_multiple_of_step"
            ),
            models.CheckConstraint(
                condition=models.Q(max_quantity__isnull=True)
                | Exact(Mod("max_quantity", "step"), 0),
                name="qr_max_multiple_of_step",
            ),
            scope_constraint("qr"),
            models.CheckConstraint(
                condition=~models.Q(customer__isnull=False, company__isnull=False),
                name="qr_customer_or_company",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        validate_scope(self)
        validate_customer_or_company(self)
        errors = {}
        step = self.step or 1
        if self.min_quantity and self.min_quantity % step:
            errors["min_quantity"] = _(
                "The minimum must be a multiple of the pack size (%(step)s)."
            ) % {"step": step}
        if self.max_quantity is not None:
            if self.min_quantity and self.max_quantity < self.min_quantity:
                errors["max_quantity"] = _("The maximum cannot be below the minimum.")
            elif self.max_quantity % step:
                errors["max_quantity"] = _(
                    "The maximum must be a multiple of the pack size (%(step)s)."
                ) % {"step": step}
        if errors:
            raise ValidationError(errors)


class CartDiscount(models.Model):
    class Kind(models.TextChoices):
        PERCENT = "percent", _("Percent off the subtotal")
        AMOUNT = "amount", _("Amount off the subtotal")

    name = models.CharField(_("name"), max_length=120)
    groups = models.ManyToManyField(
        "customers.CustomerGroup",
        blank=True,
        related_name="+",
        verbose_name=_("customer groups"),
        help_text=_("Empty: every group."),
    )
    min_subtotal = models.DecimalField(
        _("minimum subtotal (net)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    value = models.DecimalField(
        _("value"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    starts_at = models.DateTimeField(
        _("starts"), null=True, blank=True, help_text=_("Empty: already running.")
    )
    ends_at = models.DateTimeField(
        _("ends"), null=True, blank=True, help_text=_("Exclusive. Empty: no end.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cart discount")
        verbose_name_plural = _("cart discounts")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gte=0), name="cd_value_positive"),
            models.CheckConstraint(
                condition=models.Q(min_subtotal__gte=0), name="cd_min_subtotal_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="percent", value__gt=100), name="cd_percent_max"
            ),
            window_constraint("cd"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        validate_window(self)
        if self.kind == self.Kind.PERCENT and self.value is not None and self.value > HUNDRED:
            raise ValidationError({"value": _("A percentage cannot be more than 100.")})
