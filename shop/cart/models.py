"""Carts: one per customer account, or one per guest session (keyed by a random token)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    # The accepted quote whose prices the cart carries (`shop.quotes`), until it is ordered.
    quote = models.ForeignKey(
        "shop.Quote",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quote"),
    )
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
