"""Payment methods and, per customer group, which of them (and guest checkout) it may use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
