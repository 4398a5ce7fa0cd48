"""Saved lists (requisition lists): named lists of products and quantities a buyer reorders
from. A list belongs to one customer account, who alone changes it. Its owner may share it with
the company they buy for (`shared_with_company`): colleagues then read it and order from it at
their own prices, for as long as the owner and they are members of that company (see
`selectors.readable_lists`)."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 80
NOTE_MAX_LENGTH = 200


class SavedList(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_lists",
        verbose_name=_("customer"),
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    # The company the owner shared the list with; it is shared only while the owner is still a
    # member of it (joining another company later shares nothing with the new one).
    shared_with_company = models.ForeignKey(
        "customers.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared with company"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("saved list")
        verbose_name_plural = _("saved lists")
        ordering = ["owner", Lower("name"), "id"]
        constraints = [
            models.UniqueConstraint("owner", Lower("name"), name="savedlist_name_unique_per_owner"),
        ]

    def __str__(self):
        return self.name


class SavedListLine(models.Model):
    saved_list = models.ForeignKey(
        SavedList, on_delete=models.CASCADE, related_name="lines", verbose_name=_("saved list")
    )
    product = models.ForeignKey(
        "shop.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("saved list line")
        verbose_name_plural = _("saved list lines")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["saved_list", "product"], name="savedlistline_one_per_product"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="savedlistline_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.product_id}"
