"""Placed orders. An order keeps snapshots of everything it was placed with: deleting a
product, a customer or a group sets their foreign keys to NULL and never removes or changes
an order."""

import re
from decimal import Decimal

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.payments.models import PaymentMethod
from shop.shipping.models import ShippingMethod

NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
NUMBER_PREFIX = "CPT-"
NUMBER_LENGTH = 8
NUMBER_PATTERN = re.compile(rf"{NUMBER_PREFIX}[{NUMBER_ALPHABET}]{{{NUMBER_LENGTH}}}")


def is_order_number(value) -> bool:
    """Whether `value` has the shape of an order number: anything else names no order and is
    never sent to the database (PostgreSQL refuses NUL characters in a query)."""
    return isinstance(value, str) and NUMBER_PATTERN.fullmatch(value) is not None


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
    # The company the buyer ordered for (its credit pays orders on account); kept when the
    # buyer later leaves the company.
    company = models.ForeignKey(
        "customers.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("company account"),
    )
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
    # Shipping split across the goods' rates: [{"rate", "net", "tax"}] as strings, adding up
    # to shipping_net and shipping_tax; empty for free shipping and orders placed before.
    shipping_vat = models.JSONField(_("shipping VAT per rate"), default=list, blank=True)
    net_total = models.DecimalField(_("net total"), max_digits=14, decimal_places=2)
    # As the buyer saw them (gross for groups that see prices with tax).
    display_subtotal = models.DecimalField(_("subtotal as shown"), max_digits=14, decimal_places=2)
    display_discount = models.DecimalField(
        _("discount as shown"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    display_shipping = models.DecimalField(_("shipping as shown"), max_digits=12, decimal_places=2)
    tax_total = models.DecimalField(_("tax total"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    # The VAT decision of the sale (shop.tax.vat) and the legal mention the order and its
    # invoice carry, in the words printed when it was placed.
    vat_regime = models.CharField(_("VAT regime"), max_length=20, blank=True)
    vat_mention = models.CharField(_("VAT mention"), max_length=300, blank=True)
    # The terms of sale the buyer accepted at checkout, exactly as published then (none for
    # trade buyers, whose account agreement has them, and when the shop published none).
    terms_version = models.ForeignKey(
        "shop.PageVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("terms of sale accepted"),
    )
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True)
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now)
    # For a company order above the buyer's limit or the company's credit: the approver who
    # had it placed (the order's customer is still the buyer).
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    stock_returned = models.BooleanField(_("stock returned"), default=False, editable=False)
    # The customer's emails: the language they ordered in, the parcel they can follow, and
    # the last payment reminder (`manage.py send_payment_reminders`).
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    carrier = models.CharField(_("carrier"), max_length=30, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    tracking_url = models.CharField(
        _("tracking link"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    last_reminder_at = models.DateTimeField(_("last payment reminder"), null=True, blank=True)

    # An order a shop manager took for the customer (by phone or email): who took it, and his
    # email as it was then (the account may be removed later).
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    taken_by_email = models.EmailField(_("taken by (email)"), blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-id"]
        permissions = [("take_order", _("Can take orders for customers"))]
        indexes = [
            models.Index(fields=["user", "placed_at"]),
            models.Index(fields=["status", "placed_at"]),
            models.Index(fields=["user", "payment_method", "paid_at"]),
            models.Index(fields=["company", "placed_at"]),
            models.Index(fields=["payment_method", "payment_due"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(total__gte=0), name="order_total_positive"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_on_account(self) -> bool:
        return self.payment_method == PaymentMethod.ON_ACCOUNT

    @property
    def awaits_payment(self) -> bool:
        """Not paid yet and still owed: a cancelled order is never waited for."""
        return self.paid_at is None and self.status != OrderStatus.CANCELLED

    @property
    def awaits_bank_transfer(self) -> bool:
        """The buyer still has to make the transfer (the pages show how)."""
        return self.awaits_payment and self.payment_method == PaymentMethod.BANK_TRANSFER


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
    quote = models.ForeignKey(
        "shop.Quote",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
        verbose_name=_("quote"),
    )
    reasons = models.JSONField(_("price explanation (structured)"), default=list)
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


class Refund(models.Model):
    """Money given back on an order, by lines (quantities) and shipping, through
    `services.order_refund`: never more than was paid. Refunding needs `shop.add_refund`."""

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("order")
    )
    net = models.DecimalField(_("net"), max_digits=14, decimal_places=2)
    tax = models.DecimalField(_("tax"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    provider_reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    return_stock = models.BooleanField(_("stock returned"), default=False)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    credit_note = models.OneToOneField(
        "shop.CreditNote",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refund",
        verbose_name=_("credit note"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_by_email = models.EmailField(_("by (email)"), blank=True)
    created_at = models.DateTimeField(_("refunded at"), default=timezone.now)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self):
        return f"{self.order.number}: {self.amount}"


class RefundLine(models.Model):
    """Units of one order line given back (`order_line` empty: the shipping)."""

    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        OrderLine, on_delete=models.PROTECT, null=True, blank=True, related_name="refund_lines"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    net = models.DecimalField(_("net"), max_digits=14, decimal_places=2)
    tax = models.DecimalField(_("tax"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("refund line")
        verbose_name_plural = _("refund lines")
        ordering = ["id"]

    def __str__(self):
        return f"{self.quantity} x {self.order_line_id or 'shipping'}"

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


class OrderEmailKind(models.TextChoices):
    PLACED = "placed", _("Order confirmation")
    PAID = "paid", _("Payment received")
    SHIPPED = "shipped", _("Shipped")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refund")
    PAYMENT_REMINDER = "payment_reminder", _("Payment reminder")


class OrderEmail(models.Model):
    """An email sent to the customer about an order: by the shop as the order moved on (no
    `sent_by`), or resent by a manager from the order's page."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="emails", verbose_name=_("order")
    )
    kind = models.CharField(_("email"), max_length=20, choices=OrderEmailKind.choices)
    to = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resent by"),
    )
    sent_by_email = models.EmailField(_("resent by (email)"), blank=True)

    class Meta:
        verbose_name = _("order email")
        verbose_name_plural = _("order emails")
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["order", "sent_at"])]

    def __str__(self):
        return f"{self.order_id} {self.kind}"
