"""Placing orders.

`order_place` runs in one transaction: the cart row is locked (a buyer's double submits queue
behind each other), then the buyer's company and profile (their credit), then the products
in id order (concurrent buyers of the same products queue the same way, so no deadlock).
Quantities, stock, visibility, shipping, payment and credit are checked again, the cart is
re-priced on the server and the total compared with the one the buyer confirmed. The
products are priced as read and locked only to take their stock, right before the commit,
once they are shown to be unchanged: buyers of one product queue for that moment only. The
order is written from the one `OrderTotals` with snapshots of every line. The idempotency
key of the review form makes a replayed POST return the same order.

A company member's order above his spending limit per order, or on account above the
company's available credit, is not placed: `ApprovalRequired` says why, and the checkout sends
it to the company's approvers (`shop.orders.approvals`). Once one approves it, the approval
service places it here with `approval=`: the lines come from the request, not from a cart.

A shop manager taking an order for a customer (`shop.orders.take`) gives the lines as
`lines=` with `taken_by=`: no cart of the customer is read or emptied, every check is the same.
"""

from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import Refusal
from core.locking import lock_id, lock_ids
from core.money import format_money
from customers import selectors as customer_selectors
from customers.companies import selectors as company_selectors
from customers.models import Company, CustomerProfile
from pricing import carts as pricing_carts
from shop.cart import selectors as cart_selectors
from shop.cart.models import Cart, CartLine
from shop.catalog import selectors as catalog_selectors
from shop.catalog.models import Product
from shop.checkout import selectors as checkout_selectors
from shop.payments.models import PaymentMethod
from shop.quotes import services as quote_services

from .. import selectors
from ..approvals import selectors as approval_selectors
from ..approvals.models import OrderApproval
from ..models import Order
from . import invoicing
from .confirmation import order_confirmation_send_later
from .placement_checks import check_approved, check_taker, clean_address, explicit_quantities
from .snapshots import write_order
from .stock import take_stock as _take_stock

EXPIRED = _("This order form has expired. Please review your order again.")


class TotalChanged(Refusal):
    """The order's total is not the one the buyer confirmed on the review page; `total` is
    the one of now."""

    def __init__(self, message, *, total: Decimal | None = None):
        super().__init__(message)
        self.total = total


class ApprovalRequired(Refusal):
    """The order needs the approval of the buyer's company: it was not placed. `reason` is an
    `ApprovalReason`, `threshold` the limit or credit the `total` goes over."""

    def __init__(
        self, message, *, reason: str, threshold: Decimal, total: Decimal, quantities: dict
    ):
        super().__init__(message)
        self.reason = reason
        self.threshold = threshold
        self.total = total
        self.quantities = quantities  # {product id: quantity}: what was priced


def _existing(idempotency_key: str, customer, email: str) -> Order | None:
    """The order already placed with this key, for the same buyer only. Asked before every
    order, found only for a replayed form: the whole order is read only then."""
    same_key = Order.objects.filter(idempotency_key=idempotency_key)
    found = same_key.values_list("pk", "user_id", "email").first()
    if found is None:
        return None
    pk, user_id, order_email = found
    owner = customer.pk if customer is not None else None
    same_guest = owner is None and order_email.lower() == str(email or "").strip().lower()
    if user_id != owner or (owner is None and not same_guest):
        raise Refusal(EXPIRED)
    return Order.objects.get(pk=pk)


def order_place(
    *,
    cart: Cart | None,
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
    approval: OrderApproval | None = None,
    lines: dict[int, int] | None = None,
    taken_by=None,
    catalogue_version: str = "",
    group=None,
) -> Order:
    """Place the cart as an order, or raise Refusal (TotalChanged when the total is not the
    confirmed one, ApprovalRequired when the buyer's company must approve it first). Calling
    again with the same idempotency key returns the same order.
    `terms_version_id`: the `PageVersion` of the terms of sale the buyer accepted, if any.
    `approval`: the request an approver just approved (its row locked by the caller); its
    lines are placed instead of a cart, without the buyer's spending limit (the approver
    lifted it) but within the company's credit on account.
    `lines`: {product id: quantity} placed instead of a cart, for an order a shop manager
    (`taken_by`) takes for the customer; never for a staff account or the manager himself.
    `catalogue_version`: the `CatalogueVersion` the caller read, if any, by which the category
    tree deciding what is still visible is kept (`category_tree`). `group`: the buyer's group
    as the caller read it for this request (`group_for`'s), else read here."""
    if lines is not None and (cart is not None or approval is not None):
        raise ValueError("Give lines, a cart or an approval, not several.")
    idempotency_key = str(idempotency_key or "").strip()
    if not 16 <= len(idempotency_key) <= 64:
        raise Refusal(EXPIRED)
    customer = customer if customer is not None and customer.is_authenticated else None
    place = partial(
        _place,
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
        approval=approval,
        lines=lines,
        taken_by=taken_by,
        catalogue_version=catalogue_version,
        group=group,
    )
    try:
        try:
            return place(lock_products_first=False)
        except _ProductsChanged:
            return place(lock_products_first=True)
    except IntegrityError:
        # A concurrent submit of the same form committed first, or the order's random number
        # was taken: placed again with a new one.
        existing = _existing(idempotency_key, customer, email)
        if existing is not None:
            return existing
        return place(lock_products_first=True)


def _lock_company(company_id: int | None) -> Company | None:
    """The buyer's company, locked until the order is written (None without one)."""
    if company_id is None:
        return None
    return lock_id(Company, company_id)


def _read_products(ids: list[int], group, catalogue_version: str) -> list[Product]:
    """Those of the products the group may still see, in id order, unlocked."""
    return catalog_selectors.visible_by_id(ids, group=group, version=catalogue_version)


def _lock_products(ids: list[int]) -> list[Product]:
    """The products, locked in id order until the order is written."""
    return lock_ids(Product, ids)


class _ProductsChanged(Exception):
    """A product changed between being priced and being locked: the order is placed again
    with its products locked before they are read."""


# What pricing and the order's snapshots read of a product: everything but its stock (taken
# from the locked rows) and the time of its last edit.
_PRICED_FIELDS = tuple(
    field.attname
    for field in Product._meta.concrete_fields
    if field.attname not in {"stock", "updated_at"}
)


def _as_priced(product: Product) -> tuple:
    return tuple(getattr(product, name) for name in _PRICED_FIELDS)


def _orderable(
    quantities: dict[int, int], group, catalogue_version: str
) -> list[tuple[Product, int]]:
    """The products of `quantities` the group may still buy, in id order; a Refusal naming
    the first one it can no longer buy."""
    if None in quantities:
        raise Refusal(_("A product in your cart is no longer available."))
    products = _read_products(list(quantities), group, catalogue_version)
    if len(products) != len(quantities):
        visible = {product.pk for product in products}
        gone = Product.objects.filter(pk__in=[pk for pk in quantities if pk not in visible])
        name = gone.order_by("pk").values_list("name", flat=True).first()
        if name is None:
            raise Refusal(_("A product in your cart is no longer available."))
        raise Refusal(
            _("%(product)s is no longer available: remove it from your cart.") % {"product": name}
        )
    return [(product, quantities[product.pk]) for product in products]


def _locked_as_priced(orderable: list[tuple[Product, int]]) -> list[tuple[Product, int]]:
    """The priced products locked in id order, with their current stock; _ProductsChanged
    when one is no longer what was priced."""
    locked = _lock_products([product.pk for product, _quantity in orderable])
    if [_as_priced(product) for product in locked] != [_as_priced(p) for p, _q in orderable]:
        raise _ProductsChanged
    return [
        (product, quantity) for product, (_priced, quantity) in zip(locked, orderable, strict=True)
    ]


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
    approval,
    lines,
    taken_by,
    catalogue_version,
    group,
    lock_products_first,
) -> Order:
    """Place the order in one transaction. The rows are locked in one order everywhere: the
    cart, the buyer's company and profile, then the products. Unless `lock_products_first`,
    the products are read and priced unlocked and locked only to take their stock, right
    before the commit (concurrent buyers of one product queue for that moment only); if one
    changed meanwhile, `_ProductsChanged` rolls everything back. Their visibility (categories,
    groups: not rows of theirs) is read as it is committed, locked or not."""
    if taken_by is not None:
        check_taker(taken_by, customer=customer)
    if approval is None:
        cart = lock_id(Cart, cart.pk) if cart is not None else None
    existing = _existing(idempotency_key, customer, email)
    if existing is not None:
        return existing
    if approval is not None:
        quantities = dict(approval.lines.values_list("product_id", "quantity"))
    elif lines is not None:
        quantities = explicit_quantities(lines)
    elif cart is not None:
        quantities = cart_selectors.cart_quantities(cart)
    else:
        raise Refusal(_("Your cart is empty."))
    if not quantities:
        raise Refusal(_("Your cart is empty."))
    carried, quoted, quote_problem = None, {}, ""
    if cart is not None and approval is None and cart.quote_id is not None:
        carried, quoted, quote_problem = quote_services.quote_for_order(
            quote_id=cart.quote_id, customer=customer
        )
    email = customer.email if customer is not None else str(email or "").strip()
    if not email or "@" not in email:
        raise Refusal(_("Enter your email address."))
    billing = clean_address(billing_address)
    shipping = clean_address(shipping_address)
    group = group if group is not None else customer_selectors.group_for(customer)
    profile = company = None
    if customer is not None:
        # Locked: two on-account orders of one company (its members share the credit), or of
        # one customer, cannot both use the same credit.
        company = _lock_company(company_selectors.company_id_for(customer))
        profile = lock_id(CustomerProfile, customer.pk, column="user_id")

    if lock_products_first:
        _lock_products([pk for pk in quantities if pk is not None])
    orderable = _orderable(quantities, group, catalogue_version)
    quote = pricing_carts.price_cart(
        orderable, customer=customer, group=group, country=shipping["country"], quoted=quoted
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

    has_terms = profile is not None or company is not None
    credit = (
        selectors.credit_status_of(user=customer, profile=profile, company=company)
        if has_terms
        else None
    )
    member = customer_selectors.membership_of(customer) if company is not None else None
    payment = checkout_selectors.available_payment(
        customer=customer,
        group=group,
        total=totals.total,
        credit=credit,
        code=payment_method,
        # Over the credit, a member's order is sent for approval; an approved one must fit
        # in the credit now: an approver lifts his company's spending limits, never the
        # credit the shop grants it.
        approvable=member is not None and approval is None,
    )
    if (
        payment is None
        and approval is not None
        and credit is not None
        and payment_method == PaymentMethod.ON_ACCOUNT
    ):
        raise Refusal(
            _(
                "The company's available credit (%(available)s) does not cover this order of "
                "%(total)s on account: approve it once invoices are paid, or reject it."
            )
            % {"available": format_money(credit.available), "total": format_money(totals.total)}
        )
    if payment is None:
        raise Refusal(_("Choose a payment method available for this order."))
    if confirmed_total != totals.total:
        changed = _(
            "The total of your order changed since you reviewed it: it is now %(total)s. "
            "Please check the new amounts before you place the order."
        ) % {"total": format_money(totals.total)}
        raise TotalChanged(f"{quote_problem} {changed}".strip(), total=totals.total)
    if approval is None:
        need = approval_selectors.approval_need(
            member=member, total=totals.total, payment_method=payment.code, credit=credit
        )
        if need is not None:
            raise ApprovalRequired(
                need.message,
                reason=need.reason,
                threshold=need.threshold,
                total=totals.total,
                quantities=quantities,
            )
    else:
        check_approved(approval, customer=customer, company=company)

    order = write_order(
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
        approval=approval,
        quote_record=carried if quoted else None,
    )
    if quoted and any(line.quote.quoted for line in quote.lines):
        quote_services.quote_use(quote=carried, customer=customer)
    if taken_by is not None:
        order.taken_by = taken_by
        order.taken_by_email = taken_by.email
        order.save(update_fields=["taken_by", "taken_by_email"])
    _take_stock(_locked_as_priced(orderable))
    if order.is_on_account:
        invoicing.order_invoice_issue(order=order)  # the invoice is what the buyer pays later
    if cart is not None:
        CartLine.objects.filter(cart=cart).delete()
        if cart.quote_id is not None:
            cart.quote = None
            cart.save(update_fields=["quote", "updated_at"])
    # Rendered and sent by a background task: the buyer does not wait for the email.
    transaction.on_commit(
        partial(order_confirmation_send_later.enqueue, order_id=order.pk, site_url=site_url)
    )
    return order
