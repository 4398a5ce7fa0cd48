"""Reads of orders: a customer's own, a guest's through the secret link, and the credit their
unpaid orders on account use."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial

from django.db.models import DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from customers import selectors as customer_selectors
from customers.companies import selectors as company_selectors
from customers.companies.models import CompanyRole
from customers.models import Company, User
from shop.invoices.models import Invoice
from shop.payments import selectors as payment_selectors
from shop.payments.models import PaymentMethod
from shop.seller import selectors as seller_selectors

from .models import Order, OrderLine, OrderStatus, is_order_number

ZERO = Decimal("0.00")
_NO_MEMBERSHIP = object()


def unpaid_on_account_total(*, user) -> Decimal:
    """What the customer owes on orders placed on account and not paid yet."""
    total = (
        Order.objects.filter(user=user, payment_method=PaymentMethod.ON_ACCOUNT, paid_at=None)
        .exclude(status=OrderStatus.CANCELLED)
        .aggregate(total=Sum("total"))["total"]
    )
    return total or ZERO


def open_account_balance(*, user) -> Decimal:
    """A customer's open on-account balance (unpaid, not cancelled); zero for nobody. The
    customers admin shows it on the customer's page."""
    if user is None or user.pk is None:
        return ZERO
    return unpaid_on_account_total(user=user)


def credit_status(*, user) -> payment_selectors.CreditStatus | None:
    """Terms, credit limit and credit used: a company member's are the company's (credit
    used by all its members); None for guests and accounts without a profile or company."""
    if user is None or not user.is_authenticated:
        return None
    profile = customer_selectors.profile_with_company(user)
    member = (
        getattr(profile.user, "company_membership", None)
        if profile is not None
        else company_selectors.membership_for(user)
    )
    return credit_status_of(
        user=user, profile=profile, company=member.company if member is not None else None
    )


def credit_status_of(*, user, profile, company) -> payment_selectors.CreditStatus | None:
    """`credit_status` from rows already read: the buyer's company (None without one) and
    profile (placement gives the ones it locked)."""
    if company is not None:
        return payment_selectors.CreditStatus(
            terms_days=company.payment_terms_days,
            limit=company.credit_limit,
            sum_used=partial(company_credit_used, company_id=company.pk),
        )
    if profile is None:
        return None
    return payment_selectors.CreditStatus(
        terms_days=profile.payment_terms_days,
        limit=profile.credit_limit,
        sum_used=partial(unpaid_on_account_total, user=user),
    )


def _unpaid_on_account() -> QuerySet[Order]:
    return Order.objects.filter(payment_method=PaymentMethod.ON_ACCOUNT, paid_at=None).exclude(
        status=OrderStatus.CANCELLED
    )


def _of_company(company_id) -> Q:
    """The company's orders, and those its members placed before they joined it."""
    return Q(company_id=company_id) | Q(
        company=None, user__company_membership__company_id=company_id
    )


def company_credit_used(*, company_id: int) -> Decimal:
    """What the company owes on its unpaid, not cancelled, orders on account."""
    total = _unpaid_on_account().filter(_of_company(company_id)).aggregate(total=Sum("total"))
    return total["total"] or ZERO


def companies_with_credit_used(companies: QuerySet[Company]) -> QuerySet[Company]:
    """The companies annotated with `credit_used` (as `company_credit_used`), in the same
    query: for lists of companies."""
    used = (
        _unpaid_on_account()
        .filter(_of_company(OuterRef("pk")))
        .order_by()
        .values(_one=Value(1))
        .annotate(total=Sum("total"))
        .values("total")
    )
    return companies.annotate(
        credit_used=Coalesce(
            Subquery(used, output_field=DecimalField(max_digits=12, decimal_places=2)),
            Value(ZERO),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        )
    )


# Not shipped, completed nor cancelled yet: still to come for the buyer.
CLOSED_STATUSES = (OrderStatus.SHIPPED, OrderStatus.COMPLETED, OrderStatus.CANCELLED)
OPEN_FILTER = "open"  # the history's status filter for all the open orders


@dataclass(frozen=True)
class OrderVisibility:
    """Whose orders a customer sees: always their own; for a company member who may, every
    order placed for the company (`Order.company`, kept when its buyer leaves)."""

    user_id: int
    company_id: int | None

    @property
    def sees_company(self) -> bool:
        return self.company_id is not None

    def condition(self) -> Q:
        own = Q(user_id=self.user_id)
        return own | Q(company_id=self.company_id) if self.sees_company else own


def order_visibility(*, user, membership=_NO_MEMBERSHIP) -> OrderVisibility | None:
    """Company admins and approvers see all the company's orders; buyers their own, and the
    company's when the company allows it (`buyers_see_company_orders`). None for guests.
    Pass the `membership` already read (None for none) to save its query."""
    if user is None or not user.is_authenticated:
        return None
    if membership is _NO_MEMBERSHIP:
        membership = company_selectors.membership_for(user)
    company_id = None
    if membership is not None and (
        membership.role != CompanyRole.BUYER or membership.company.buyers_see_company_orders
    ):
        company_id = membership.company_id
    return OrderVisibility(user_id=user.pk, company_id=company_id)


def visible_orders(visibility: OrderVisibility | None) -> QuerySet[Order]:
    """The orders `visibility` allows, newest first, with who placed them."""
    if visibility is None:
        return Order.objects.none()
    return (
        Order.objects.filter(visibility.condition())
        .select_related("user")
        .order_by("-placed_at", "-id")
    )


def orders_for(*, user) -> QuerySet[Order]:
    """The orders the customer may see (as `order_visibility`), newest first."""
    return visible_orders(order_visibility(user=user))


def order_history(
    visibility: OrderVisibility | None,
    *,
    q: str | None = None,
    status: str | None = None,
    placed_by: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Order]:
    """The visible orders that match the filters: `q` in the order number or in a line's SKU
    or product name, a status (or "open"), who placed them, placed between two days (both
    included, in the shop's time zone)."""
    orders = visible_orders(visibility)
    if q:
        in_lines = OrderLine.objects.filter(
            Q(sku__icontains=q) | Q(name__icontains=q), order_id=OuterRef("pk")
        )
        orders = orders.filter(Q(number__icontains=q) | Exists(in_lines))
    if status == OPEN_FILTER:
        orders = orders.exclude(status__in=CLOSED_STATUSES)
    elif status:
        orders = orders.filter(status=status)
    if placed_by is not None:
        orders = orders.filter(user_id=placed_by)
    if date_from is not None:
        orders = orders.filter(placed_at__gte=_start_of(date_from))
    if date_to is not None:
        orders = orders.filter(placed_at__lt=_start_of(date_to + timedelta(days=1)))
    return orders


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def order_placers(visibility: OrderVisibility | None) -> list[tuple[int, str]]:
    """(user id, name or email) of everyone who placed an order the viewer sees, by name: the
    choices of the "placed by" filter of a company's history (none for one's own only)."""
    if visibility is None or not visibility.sees_company:
        return []
    placers = (
        User.objects.filter(orders__in=visible_orders(visibility).values("pk"))
        .distinct()
        .order_by(Lower("full_name"), Lower("email"), "pk")
        .values_list("pk", "full_name", "email")
    )
    return [(pk, full_name or email) for pk, full_name, email in placers]


def open_orders(visibility: OrderVisibility | None, *, limit: int) -> list[Order]:
    """The newest visible orders not shipped, completed nor cancelled yet."""
    return list(visible_orders(visibility).exclude(status__in=CLOSED_STATUSES)[:limit])


def recent_invoices(visibility: OrderVisibility | None, *, limit: int) -> list[Invoice]:
    """The newest invoices of the visible orders, each with its order."""
    if visibility is None:
        return []
    return list(
        Invoice.objects.filter(order__in=visible_orders(visibility).values("pk"))
        .select_related("order")
        .order_by("-issued_at", "-id")[:limit]
    )


def order_for_customer(*, user, number: str) -> Order | None:
    """An order the customer may see (their own, or their company's as `order_visibility`
    allows): None for anyone else's."""
    if not is_order_number(number):
        return None
    visibility = order_visibility(user=user)
    if visibility is None:
        return None
    return (
        Order.objects.filter(visibility.condition(), number=number)
        .select_related("user")
        .prefetch_related("lines")
        .first()
    )


def order_for_guest(*, number: str, token: str) -> Order | None:
    """A guest's order, only when the secret from the confirmation email matches. Customers'
    orders are reached through their account only (their emails link there). The secrets are
    compared as bytes: a str comparison refuses non-ASCII text."""
    if not is_order_number(number):
        return None
    order = Order.objects.filter(number=number, user=None).prefetch_related("lines").first()
    if order is None or not secrets.compare_digest(
        order.access_token.encode(), str(token).encode()
    ):
        return None
    return order


@dataclass(frozen=True)
class VatRow:
    """The goods and shipping of an order taxed at one rate."""

    rate: Decimal
    net: Decimal
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


def vat_breakdown(order: Order) -> list[VatRow]:
    """The order's net amounts and VAT per rate, from its line and shipping snapshots (the
    lines already prefetched): what the email, the order pages and the invoice print. The rows
    add up to the order's net total and tax total. Shipping counts at each rate of its split."""
    rows: dict[Decimal, list[Decimal]] = {}
    for line in order.lines.all():
        row = rows.setdefault(line.tax_rate, [ZERO, ZERO])
        row[0] += line.line_total - line.discount_share
        row[1] += line.tax
    for rate, net, tax in shipping_parts(order):
        row = rows.setdefault(rate, [ZERO, ZERO])
        row[0] += net
        row[1] += tax
    return [VatRow(rate, net, tax) for rate, (net, tax) in sorted(rows.items(), reverse=True)]


def shipping_parts(order: Order) -> list[tuple[Decimal, Decimal, Decimal]]:
    """The order's shipping as `(rate, net, tax)` parts: its snapshotted split across the
    goods' rates, or one part at `shipping_tax_rate` for orders placed before the split."""
    if order.shipping_vat:
        return [
            (Decimal(part["rate"]), Decimal(part["net"]), Decimal(part["tax"]))
            for part in order.shipping_vat
        ]
    if order.shipping_net or order.shipping_tax:
        return [(order.shipping_tax_rate, order.shipping_net, order.shipping_tax)]
    return []


@dataclass(frozen=True)
class HowToPay:
    """What the buyer still has to do to pay an order, for the email and the order pages:
    `template` names the block that says it (templates/shop/orders/how_to_pay/<name>.html and
    templates/emails/how_to_pay/<name>.txt), one per payment method."""

    template: str
    amount: Decimal
    reference: str
    account_holder: str = ""
    bank_name: str = ""
    iban: str = ""
    bic: str = ""
    due: date | None = None

    @property
    def has_bank_details(self) -> bool:
        return bool(self.iban)

    @property
    def iban_grouped(self) -> str:
        """The IBAN in groups of four, as it is read out and typed."""
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))


def how_to_pay(order: Order) -> HowToPay | None:
    """How to pay the order while it awaits payment: the shop's bank account (from its
    details, never invented) and the order number as the reference for a transfer; the due
    date for an order on account. None once paid or cancelled, and for other methods (a card
    payment adds its own block)."""
    if not order.awaits_payment:
        return None
    if order.awaits_bank_transfer:
        details = seller_selectors.shop_details()
        return HowToPay(
            template="bank_transfer",
            amount=order.total,
            reference=order.number,
            account_holder=details.legal_name,
            bank_name=details.bank_name,
            iban=details.iban,
            bic=details.bic,
        )
    if order.is_on_account:
        return HowToPay(
            template="on_account", amount=order.total, reference=order.number, due=order.payment_due
        )
    return None
