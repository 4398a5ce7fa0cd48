"""Reads of approval requests: whether an order needs one, who may decide it, the portal's
lists (a buyer sees his own requests, approvers and admins all of their company's)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.db import columns_of, prepared_raw
from core.money import format_money
from customers import selectors as customer_selectors
from customers.companies import selectors as company_selectors
from customers.companies.models import CompanyRole
from pricing import carts as pricing_carts
from shop.checkout import selectors as checkout_selectors
from shop.payments.models import PaymentMethod

from .. import selectors as order_selectors
from .models import ApprovalReason, ApprovalState, OrderApproval, is_approval_number

DECIDING_ROLES = (CompanyRole.APPROVER, CompanyRole.ADMIN)


@dataclass(frozen=True)
class ApprovalNeed:
    """Why an order must be approved: the limit (or credit left) its total goes over."""

    reason: str
    threshold: Decimal

    @property
    def message(self) -> str:
        return need_message(self.reason, self.threshold)


def need_message(reason: str, threshold: Decimal) -> str:
    values = {"amount": format_money(threshold)}
    if reason == ApprovalReason.OVER_CREDIT:
        return (
            _(
                "This order exceeds your company's available credit of %(amount)s: it will be "
                "sent to your approvers."
            )
            % values
        )
    return _("This order exceeds your limit of %(amount)s: it will be sent to your approvers.") % (
        values
    )


def approval_need(*, member, total: Decimal, payment_method: str, credit) -> ApprovalNeed | None:
    """Whether a company member's order of `total` needs approval: above his spending limit
    per order, or on account above the company's available credit. None when it does not
    (and always for customers without a company)."""
    if member is None:
        return None
    if member.spending_limit is not None and total > member.spending_limit:
        return ApprovalNeed(ApprovalReason.OVER_LIMIT, member.spending_limit)
    if (
        payment_method == PaymentMethod.ON_ACCOUNT
        and credit is not None
        and credit.terms_days > 0
        and total > credit.available
    ):
        return ApprovalNeed(ApprovalReason.OVER_CREDIT, credit.available)
    return None


def may_decide(member, approval: OrderApproval) -> bool:
    """Approvers and admins decide the requests of their company, never their own."""
    return (
        member is not None
        and member.role in DECIDING_ROLES
        and member.company_id == approval.company_id
        and member.user_id != approval.buyer_id
    )


def _visible_to(member) -> Q:
    if member.role in DECIDING_ROLES:
        return Q(company_id=member.company_id)
    return Q(company_id=member.company_id, buyer_id=member.user_id)


def approvals_for(*, user, state: str | None = None) -> QuerySet[OrderApproval]:
    """The requests `user` sees: awaiting ones first, then decided ones, newest first. Empty
    for customers without a company."""
    member = company_selectors.membership_for(user)
    if member is None:
        return OrderApproval.objects.none()
    requests = OrderApproval.objects.filter(_visible_to(member))
    if state is not None:
        requests = requests.filter(state=state)
    return requests.select_related("buyer", "decided_by", "order").order_by(
        Case(
            When(state=ApprovalState.REQUESTED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "-created_at",
        "-id",
    )


def approvals_awaiting_count(user) -> int:
    """How many requests await `user`'s decision (those of colleagues, for approvers and
    admins; zero for buyers): the portal dashboard shows it."""
    member = company_selectors.membership_for(user)
    if member is None or member.role not in DECIDING_ROLES:
        return 0
    return (
        OrderApproval.objects.filter(company_id=member.company_id, state=ApprovalState.REQUESTED)
        .exclude(buyer_id=member.user_id)
        .count()
    )


def approval_for(*, user, number: str) -> OrderApproval | None:
    """The request `user` may see (his own, or his company's for approvers and admins); None
    for any other, so the page is a 404."""
    if not is_approval_number(number):
        return None
    member = company_selectors.membership_for(user)
    if member is None:
        return None
    return (
        OrderApproval.objects.filter(_visible_to(member), number=number)
        .select_related("buyer", "company", "decided_by", "order", "shipping_method")
        .first()
    )


# Asked before every order a customer places (a replayed form finds its request).
_BY_KEY = (
    f"SELECT {columns_of(OrderApproval)} FROM {OrderApproval._meta.db_table} "
    "WHERE idempotency_key = %s AND buyer_id = %s"
)


def approval_by_key(*, user, idempotency_key: str) -> OrderApproval | None:
    """The request a review form with this key already submitted, for the same buyer."""
    key = str(idempotency_key or "").strip()
    if not key or user is None or not user.is_authenticated:
        return None
    return next(iter(prepared_raw(OrderApproval, _BY_KEY, [key, user.pk])), None)


def has_decider_besides(member) -> bool:
    """Whether someone else in the member's company may decide his requests."""
    return (
        member.company.members.filter(role__in=DECIDING_ROLES, user__is_active=True)
        .exclude(user_id=member.user_id)
        .exists()
    )


def deciders_emails(approval: OrderApproval) -> list[tuple[str, str]]:
    """Whom a new request is sent to: the company's approvers and admins, never its buyer;
    each address with its owner's preferred language (empty when they chose none)."""
    return list(
        approval.company.members.filter(role__in=DECIDING_ROLES)
        .exclude(user_id=approval.buyer_id)
        .filter(user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", Coalesce("user__profile__language", Value("")))
    )


@dataclass(frozen=True)
class ApprovalPricing:
    """A request's lines priced for its buyer now: what approving it would place."""

    quote: object  # pricing.carts.CartQuote
    totals: object | None  # checkout OrderTotals; None when the shipping is no longer offered
    missing: list  # the request's lines whose product was deleted
    credit: object | None = None  # the company's CreditStatus, for a request on account

    @property
    def total(self) -> Decimal | None:
        return self.totals.total if self.totals is not None else None

    @property
    def credit_short(self) -> bool:
        """On account and over the credit available now: it cannot be approved yet."""
        return (
            self.credit is not None
            and self.total is not None
            and self.total > self.credit.available
        )


def approval_pricing(approval: OrderApproval) -> ApprovalPricing:
    """Price the request's lines for its buyer, his group and destination, today."""
    lines = list(approval.lines.select_related("product"))
    buyer = approval.buyer
    group = customer_selectors.group_for(buyer)
    country = str(approval.shipping_address.get("country") or "")
    quote = pricing_carts.price_cart(
        [(line.product, line.quantity) for line in lines if line.product is not None],
        customer=buyer,
        group=group,
        country=country,
    )
    totals = checkout_selectors.order_totals(
        group=group, country=country, quote=quote, method_id=approval.shipping_method_id
    )
    credit = (
        order_selectors.credit_status(user=buyer)
        if approval.payment_method == PaymentMethod.ON_ACCOUNT
        else None
    )
    return ApprovalPricing(
        quote=quote,
        totals=totals,
        missing=[line for line in lines if line.product is None],
        credit=credit,
    )
