"""Payment methods, per customer group which of them (and guest checkout) it may use, and the
card payments taken through django-payments."""

from urllib.parse import urljoin

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from payments import PurchasedItem
from payments.core import get_base_url
from payments.models import BasePayment


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    ON_ACCOUNT = "on_account", _("Pay on account")
    CARD = "card", _("Card")


class CheckoutPolicy(models.Model):
    """How a customer group may check out. A group without a policy gets the defaults: guest
    checkout, card and bank transfer, no payment on account."""

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
    card = models.BooleanField(
        _("card"),
        default=True,
        help_text=_("Pay by card through the payment provider, right after placing the order."),
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


class CardPayment(BasePayment):
    """One attempt to pay an order by card, as the provider (django-payments) reports it.

    The order is referred to by its model label: the payments layer sits below the orders
    layer and never imports it. `settled_at` records that this payment's confirmation was
    applied to the order (once); `attention` flags a payment a manager must look at: money
    taken for an order that was cancelled meanwhile, already paid, or for another amount."""

    order = models.ForeignKey(
        "shop.Order",
        on_delete=models.PROTECT,
        related_name="card_payments",
        verbose_name=_("order"),
    )
    settled_at = models.DateTimeField(_("applied to the order at"), null=True, blank=True)
    attention = models.BooleanField(_("needs attention"), default=False)
    attention_reason = models.CharField(_("why"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("card payment")
        verbose_name_plural = _("card payments")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["order", "status"])]

    def __str__(self):
        return f"{self.order_id} {self.total} {self.currency} ({self.status})"

    def _order_path(self, suffix: str) -> str:
        order = self.order
        if order.user_id:
            return reverse(f"payments:{suffix}", args=[order.number])
        return reverse(f"payments:guest_{suffix}", args=[order.number, order.access_token])

    def local_success_url(self) -> str:
        return self._order_path("paid")

    def local_failure_url(self) -> str:
        return self._order_path("failed")

    # django-payments: absolute addresses the provider sends the buyer back to.
    def get_success_url(self) -> str:
        return urljoin(get_base_url(), self.local_success_url())

    def get_failure_url(self) -> str:
        return urljoin(get_base_url(), self.local_failure_url())

    def get_purchased_items(self):
        """The order as one item of its total: what the buyer is charged is the order's total,
        its lines and VAT are on the order and its invoice."""
        yield PurchasedItem(
            name=str(_("Order %(number)s") % {"number": self.order.number}),
            quantity=1,
            price=self.total,
            currency=self.currency,
            sku=self.order.number,
        )
