"""The seller's identity: what invoices, emails and the footer say about who sells. One row.

The shop's country for VAT is `SHOP_DEFAULT_COUNTRY` (settings), not a field: changing where
the seller is established changes every tax decision and is a deployment decision."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

SINGLETON_ID = 1

iban_validator = RegexValidator(
    r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$",
    _("Enter an IBAN: two letters, two check digits, then the account number, no spaces."),
)
bic_validator = RegexValidator(
    r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$",
    _("Enter a BIC of 8 or 11 letters and digits."),
)


class ShopDetails(models.Model):
    legal_name = models.CharField(_("legal name"), max_length=200)
    legal_form = models.CharField(
        _("legal form and capital"),
        max_length=200,
        blank=True,
        help_text=_("For example: SAS au capital de 10 000 €."),
    )
    address_line1 = models.CharField(_("address"), max_length=200)
    address_line2 = models.CharField(_("address (line 2)"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20)
    city = models.CharField(_("city"), max_length=100)
    vat_id = models.CharField(_("VAT number"), max_length=20, blank=True)
    registration_number = models.CharField(
        _("company registration number"),
        max_length=100,
        blank=True,
        help_text=_("For example: RCS Lyon 123 456 789."),
    )
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[iban_validator])
    bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[bic_validator])
    invoice_notes = models.TextField(
        _("invoice notes"),
        blank=True,
        help_text=_("Printed at the foot of every invoice: late payment terms, for example."),
    )

    class Meta:
        verbose_name = _("shop details")
        verbose_name_plural = _("shop details")
        permissions = [("change_bank_details", _("Can change the shop's bank details"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=SINGLETON_ID), name="shopdetails_single_row"
            ),
        ]

    def __str__(self):
        return self.legal_name

    def clean(self):
        super().clean()
        self.iban = "".join(self.iban.split()).upper()
        self.bic = "".join(self.bic.split()).upper()
        self.vat_id = "".join(self.vat_id.split()).upper()

    @property
    def has_bank_details(self) -> bool:
        return bool(self.iban)
