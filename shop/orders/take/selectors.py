"""Reads of an order a shop manager takes for a customer: who the customer is, and the lines
typed by SKU priced exactly as the customer would see them at checkout (his group, his
company's and his own rules, his quantity rules, his catalogue, his shipping and payment
options, the VAT of the destination). The query count does not depend on the number of lines.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from customers import selectors as customer_selectors
from customers.companies import selectors as company_selectors
from customers.models import CompanyMember, CustomerGroup
from pricing import carts as pricing_carts
from shop.addresses import selectors as address_selectors
from shop.addresses.models import Address
from shop.catalog import selectors as catalog_selectors
from shop.catalog.models import Product
from shop.checkout import selectors as checkout_selectors
from shop.orders import selectors as order_selectors
from shop.orders.approvals import selectors as approval_selectors
from shop.payments.models import PaymentMethod
from shop.payments.selectors import CreditStatus, PaymentOption
from shop.shipping import selectors as shipping_selectors
from shop.shipping.selectors import ShippingOption

CUSTOMERS_SHOWN = 20


def customers_for_orders() -> QuerySet:
    """The accounts a manager may take an order for: active customers, never staff."""
    return get_user_model().objects.filter(is_active=True, is_staff=False, is_superuser=False)


def customer_search(*, term: str) -> list:
    """Customers whose email, name or company matches `term` (the first ones by email)."""
    term = term.strip()[:100]
    if not term:
        return []
    return list(
        customers_for_orders()
        .filter(
            Q(email__icontains=term)
            | Q(full_name__icontains=term)
            | Q(profile__company_name__icontains=term)
            | Q(company_membership__company__name__icontains=term)
        )
        .select_related("profile", "company_membership__company")
        .order_by("email", "pk")
        .distinct()[:CUSTOMERS_SHOWN]
    )


def customer_for_order(*, pk) -> object | None:
    return (
        customers_for_orders()
        .select_related("profile", "company_membership__company")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class CustomerCard:
    """Who the order is for, as the manager needs to know it on the phone."""

    customer: object
    group: CustomerGroup
    company_name: str
    membership: CompanyMember | None
    credit: CreditStatus | None
    addresses: list[Address]


def customer_card(*, customer) -> CustomerCard:
    """`customer` as `customer_for_order` reads it (his profile and company joined)."""
    group = customer_selectors.group_for(customer)
    member = company_selectors.membership_for(customer)
    profile = getattr(customer, "profile", None)
    company_name = member.company.name if member else (profile.company_name if profile else "")
    return CustomerCard(
        customer=customer,
        group=group,
        company_name=company_name,
        membership=member,
        credit=order_selectors.credit_status(user=customer),
        addresses=address_selectors.addresses_for(user=customer),
    )


@dataclass(frozen=True)
class TakenLine:
    """A typed line: the product it names and its price for the customer, or why not."""

    number: int
    sku: str
    quantity: str  # as typed
    count: int | None = None  # the quantity read from it
    product: Product | None = None
    priced: pricing_carts.CartLine | None = None
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class TakenLines:
    lines: list[TakenLine]
    quote: pricing_carts.CartQuote

    @property
    def has_errors(self) -> bool:
        return any(line.errors for line in self.lines)

    def quantities(self) -> dict[int, int]:
        return {line.product.pk: line.priced.quantity for line in self.lines if line.priced}


def taken_lines(
    *, customer, group, items: list[tuple[str, str, int | None, str]], country: str
) -> TakenLines:
    """Price typed `(sku, quantity as typed, quantity or None, parse error)` lines for the
    customer and the destination. A SKU the customer's group cannot see is refused like an
    unknown one, saying so; each line carries its quantity-rule violations."""
    skus = [sku for sku, _typed, _quantity, error in items if not error]
    visible = catalog_selectors.visible_products_by_sku(group=group, skus=skus)
    missing = [sku for sku in skus if catalog_selectors.sku_key(sku) not in visible]
    hidden = set()
    if missing:
        hidden = {
            catalog_selectors.sku_key(sku)
            for sku in Product.objects.filter(
                sku__in=catalog_selectors.sku_candidates(missing)
            ).values_list("sku", flat=True)
        }
    lines, seen = [], set()
    for number, (sku, typed, count, error) in enumerate(items, start=1):
        key = catalog_selectors.sku_key(sku)
        product = visible.get(key)
        if error:
            lines.append(TakenLine(number, sku, typed, count, errors=(error,)))
        elif product is None:
            message = (
                _("%(sku)s is not available to this customer.")
                if key in hidden
                else _("Unknown SKU: no product %(sku)s.")
            )
            message %= {"sku": Truncator(sku).chars(70)}
            lines.append(TakenLine(number, sku, typed, count, errors=(message,)))
        elif product.pk in seen:
            lines.append(
                TakenLine(
                    number,
                    sku,
                    typed,
                    count,
                    product=product,
                    errors=(_("%(sku)s is on another line: write it once.") % {"sku": sku},),
                )
            )
        else:
            seen.add(product.pk)
            lines.append(TakenLine(number, sku, typed, count, product=product))
    to_price = [line for line in lines if line.product is not None and not line.errors]
    quote = pricing_carts.price_cart(
        [(line.product, line.count) for line in to_price],
        customer=customer,
        group=group,
        country=country,
    )
    priced = {line.number: cart_line for line, cart_line in zip(to_price, quote.lines, strict=True)}
    result = [
        line
        if line.number not in priced
        else TakenLine(
            line.number,
            line.sku,
            line.quantity,
            line.count,
            product=line.product,
            priced=priced[line.number],
            errors=priced[line.number].messages,
        )
        for line in lines
    ]
    return TakenLines(lines=result, quote=quote)


@dataclass(frozen=True)
class TakenOrder:
    """The order as it would be placed: goods, shipping and payment offered, the totals."""

    lines: TakenLines
    shipping_options: list[ShippingOption]
    payment_options: list[PaymentOption]
    totals: checkout_selectors.OrderTotals | None
    payment: PaymentOption | None
    approval: approval_selectors.ApprovalNeed | None
    refusal: str


def taken_order(
    *, card: CustomerCard, lines: TakenLines, country: str, shipping_method_id, payment_method
) -> TakenOrder:
    """The shipping and payment the customer would be offered for these lines, and the
    totals with the chosen ones (when none is chosen yet: the first shipping offered, the
    first payment other than a card)."""
    customer, group, quote = card.customer, card.group, lines.quote
    refusal = (
        quote.tax_refusal
        or checkout_selectors.destination_refusal(quote=quote, country=country, customer=customer)
        or ""
    )
    if not refusal and quote.min_order_shortfall:
        refusal = _("The order has not reached the customer's minimum order value yet.")
    options = shipping_selectors.shipping_options(group=group, country=country, quote=quote)
    if not shipping_method_id and options:
        shipping_method_id = options[0].method.pk
    totals = checkout_selectors.order_totals(
        group=group, country=country, quote=quote, method_id=shipping_method_id
    )
    approvable = card.membership is not None
    payments = checkout_selectors.payment_options(
        customer=customer,
        group=group,
        total=totals.total if totals else quote.gross_total,
        credit=card.credit,
        approvable=approvable,
    )
    if not payment_method:
        # A card is paid online by the customer later: offered, not chosen for him.
        available = [option.code for option in payments if option.available]
        payment_method = next(
            (code for code in available if code != PaymentMethod.CARD),
            available[0] if available else "",
        )
    payment = next(
        (option for option in payments if option.code == payment_method and option.available),
        None,
    )
    approval = None
    if totals is not None and payment is not None:
        approval = approval_selectors.approval_need(
            member=card.membership,
            total=totals.total,
            payment_method=payment.code,
            credit=card.credit,
        )
    return TakenOrder(
        lines=lines,
        shipping_options=options,
        payment_options=payments,
        totals=totals,
        payment=payment,
        approval=approval,
        refusal=refusal,
    )
