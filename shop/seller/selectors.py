"""The shop's details, read on almost every page (footer), so cached until they are saved."""

from django.conf import settings
from django.core.cache import cache

from .models import SINGLETON_ID, ShopDetails

CACHE_KEY = "shop-details"


def shop_details() -> ShopDetails:
    """The saved details, or unsaved defaults (the shop's name) before a manager enters them."""
    details = cache.get(CACHE_KEY)
    if details is None:
        details = ShopDetails.objects.filter(pk=SINGLETON_ID).first() or ShopDetails(
            pk=SINGLETON_ID, legal_name=settings.SHOP_NAME
        )
        cache.set(CACHE_KEY, details, timeout=None)
    return details


def seller_identity(*, with_bank: bool = False) -> dict:
    """The seller as an invoice prints it (legal identity, address, contacts; the bank account
    too with `with_bank`, when one is entered): what an issued invoice keeps in its document
    and what the pro forma shows before the invoice is issued."""
    details = shop_details()
    seller = {
        "legal_name": details.legal_name,
        "legal_form": details.legal_form,
        "address": [
            line
            for line in (
                details.address_line1,
                details.address_line2,
                " ".join(part for part in (details.postal_code, details.city) if part),
            )
            if line
        ],
        "country": settings.SHOP_DEFAULT_COUNTRY,
        "vat_id": details.vat_id,
        "registration_number": details.registration_number,
        "email": details.email,
        "phone": details.phone,
        "invoice_notes": details.invoice_notes,
    }
    if with_bank and details.has_bank_details:
        seller["bank"] = {"name": details.bank_name, "iban": details.iban, "bic": details.bic}
    return seller
