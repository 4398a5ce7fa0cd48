"""The customer's address book."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


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
    country = CountryField(_("country"))
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
        # str(): the country is a django-countries Country, the snapshot keeps its code.
        return {name: str(getattr(self, name) or "") for name in self.SNAPSHOT_FIELDS}
