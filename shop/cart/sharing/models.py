"""A shared cart link and the lines it captured.

A link is a **snapshot**: the cart's lines (product, quantity) as they were when it was
shared. The recipient reviews what the sharer decided, while the sharer may keep shopping;
a live view of the sharer's cart would also let whoever holds the link watch that cart for
as long as the link lives. Prices are never stored: the recipient always sees the lines
priced for themselves, now.

Only the SHA-256 hash of the link's token is stored, so a leaked database reveals no live
link. The owner is the sharer's cart (a customer's persistent cart, or a guest's cart): the
links end with it (a guest's cart is merged away at login, a customer's on account erasure).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SharedCart(models.Model):
    cart = models.ForeignKey(
        "shop.Cart", on_delete=models.CASCADE, related_name="+", verbose_name=_("shared from")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    first_name = models.CharField(_("first name"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("shared"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    ordered_at = models.DateTimeField(_("ordered"), null=True, blank=True)
    order = models.ForeignKey(
        "shop.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first order placed from it"),
    )

    class Meta:
        verbose_name = _("shared cart")
        verbose_name_plural = _("shared carts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["cart", "-created_at"], name="sharedcart_by_cart")]

    def __str__(self):
        return _("Shared cart %(id)s") % {"id": self.pk}

    def is_live(self, now=None) -> bool:
        return self.revoked_at is None and (now or timezone.now()) < self.expires_at


class SharedCartLine(models.Model):
    shared_cart = models.ForeignKey(SharedCart, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "shop.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("shared cart line")
        verbose_name_plural = _("shared cart lines")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shared_cart", "product"], name="sharedcartline_one_per_product"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="sharedcartline_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.product_id}"
