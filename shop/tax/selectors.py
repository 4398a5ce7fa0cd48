"""Reads of the tax rates, the VAT standing of a buyer and the gaps in the rate table."""

from decimal import Decimal

from django.conf import settings
from stdnum.eu import vat as eu_vat

from customers.models import CustomerProfile

from . import vat
from .models import TaxClass, TaxRate


def tax_rate_table() -> dict[tuple[str, str], Decimal]:
    """(country, tax class) -> rate as a fraction."""
    return {
        (country, tax_class): rate
        for country, tax_class, rate in TaxRate.objects.values_list("country", "tax_class", "rate")
    }


def vat_buyer(customer) -> vat.Buyer:
    """A business for VAT when the customer's profile has a company name and a VAT number
    with a valid format and check digits (python-stdnum, no online check); else a consumer."""
    if customer is None or not getattr(customer, "is_authenticated", False):
        return vat.CONSUMER
    row = (
        CustomerProfile.objects.filter(user=customer).values_list("company_name", "vat_id").first()
    )
    if row is None:
        return vat.CONSUMER
    company_name, vat_id = row
    if not company_name.strip() or not vat_id or not eu_vat.is_valid(vat_id):
        return vat.CONSUMER
    return vat.Buyer(vat_country=vat.country_of_vat_number(eu_vat.compact(vat_id)))


def missing_rates(shipping_countries=()) -> list[tuple[str, str]]:
    """(country, tax class) pairs a sale may need and the table lacks: every tax class of the
    EU member states, the shop's own country and the EU countries in `shipping_countries`."""
    table = tax_rate_table()
    countries = set(vat.EU_MEMBER_STATES) | {vat.vat_territory(settings.SHOP_DEFAULT_COUNTRY)}
    countries |= {vat.vat_territory(c) for c in shipping_countries if vat.is_eu(c)}
    classes = [TaxClass.STANDARD, TaxClass.REDUCED, TaxClass.ZERO]
    return sorted(
        (country, str(tax_class))
        for country in countries
        for tax_class in classes
        if (country, tax_class) not in table
    )
