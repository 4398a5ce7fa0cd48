"""Price rules, quantity rules and cart discounts as managers edit them, and `PricingVersion`.

Saving a rule changes nothing else: the write paths (the admin, the demo seed) bump
`PricingVersion` after their writes, so every process reloads its compiled rule set on its next
request (see `pricing.services.rules_changed`)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from .engine import ENDED, NOT_STARTED, window_state

HUNDRED = Decimal("100")


def validate_scope(rule) -> None:
    if rule.product_id and rule.category_id:
        raise ValidationError(
            _("Choose a product or a category, not both (leave both empty for everything).")
        )


def validate_window(rule) -> None:
    """A window must hold its own start: with the end exclusive, an end at or before the start
    would leave the rule never running."""
    if rule.starts_at is not None and window_state(rule, rule.starts_at) == ENDED:
        raise ValidationError({"ends_at": _("The end must come after the start.")})


def scope_constraint(prefix: str):
    return models.CheckConstraint(
        condition=~models.Q(product__isnull=False, category__isnull=False),
        name=f"{prefix}_product_or_category",
    )


def window_filter(state: str, at) -> models.Q:
    """The rows whose window is in ``state`` at ``at``: `engine.window_state` as a query."""
    started = models.Q(starts_at__isnull=True) | models.Q(starts_at__lte=at)
    if state == NOT_STARTED:
        return models.Q(starts_at__gt=at)
    if state == ENDED:
        return started & models.Q(ends_at__lte=at)
    return started & (models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=at))


def window_constraint(prefix: str):
    return models.CheckConstraint(
        condition=models.Q(starts_at__isnull=True)
        | models.Q(ends_at__isnull=True)
        | models.Q(ends_at__gt=models.F("starts_at")),
        name=f"{prefix}_window_order",
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
        if self.customer_id and self.company_id:
            raise ValidationError(
                _(
                    "Choose a customer or a company, not both (a company's rule applies to "
                    "all its members)."
                )
            )
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
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        validate_scope(self)
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


class PricingVersion(models.Model):
    """One row whose token changes whenever anything the compiled rules depend on changes.

    A random token rather than a counter: a bump inside a transaction that rolls back must
    not leave a process believing its rules match a later, different bump."""

    token = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = _("pricing version")

    def __str__(self):
        return str(self.token)

    @classmethod
    def bump(cls) -> None:
        if not cls.objects.filter(pk=1).update(token=uuid.uuid4()):
            cls.objects.get_or_create(pk=1)

    @classmethod
    def current(cls) -> str:
        token = cls.objects.filter(pk=1).values_list("token", flat=True).first()
        return str(token) if token else ""


class RuleImport(models.Model):
    """One confirmed import of rules from a file, with what it changed, so that the most recent
    import of each model can be undone: the rows as they were before (changed and removed),
    as the import left them (to tell whether anyone edited them since) and the ids it added.
    Rows are Django's serialized form (`pricing.imports.services`)."""

    model = models.CharField(_("rules"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    counts = models.JSONField(_("counts"), default=dict)
    created_ids = models.JSONField(default=list)
    rows_before = models.JSONField(default=list)
    rows_after = models.JSONField(default=list)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        verbose_name = _("rule import")
        verbose_name_plural = _("rule imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["model", "-created_at"])]

    def __str__(self):
        return f"{self.model} {self.created_at:%Y-%m-%d %H:%M}"
