"""Which VAT a sale of goods bears, decided from the seller, the destination and the buyer.

Pure: no Django, no database. The caller passes the rate table `{(country, tax_class): rate}`
and a buyer whose VAT number it has already validated. Countries are ISO 3166-1 alpha-2 codes.

- Pickup at the shop, or a destination in the seller's member state: the seller's rate
  (`domestic`), whoever buys.
- Another member state, to a consumer or to a business without a valid VAT number of a
  member state other than the seller's: the destination's rate (`eu_consumer`, the distance
  sales regime declared through the one-stop shop).
- Another member state, to a business with a valid VAT number of a member state other than
  the seller's: 0 %, VAT due by the customer (`reverse_charge`, article 138 and 196 of
  Directive 2006/112/EC).
- Outside the EU: 0 % (`export`, article 146).
- A destination in the EU (or the seller's own country) without a configured rate for the
  tax class: `no_rate`, to be refused; never priced with another country's rate.

Monaco belongs to the French VAT territory (article 7 of the Directive). Northern Ireland
(goods follow EU VAT rules there, VAT numbers prefixed XI) is out of scope: the United
Kingdom, GB, is outside the EU, so a delivery there is an export.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal("0")

EU_MEMBER_STATES = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip

# VAT numbers start with the ISO code of their member state, except Greece's: EL.
VAT_PREFIX_EXCEPTIONS = {"GR": "EL"}
# Territories outside a member state's ISO code that belong to its VAT territory.
VAT_TERRITORY_OF = {"MC": "FR"}


class Regime(StrEnum):
    DOMESTIC = "domestic"
    EU_CONSUMER = "eu_consumer"
    REVERSE_CHARGE = "reverse_charge"
    EXPORT = "export"
    NO_RATE = "no_rate"


class Mention(StrEnum):
    """The legal mention an order and its invoice must carry (none for taxed sales)."""

    REVERSE_CHARGE = "reverse_charge"
    EXPORT = "export"


@dataclass(frozen=True)
class Buyer:
    """A consumer (no VAT number), or a business whose VAT number was validated: the
    number's member state in `vat_country` (ISO code, GR for Greece)."""

    vat_country: str | None = None

    @property
    def is_business(self) -> bool:
        return self.vat_country is not None


CONSUMER = Buyer()


@dataclass(frozen=True)
class VatDecision:
    regime: Regime
    rate: Decimal | None  # None when refused (`no_rate`)
    country: str  # whose rate applies (or would apply): the VAT territory of the place of supply
    mention: Mention | None = None

    @property
    def refused(self) -> bool:
        return self.regime == Regime.NO_RATE


def vat_territory(country: str) -> str:
    """The member state whose VAT applies in `country` (Monaco is France); the country itself
    otherwise."""
    country = country.upper()
    return VAT_TERRITORY_OF.get(country, country)


def is_eu(country: str) -> bool:
    return vat_territory(country) in EU_MEMBER_STATES


def vat_prefix(country: str) -> str:
    """The prefix of a VAT number of `country` (EL for Greece)."""
    country = country.upper()
    return VAT_PREFIX_EXCEPTIONS.get(country, country)


def country_of_vat_number(number: str) -> str:
    """The ISO code of the member state of a VAT number (GR for an EL number)."""
    prefix = number[:2].upper()
    return next((iso for iso, p in VAT_PREFIX_EXCEPTIONS.items() if p == prefix), prefix)


def decide(
    *,
    seller_country: str,
    destination: str | None,
    buyer: Buyer,
    tax_class: str,
    rates: dict[tuple[str, str], Decimal],
) -> VatDecision:
    """The VAT of goods of `tax_class` sold by a seller established in `seller_country` and
    delivered to `destination` (None: picked up at the shop)."""
    seller = vat_territory(seller_country)
    place = seller if destination is None else vat_territory(destination)
    if place not in EU_MEMBER_STATES and place != seller:
        return VatDecision(Regime.EXPORT, ZERO, place, Mention.EXPORT)
    if place == seller:
        return _taxed(Regime.DOMESTIC, place, tax_class, rates)
    buyer_state = vat_territory(buyer.vat_country) if buyer.is_business else None
    if buyer_state in EU_MEMBER_STATES and buyer_state != seller:
        return VatDecision(Regime.REVERSE_CHARGE, ZERO, place, Mention.REVERSE_CHARGE)
    return _taxed(Regime.EU_CONSUMER, place, tax_class, rates)


def _taxed(regime: Regime, country: str, tax_class: str, rates) -> VatDecision:
    rate = rates.get((country, tax_class))
    if rate is None:
        return VatDecision(Regime.NO_RATE, None, country)
    return VatDecision(regime, rate, country)
