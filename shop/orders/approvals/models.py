"""Orders a company member asked an approver to place: over the member's spending limit per
order or over the company's available credit. A request keeps what to place (lines, addresses,
shipping, payment) until an approver approves it (the order is placed then), rejects it, or
the buyer cancels it."""

import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.payments.models import PaymentMethod
from shop.shipping.models import ShippingMethod

from ..models import NUMBER_ALPHABET, NUMBER_LENGTH, Order

APPROVAL_PREFIX = "PA-"
APPROVAL_PATTERN = re.compile(rf"{APPROVAL_PREFIX}[{NUMBER_ALPHABET}]{{{NUMBER_LENGTH}}}")


def is_approval_number(value) -> bool:
    """Whether `value` has the shape of a request number (anything else is never queried)."""
    return isinstance(value, str) and APPROVAL_PATTERN.fullmatch(value) is not None


class ApprovalReason(models.TextChoices):
    OVER_LIMIT = "over_limit", _("Over the buyer's spending limit")
    OVER_CREDIT = "over_credit", _("Over the company's available credit")


class ApprovalState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class OrderApproval(models.Model):
    """A request to place an order for a company, decided once by an approver or admin."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    # The review form's key: a replayed submit finds this request instead of making another.
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=64, unique=True, editable=False
    )
    company = models.ForeignKey(
        "customers.Company",
        on_delete=models.CASCADE,
        related_name="order_approvals",
        verbose_name=_("company"),
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="order_approvals",
        verbose_name=_("buyer"),
    )
    billing_address = models.JSONField(_("billing address"))
    shipping_address = models.JSONField(_("shipping address"))
    shipping_method = models.ForeignKey(
        ShippingMethod,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shipping method"),
    )
    payment_method = models.CharField(
        _("payment method"), max_length=20, choices=PaymentMethod.choices
    )
    terms_version = models.ForeignKey(
        "shop.PageVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("terms of sale accepted"),
    )
    total = models.DecimalField(_("total at submission"), max_digits=14, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=12, choices=ApprovalReason.choices)
    # The spending limit, or the credit available, that the total went over.
    threshold = models.DecimalField(_("limit exceeded"), max_digits=14, decimal_places=2)
    note = models.TextField(_("buyer's note"), max_length=1000, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=ApprovalState.choices, default=ApprovalState.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), max_length=1000, blank=True)
    order = models.OneToOneField(
        Order,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approval",
        verbose_name=_("order"),
    )
    # The shared cart link the buyer ordered from, if any: its sharer sees it ordered once
    # the request is approved.
    shared_cart = models.ForeignKey(
        "shop.SharedCart",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared cart"),
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("order approval request")
        verbose_name_plural = _("order approval requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["company", "state", "created_at"]),
            models.Index(fields=["buyer", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="approval_total_positive"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_pending(self) -> bool:
        return self.state == ApprovalState.REQUESTED


class OrderApprovalLine(models.Model):
    """A product and quantity to order; the price is the one of the day the order is placed."""

    approval = models.ForeignKey(OrderApproval, on_delete=models.CASCADE, related_name="lines")
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

    class Meta:
        verbose_name = _("order approval line")
        verbose_name_plural = _("order approval lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="approvalline_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.sku}"
