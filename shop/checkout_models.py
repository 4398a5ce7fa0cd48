"""Carts, addresses, shipping and payment configuration, orders.

Imported by `shop.models` (the app's models module) so Django registers them under `shop`.
Orders keep snapshots of everything they were placed with: deleting a product, a customer or
a group sets their foreign keys to NULL and never removes or changes an order.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.countries import COUNTRIES


class Cart(models.Model):
    """A customer's persistent cart (one per account) or a guest's cart (keyed by a random
    token kept in their session)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cart",
        verbose_name=_("customer"),
    )
    token = models.CharField(_("guest token"), max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, token__isnull=True)
                | models.Q(user__isnull=True, token__isnull=False),
                name="cart_customer_xor_guest",
            ),
        ]

    def __str__(self):
        return str(self.user) if self.user_id else _("Guest cart %(id)s") % {"id": self.pk}


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "shop.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="cartline_one_per_product"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="cartline_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.product_id}"


class Address(models.Model):
    """An entry of a customer's address book."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="addresses",
        verbose_name=_("customer"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    company = models.CharField(_("company"), max_length=200, blank=True)
    line1 = models.CharField(_("address"), max_length=200)
    line2 = models.CharField(_("address (line 2)"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # The fields an order snapshots (and the checkout forms ask for).
    SNAPSHOT_FIELDS = (
        "full_name",
        "company",
        "line1",
        "line2",
        "postal_code",
        "city",
        "country",
        "phone",
    )

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return ", ".join(
            part for part in (self.full_name, self.company, self.line1, self.city) if part
        )

    def as_snapshot(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.SNAPSHOT_FIELDS}


class ShippingMethod(models.Model):
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=200, blank=True)
    price = models.DecimalField(
        _("price (net)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Taxed at the destination's standard rate."),
    )
    free_above = models.DecimalField(
        _("free above"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "Free when the goods total reaches this amount (as the buyer sees it: including "
            "tax for groups that see gross prices). Empty: never free."
        ),
    )
    min_subtotal = models.DecimalField(
        _("offered from"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Offered only when the net goods subtotal reaches this amount."),
    )
    groups = models.ManyToManyField(
        "customers.CustomerGroup",
        blank=True,
        related_name="+",
        verbose_name=_("customer groups"),
        help_text=_("Leave empty for everyone."),
    )
    countries = models.CharField(
        _("countries"),
        max_length=400,
        blank=True,
        help_text=_("ISO codes separated by commas (FR, BE, DE). Leave empty for everywhere."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("shipping method")
        verbose_name_plural = _("shipping methods")
        ordering = ["position", "price", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="shippingmethod_price_not_negative"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def country_codes(self) -> set[str]:
        return {code.strip().upper() for code in self.countries.split(",") if code.strip()}

    def clean(self):
        super().clean()
        self.countries = ", ".join(sorted(self.country_codes))


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    ON_ACCOUNT = "on_account", _("Pay on account")


class CheckoutPolicy(models.Model):
    """How a customer group may check out. A group without a policy gets the defaults: guest
    checkout and bank transfer, no payment on account."""

    group = models.OneToOneField(
        "customers.CustomerGroup",
        on_delete=models.CASCADE,
        related_name="checkout_policy",
        verbose_name=_("customer group"),
    )
    guest_checkout = models.BooleanField(
        _("guest checkout"),
        default=True,
        help_text=_("Guests may order without an account (only matters for the default group)."),
    )
    bank_transfer = models.BooleanField(_("bank transfer"), default=True)
    pay_on_account = models.BooleanField(
        _("pay on account"),
        default=False,
        help_text=_("For customers with payment terms and enough available credit."),
    )

    class Meta:
        verbose_name = _("checkout policy")
        verbose_name_plural = _("checkout policies")

    def __str__(self):
        return str(self.group)


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Placed")
    PAID = "paid", _("Paid")
    SHIPPED = "shipped", _("Shipped")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Order(models.Model):
    """A placed order: a snapshot never edited afterwards except its status."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    access_token = models.CharField(_("access secret"), max_length=64, editable=False)
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=64, unique=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.PLACED
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("customer"),
    )
    email = models.EmailField(_("email"))
    group = models.ForeignKey(
        "customers.CustomerGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer group"),
    )
    group_name = models.CharField(_("customer group name"), max_length=100)
    company_name = models.CharField(_("company"), max_length=200, blank=True)
    vat_id = models.CharField(_("VAT id"), max_length=40, blank=True)
    billing_address = models.JSONField(_("billing address"))
    shipping_address = models.JSONField(_("shipping address"))
    country = models.CharField(_("shipping country"), max_length=2)
    shipping_method = models.ForeignKey(
        ShippingMethod,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shipping method"),
    )
    shipping_method_name = models.CharField(_("shipping method name"), max_length=100)
    payment_method = models.CharField(
        _("payment method"), max_length=20, choices=PaymentMethod.choices
    )
    payment_terms_days = models.PositiveIntegerField(_("payment terms (days)"), default=0)
    payment_due = models.DateField(_("payment due"), null=True, blank=True)
    prices_include_tax = models.BooleanField(_("prices shown incl. tax"))
    currency = models.CharField(_("currency"), max_length=3)
    subtotal = models.DecimalField(_("subtotal (net)"), max_digits=14, decimal_places=2)
    discount_name = models.CharField(_("cart discount"), max_length=120, blank=True)
    discount_amount = models.DecimalField(
        _("discount (net)"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    shipping_net = models.DecimalField(_("shipping (net)"), max_digits=12, decimal_places=2)
    shipping_tax_rate = models.DecimalField(_("shipping tax rate"), max_digits=5, decimal_places=4)
    shipping_tax = models.DecimalField(_("shipping tax"), max_digits=12, decimal_places=2)
    net_total = models.DecimalField(_("net total"), max_digits=14, decimal_places=2)
    # As the buyer saw them (gross for groups that see prices with tax).
    display_subtotal = models.DecimalField(_("subtotal as shown"), max_digits=14, decimal_places=2)
    display_discount = models.DecimalField(
        _("discount as shown"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    display_shipping = models.DecimalField(_("shipping as shown"), max_digits=12, decimal_places=2)
    tax_total = models.DecimalField(_("tax total"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    stock_returned = models.BooleanField(_("stock returned"), default=False, editable=False)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-id"]
        indexes = [
            models.Index(fields=["user", "placed_at"]),
            models.Index(fields=["status", "placed_at"]),
            models.Index(fields=["user", "payment_method", "paid_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(total__gte=0), name="order_total_positive"),
        ]

    def __str__(self):
        return self.number


class OrderLine(models.Model):
    """One product of an order as it was sold: name, price, tax and the rule that priced it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "shop.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    base_unit_price = models.DecimalField(_("base unit price"), max_digits=12, decimal_places=2)
    unit_price = models.DecimalField(_("unit price (net)"), max_digits=12, decimal_places=2)
    line_total = models.DecimalField(_("line total (net)"), max_digits=14, decimal_places=2)
    discount_share = models.DecimalField(_("discount share"), max_digits=14, decimal_places=2)
    tax_class = models.CharField(_("tax class"), max_length=16)
    tax_rate = models.DecimalField(_("tax rate"), max_digits=5, decimal_places=4)
    tax = models.DecimalField(_("tax"), max_digits=14, decimal_places=2)
    display_unit_price = models.DecimalField(
        _("unit price as shown"), max_digits=12, decimal_places=2
    )
    display_total = models.DecimalField(_("line total as shown"), max_digits=14, decimal_places=2)
    price_rule_id = models.PositiveBigIntegerField(_("price rule id"), null=True, blank=True)
    price_rule_name = models.CharField(_("price rule"), max_length=120, blank=True)
    explanation = models.JSONField(_("price explanation"), default=list)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="orderline_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.sku}"
