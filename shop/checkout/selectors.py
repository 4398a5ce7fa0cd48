"""What an order will cost, and the choices checkout offers for it.

`OrderTotals` is the one totals object of the money path: the goods as
`pricing.carts.price_cart` priced them, plus the chosen shipping. The review page shows it
and `order_place` writes the order from it; nothing re-adds amounts elsewhere.
"""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.translation import gettext as _

from pricing import carts as pricing_carts
from pricing import services as pricing_services
from shop.payments import selectors as payment_selectors
from shop.payments.models import PaymentMethod
from shop.shipping import selectors as shipping_selectors
from shop.shipping.selectors import ShippingOption
from shop.tax import mentions as tax_mentions
from shop.tax import selectors as tax_selectors
from shop.tax.models import TaxClass


@dataclass(frozen=True)
class OrderTotals:
    """The goods plus shipping: what the order will cost."""

    quote: pricing_carts.CartQuote
    shipping: ShippingOption

    @property
    def net_total(self) -> Decimal:
        return self.quote.net_total + self.shipping.net

    @property
    def tax_total(self) -> Decimal:
        return self.quote.tax_total + self.shipping.tax

    @property
    def total(self) -> Decimal:
        return self.quote.gross_total + self.shipping.gross


def destination_refusal(*, quote, country: str, customer) -> str | None:
    """Why the cart cannot be delivered to `country`: the shop has no VAT rate there for one
    of its tax classes (shipping needs the standard one). None when it can."""
    buyer = tax_selectors.vat_buyer(customer)
    tax_classes = {TaxClass.STANDARD, *(line.product.tax_class for line in quote.lines)}
    for tax_class in sorted(tax_classes):
        if pricing_services.vat_decision(tax_class, country=country, buyer=buyer).refused:
            return tax_mentions.no_rate_message(country.upper())
    return None


def chosen_shipping(*, group, country: str, quote, method_id) -> ShippingOption | None:
    """The shipping option the buyer chose, if it is still offered for this cart."""
    return next(
        (
            option
            for option in shipping_selectors.shipping_options(
                group=group, country=country, quote=quote
            )
            if str(option.method.pk) == str(method_id)
        ),
        None,
    )


def order_totals(*, group, country: str, quote, method_id) -> OrderTotals | None:
    """The totals with the chosen shipping; None when that shipping is no longer offered."""
    option = chosen_shipping(group=group, country=country, quote=quote, method_id=method_id)
    return None if option is None else OrderTotals(quote=quote, shipping=option)


def largest_total(*, quote, options: list[ShippingOption]) -> Decimal:
    """Credit is judged on the dearest shipping option the buyer may pick."""
    totals = [OrderTotals(quote=quote, shipping=option).total for option in options]
    return max(totals) if totals else quote.gross_total


def payment_options(
    *, customer, group, total: Decimal, credit, approvable: bool = False
) -> list[payment_selectors.PaymentOption]:
    """The payment options of the order. For a company member (`approvable`), paying on
    account beyond the company's available credit stays offered: the order is then sent to
    the company's approvers instead of being placed."""
    options = payment_selectors.payment_options(
        customer=customer, group=group, total=total, credit=credit
    )
    if not approvable or credit is None or credit.terms_days <= 0:
        return options
    return [
        replace(
            option,
            available=True,
            reason=_(
                "More than your company's available credit: the order will be sent to your "
                "approvers."
            ),
        )
        if option.code == PaymentMethod.ON_ACCOUNT and not option.available
        else option
        for option in options
    ]


def available_payment(*, customer, group, total: Decimal, credit, code: str, approvable=False):
    """The payment option `code` when it is available for this order, else None."""
    return next(
        (
            option
            for option in payment_options(
                customer=customer, group=group, total=total, credit=credit, approvable=approvable
            )
            if option.code == code and option.available
        ),
        None,
    )
