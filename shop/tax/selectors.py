"""Reads of the tax rates, the VAT standing of a buyer and the gaps in the rate table."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from stdnum.eu import vat as eu_vat

from customers import selectors as customer_selectors
from customers.companies import selectors as company_selectors

from . import vat
from .models import TaxClass, TaxRate


def tax_rate_table() -> dict[tuple[str, str], Decimal]:
    """(country, tax class) -> rate as a fraction."""
    return {
        (country, tax_class): rate
        for country, tax_class, rate in TaxRate.objects.values_list("country", "tax_class", "rate")
    }


@dataclass(frozen=True)
class _VatStanding:
    company_name: str
    vat_id: str
    vat_id_is_valid: bool


def _vat_profile(customer) -> _VatStanding | None:
    """The name and VAT id the customer buys under: their company's for a member, else their
    profile's."""
    if customer is None or not getattr(customer, "is_authenticated", False):
        return None
    profile = customer_selectors.profile_with_company(customer)
    member = (
        getattr(profile.user, "company_membership", None)
        if profile is not None
        else company_selectors.membership_for(customer)
    )
    if member is not None:
        company = member.company
        return _VatStanding(company.name, company.vat_id, company.vat_id_is_valid)
    if profile is None:
        return None
    return _VatStanding(profile.company_name, profile.vat_id, profile.vat_id_is_valid)


def vat_buyer(customer) -> vat.Buyer:
    """A business for VAT when the customer (or, for a company member, their company) has a
    company name and a VAT number with a valid format and check digits (python-stdnum) that
    the online check (VIES, when made) did not reject; else a consumer."""
    profile = _vat_profile(customer)
    if profile is None or not profile.company_name.strip() or not profile.vat_id_is_valid:
        return vat.CONSUMER
    return vat.Buyer(vat_country=vat.country_of_vat_number(eu_vat.compact(profile.vat_id)))


def vat_number_rejected(customer) -> bool:
    """A company buyer whose VAT number is not accepted (wrong format or check digits, or
    rejected by VIES): they pay VAT like a consumer and should be told why."""
    profile = _vat_profile(customer)
    return (
        profile is not None
        and bool(profile.company_name.strip())
        and bool(profile.vat_id)
        and not profile.vat_id_is_valid
    )


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
