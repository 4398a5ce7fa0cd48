"""Approval requests: a member submits the order his company must approve, an approver or
admin approves it (the order is placed as the buyer, priced and checked again at that moment)
or rejects it, the buyer may cancel it while it waits. Every decision locks the request's row:
of two approvers clicking at once, one decides and the other is told it is decided."""

import secrets
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.emails import send_templated
from core.errors import Refusal
from core.locking import lock_row
from customers.companies import selectors as company_selectors
from shop.addresses.models import Address
from shop.cart.models import Cart, CartLine
from shop.cart.sharing import services as sharing_services

from ..models import NUMBER_ALPHABET, NUMBER_LENGTH, Order
from ..services import placement
from . import selectors
from .models import (
    APPROVAL_PREFIX,
    ApprovalReason,
    ApprovalState,
    OrderApproval,
    OrderApprovalLine,
)

NOTE_MAX = 1000
NOBODY_TO_DECIDE = {
    ApprovalReason.OVER_LIMIT: gettext_lazy(
        "Nobody else in your company can approve this order. Your company admin can raise "
        "your limit per order on the Colleagues page of the trade portal."
    ),
    ApprovalReason.OVER_CREDIT: gettext_lazy(
        "Your company's available credit does not cover this order on account, and nobody "
        "else in your company can approve it: choose another payment method."
    ),
}


def approval_number_new() -> str:
    """`PA-` and 8 random base32 characters, like order numbers."""
    return APPROVAL_PREFIX + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(NUMBER_LENGTH))


def approval_url(approval: OrderApproval) -> str:
    return reverse("approvals:detail", args=[approval.number])


@transaction.atomic
def approval_submit(
    *,
    cart: Cart,
    customer,
    billing_address: dict,
    shipping_address: dict,
    shipping_method_id,
    payment_method: str,
    required: placement.ApprovalRequired,
    note: str = "",
    idempotency_key: str,
    terms_version_id: int | None = None,
    shared_cart_id: int | None = None,
    site_url: str = "",
) -> OrderApproval:
    """Send the cart that `order_place` refused with `required` to the company's approvers
    and empty it (its lines are in the request). The same form's key returns the same
    request. Refused when nobody else in the company may decide it. `shared_cart_id`: the
    shared cart the buyer ordered from, marked ordered once the request is approved."""
    idempotency_key = str(idempotency_key or "").strip()
    if not 16 <= len(idempotency_key) <= 64:
        raise Refusal(placement.EXPIRED)
    cart = lock_row(Cart.objects.filter(pk=cart.pk))
    existing = OrderApproval.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.buyer_id != customer.pk:
            raise Refusal(placement.EXPIRED)
        return existing
    member = company_selectors.membership_for(customer)
    if cart is None or member is None:
        raise Refusal(placement.EXPIRED)
    if not selectors.has_decider_besides(member):
        raise Refusal(NOBODY_TO_DECIDE[required.reason])
    lines = list(CartLine.objects.filter(cart=cart).select_related("product"))
    if {line.product_id: line.quantity for line in lines} != required.quantities:
        raise Refusal(_("Your cart changed: please review your order again."))
    approval = OrderApproval(
        idempotency_key=idempotency_key,
        company_id=member.company_id,
        buyer=customer,
        billing_address=_snapshot(billing_address),
        shipping_address=_snapshot(shipping_address),
        shipping_method_id=shipping_method_id,
        payment_method=payment_method,
        terms_version_id=terms_version_id,
        total=required.total,
        reason=required.reason,
        threshold=required.threshold,
        note=str(note or "").strip()[:NOTE_MAX],
        shared_cart_id=shared_cart_id,
    )
    for _attempt in range(10):
        approval.number = approval_number_new()
        if not OrderApproval.objects.filter(number=approval.number).exists():
            break
    approval.save()
    OrderApprovalLine.objects.bulk_create(
        OrderApprovalLine(
            approval=approval,
            product=line.product,
            sku=line.product.sku,
            name=line.product.name,
            quantity=line.quantity,
        )
        for line in lines
    )
    CartLine.objects.filter(cart=cart).delete()
    transaction.on_commit(
        partial(_send, template="approval_requested", approval_id=approval.pk, site_url=site_url)
    )
    return approval


def _snapshot(address) -> dict[str, str]:
    address = address if isinstance(address, dict) else {}
    return {name: str(address.get(name) or "") for name in Address.SNAPSHOT_FIELDS}


def _locked_pending(approval: OrderApproval) -> OrderApproval:
    locked = lock_row(OrderApproval.objects.filter(pk=approval.pk).select_related("buyer"))
    if locked is None:
        raise Refusal(_("This request no longer exists."))
    if not locked.is_pending:
        raise Refusal(
            _("This request was already decided: it is %(state)s.")
            % {"state": locked.get_state_display().lower()}
        )
    return locked


def _check_decider(approval: OrderApproval, approver) -> None:
    if not selectors.may_decide(company_selectors.membership_for(approver), approval):
        raise Refusal(_("You may not decide this request."))


@transaction.atomic
def approval_approve(
    *, approval: OrderApproval, approver, confirmed_total: Decimal | None, site_url: str = ""
) -> Order:
    """Place the request's order as its buyer, priced and checked now. Raises
    `placement.TotalChanged` when the total is no longer `confirmed_total` (the one the
    approver saw), and Refusal when the order cannot be placed (stock, availability...):
    the request then still waits."""
    approval = _locked_pending(approval)
    _check_decider(approval, approver)
    approval.state = ApprovalState.APPROVED
    approval.decided_by = approver
    approval.decided_at = timezone.now()
    order = placement.order_place(
        cart=None,
        customer=approval.buyer,
        email=approval.buyer.email,
        billing_address=approval.billing_address,
        shipping_address=approval.shipping_address,
        shipping_method_id=approval.shipping_method_id,
        payment_method=approval.payment_method,
        confirmed_total=confirmed_total,
        idempotency_key=f"approval-{approval.number}",
        site_url=site_url,
        terms_version_id=approval.terms_version_id,
        approval=approval,
    )
    approval.order = order
    approval.save(update_fields=["state", "decided_by", "decided_at", "order"])
    sharing_services.shared_cart_mark_ordered(shared_cart_id=approval.shared_cart_id, order=order)
    transaction.on_commit(
        partial(_send, template="approval_approved", approval_id=approval.pk, site_url=site_url)
    )
    return order


@transaction.atomic
def approval_reject(
    *, approval: OrderApproval, approver, reason: str, site_url: str = ""
) -> OrderApproval:
    """Refuse the request, with the reason the buyer is told."""
    reason = str(reason or "").strip()
    if not reason:
        raise Refusal(_("Say why you reject this order: the buyer is told."))
    approval = _locked_pending(approval)
    _check_decider(approval, approver)
    approval.state = ApprovalState.REJECTED
    approval.decided_by = approver
    approval.decided_at = timezone.now()
    approval.rejection_reason = reason[:NOTE_MAX]
    approval.save(update_fields=["state", "decided_by", "decided_at", "rejection_reason"])
    transaction.on_commit(
        partial(_send, template="approval_rejected", approval_id=approval.pk, site_url=site_url)
    )
    return approval


@transaction.atomic
def approval_cancel(*, approval: OrderApproval, buyer) -> OrderApproval:
    """The buyer withdraws his own request while it waits."""
    approval = _locked_pending(approval)
    if buyer is None or approval.buyer_id != buyer.pk:
        raise Refusal(_("Only the buyer can cancel their request."))
    approval.state = ApprovalState.CANCELLED
    approval.decided_by = buyer
    approval.decided_at = timezone.now()
    approval.save(update_fields=["state", "decided_by", "decided_at"])
    return approval


def _send(*, template: str, approval_id: int, site_url: str = "") -> None:
    """The request to the company's deciders; a decision to its buyer. Each reads it in their
    preferred language."""
    approval = (
        OrderApproval.objects.select_related("buyer__profile", "company", "decided_by", "order")
        .prefetch_related("lines")
        .get(pk=approval_id)
    )
    if template == "approval_requested":
        recipients = selectors.deciders_emails(approval)
    else:
        profile = getattr(approval.buyer, "profile", None)
        recipients = [(approval.buyer.email, profile.language if profile else "")]
    context = {
        "approval": approval,
        "lines": list(approval.lines.all()),
        "url": site_url + approval_url(approval),
    }
    for language in sorted({language for _email, language in recipients}):
        to = [email for email, own in recipients if own == language]
        send_templated(template=template, to=to, context=context, language=language)
