"""Placing orders.

`order_place` runs in one transaction: the cart row is locked (a buyer's double submits queue
behind each other), then the products in id order (concurrent buyers of the same products
queue the same way, so no deadlock). Quantities, stock, visibility, shipping, payment and
credit are checked again, the cart is re-priced on the server and the total compared with the
one the buyer confirmed. Stock is decremented and the order written from the one
`OrderTotals` with snapshots of every line. The idempotency key of the review form makes a
replayed POST return the same order.
"""

import secrets
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.countries import selling_countries
from core.emails import send_templated
from core.errors import Refusal
from core.locking import lock_row, lock_rows
from core.money import format_money
from customers import selectors as customer_selectors
from customers.companies import selectors as company_selectors
from customers.models import Company, CustomerProfile
from pricing import carts as pricing_carts
from pricing import explain
from shop.addresses.models import Address
from shop.cart.models import Cart, CartLine
from shop.catalog import selectors as catalog_selectors
from shop.catalog.models import Product
from shop.checkout import selectors as checkout_selectors
from shop.payments.models import PaymentMethod
from shop.seller import selectors as seller_selectors
from shop.tax import mentions as tax_mentions

from .. import selectors
from ..models import NUMBER_ALPHABET, NUMBER_LENGTH, NUMBER_PREFIX, Order, OrderLine
from . import invoicing

ADDRESS_REQUIRED = ("full_name", "line1", "postal_code", "city", "country")
EXPIRED = _("This order form has expired. Please review your order again.")


class TotalChanged(Refusal):
    """The order's total is not the one the buyer confirmed on the review page."""


def order_number_new() -> str:
    """`CPT-` and 8 random base32 characters: 40 bits, not guessable from another number."""
    return NUMBER_PREFIX + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(NUMBER_LENGTH))


def _clean_address(address) -> dict[str, str]:
    if not isinstance(address, dict):
        raise Refusal(_("Enter your billing and shipping addresses."))
    cleaned = {name: str(address.get(name) or "").strip()[:200] for name in Address.SNAPSHOT_FIELDS}
    cleaned["country"] = cleaned["country"].upper()
    if any(not cleaned[name] for name in ADDRESS_REQUIRED) or (
        cleaned["country"] not in selling_countries()
    ):
        raise Refusal(_("Enter your billing and shipping addresses."))
    return cleaned


def _existing(idempotency_key: str, customer, email: str) -> Order | None:
    """The order already placed with this key, for the same buyer only."""
    order = Order.objects.filter(idempotency_key=idempotency_key).first()
    if order is None:
        return None
    owner = customer.pk if customer is not None else None
    same_guest = owner is None and order.email.lower() == str(email or "").strip().lower()
    if order.user_id != owner or (owner is None and not same_guest):
        raise Refusal(EXPIRED)
    return order


def order_place(
    *,
    cart: Cart,
    customer,
    email: str,
    billing_address: dict,
    shipping_address: dict,
    shipping_method_id: int,
    payment_method: str,
    confirmed_total: Decimal | None,
    idempotency_key: str,
    site_url: str = "",
    terms_version_id: int | None = None,
) -> Order:
    """Place the cart as an order, or raise Refusal (TotalChanged when the total is not the
    confirmed one). Calling again with the same idempotency key returns the same order.
    `terms_version_id`: the `PageVersion` of the terms of sale the buyer accepted, if any."""
    idempotency_key = str(idempotency_key or "").strip()
    if not 16 <= len(idempotency_key) <= 64:
        raise Refusal(EXPIRED)
    customer = customer if customer is not None and customer.is_authenticated else None
    existing = _existing(idempotency_key, customer, email)
    if existing is not None:
        return existing
    try:
        return _place(
            cart=cart,
            customer=customer,
            email=email,
            billing_address=billing_address,
            shipping_address=shipping_address,
            shipping_method_id=shipping_method_id,
            payment_method=payment_method,
            confirmed_total=confirmed_total,
            idempotency_key=idempotency_key,
            site_url=site_url,
            terms_version_id=terms_version_id,
        )
    except IntegrityError:
        # A concurrent submit of the same form committed first.
        existing = _existing(idempotency_key, customer, email)
        if existing is None:
            raise
        return existing


def _lock_company(company_id: int | None) -> Company | None:
    """The buyer's company, locked until the order is written (None without one)."""
    if company_id is None:
        return None
    return lock_row(Company.objects.filter(pk=company_id))


def _company_name(company, profile) -> str:
    if company is not None:
        return company.name
    return profile.company_name if profile else ""


def _lock_products(ids) -> list[Product]:
    """The cart's products, locked in id order until the order is written."""
    return lock_rows(Product.objects.filter(pk__in=list(ids)))


def _take_stock(lines: list[tuple[Product, int]]) -> None:
    """Decrement the stock of tracked products. The rows are locked, so the stock checked
    before is current; the guard stays as the last line of defence."""
    for product, quantity in lines:
        if not product.track_stock:
            continue
        updated = Product.objects.filter(pk=product.pk, stock__gte=quantity).update(
            stock=F("stock") - quantity
        )
        if not updated:
            raise Refusal(_("%(product)s is out of stock.") % {"product": product.name})


def _orderable(quantities: dict[int, int], group) -> list[tuple[Product, int]]:
    products = _lock_products(quantities)
    visible = set(
        catalog_selectors.visible_products(group=group, ids=list(quantities)).values_list(
            "pk", flat=True
        )
    )
    for product in products:
        if product.pk not in visible:
            raise Refusal(
                _("%(product)s is no longer available: remove it from your cart.")
                % {"product": product.name}
            )
    if len(products) != len(quantities):
        raise Refusal(_("A product in your cart is no longer available."))
    return [(product, quantities[product.pk]) for product in products]


@transaction.atomic
def _place(
    *,
    cart,
    customer,
    email,
    billing_address,
    shipping_address,
    shipping_method_id,
    payment_method,
    confirmed_total,
    idempotency_key,
    site_url,
    terms_version_id,
) -> Order:
    cart = lock_row(Cart.objects.filter(pk=cart.pk))
    existing = _existing(idempotency_key, customer, email)
    if existing is not None:
        return existing
    if cart is None:
        raise Refusal(_("Your cart is empty."))
    quantities = dict(CartLine.objects.filter(cart=cart).values_list("product_id", "quantity"))
    if not quantities:
        raise Refusal(_("Your cart is empty."))
    email = customer.email if customer is not None else str(email or "").strip()
    if not email or "@" not in email:
        raise Refusal(_("Enter your email address."))
    billing = _clean_address(billing_address)
    shipping = _clean_address(shipping_address)
    group = customer_selectors.group_for(customer)

    lines = _orderable(quantities, group)
    quote = pricing_carts.price_cart(
        lines, customer=customer, group=group, country=shipping["country"]
    )
    if quote.violations:
        raise Refusal(" ".join(quote.violations))
    if quote.tax_refusal:
        raise Refusal(quote.tax_refusal)
    if quote.min_order_shortfall:
        raise Refusal(_("Your order has not reached the minimum order value yet."))
    totals = checkout_selectors.order_totals(
        group=group, country=shipping["country"], quote=quote, method_id=shipping_method_id
    )
    if totals is None:
        raise Refusal(_("Choose a shipping method available for your address."))

    profile = company = None
    if customer is not None:
        # Locked: two on-account orders of one company (its members share the credit), or of
        # one customer, cannot both use the same credit.
        company = _lock_company(company_selectors.company_id_for(customer))
        profile = lock_row(CustomerProfile.objects.filter(user=customer))
    has_terms = profile is not None or company is not None
    credit = selectors.credit_status(user=customer) if has_terms else None
    payment = checkout_selectors.available_payment(
        customer=customer, group=group, total=totals.total, credit=credit, code=payment_method
    )
    if payment is None:
        raise Refusal(_("Choose a payment method available for this order."))
    if confirmed_total != totals.total:
        raise TotalChanged(
            _(
                "The total of your order changed since you reviewed it: it is now %(total)s. "
                "Please check the new amounts before you place the order."
            )
            % {"total": format_money(totals.total)}
        )

    order = _write_order(
        idempotency_key=idempotency_key,
        customer=customer,
        email=email,
        group=group,
        profile=profile,
        company=company,
        billing=billing,
        shipping=shipping,
        totals=totals,
        payment_method=payment.code,
        terms=credit.terms_days if credit and payment.code == PaymentMethod.ON_ACCOUNT else 0,
        terms_version_id=terms_version_id,
    )
    _take_stock(lines)
    if order.is_on_account:
        invoicing.order_invoice_issue(order=order)  # the invoice is what the buyer pays later
    CartLine.objects.filter(cart=cart).delete()
    transaction.on_commit(partial(order_send_confirmation, order_id=order.pk, site_url=site_url))
    return order


def _write_order(
    *,
    idempotency_key,
    customer,
    email,
    group,
    profile,
    company,
    billing,
    shipping,
    totals,
    payment_method,
    terms,
    terms_version_id=None,
) -> Order:
    quote, option = totals.quote, totals.shipping
    now = timezone.now()
    order = Order(
        access_token=secrets.token_urlsafe(32),
        idempotency_key=idempotency_key,
        user=customer,
        email=email,
        group=group,
        group_name=group.name,
        company=company,
        company_name=billing["company"] or _company_name(company, profile),
        vat_id=company.vat_id if company else (profile.vat_id if profile else ""),
        billing_address=billing,
        shipping_address=shipping,
        country=shipping["country"],
        shipping_method=option.method,
        shipping_method_name=option.method.name,
        payment_method=payment_method,
        payment_terms_days=terms,
        payment_due=(now + timedelta(days=terms)).date() if terms else None,
        prices_include_tax=quote.prices_include_tax,
        currency=settings.SHOP_CURRENCY,
        subtotal=quote.subtotal,
        discount_name=quote.discount.name if quote.discount else "",
        discount_amount=quote.discount_amount,
        shipping_net=option.net,
        shipping_tax_rate=option.tax_rate,
        shipping_tax=option.tax,
        shipping_vat=[part.as_json() for part in option.vat],
        net_total=totals.net_total,
        display_subtotal=quote.display_subtotal,
        display_discount=quote.display_discount,
        display_shipping=option.display,
        tax_total=totals.tax_total,
        total=totals.total,
        vat_regime=quote.vat.regime,
        vat_mention=tax_mentions.mention_text(quote.vat.mention),
        terms_version_id=terms_version_id,
        terms_accepted_at=now if terms_version_id else None,
        placed_at=now,
        language=get_language() or settings.LANGUAGE_CODE,
    )
    for _attempt in range(10):
        order.number = order_number_new()
        if not Order.objects.filter(number=order.number).exists():
            break
    order.save()
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product=line.product,
            sku=line.product.sku,
            name=line.product.name,
            quantity=line.quantity,
            base_unit_price=line.quote.base_unit_price,
            unit_price=line.quote.unit_price,
            line_total=line.line_total,
            discount_share=line.discount_share,
            tax_class=line.product.tax_class,
            tax_rate=line.tax_rate,
            tax=line.tax,
            display_unit_price=line.display_unit_price,
            display_total=line.display_total,
            price_rule_id=line.quote.rule.id if line.quote.rule else None,
            price_rule_name=line.quote.rule.name if line.quote.rule else "",
            reasons=explain.as_json(line.quote.reasons),
            explanation=explain.render(line.quote.reasons),
        )
        for line in quote.lines
    )
    return order


def order_url(order: Order) -> str:
    """Where the buyer sees the order: their account, or the secret link for guests."""
    if order.user_id:
        return reverse("orders:detail", args=[order.number])
    return reverse("orders:guest", args=[order.number, order.access_token])


def order_send_confirmation(*, order_id: int, site_url: str = "") -> None:
    order = Order.objects.prefetch_related("lines").get(pk=order_id)
    send_templated(
        template="order_placed",
        to=[order.email],
        context={
            "order": order,
            "lines": list(order.lines.all()),
            "vat_rows": selectors.vat_breakdown(order),
            "how_to_pay": selectors.how_to_pay(order),
            "seller": seller_selectors.shop_details(),
            "url": site_url + order_url(order),
        },
    )
