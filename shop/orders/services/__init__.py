"""Order write paths: placing an order, then only its status and payment record."""

from .confirmation import order_send_confirmation, order_url
from .invoicing import order_credit_remaining, order_invoice_issue
from .placement import ApprovalRequired, TotalChanged, order_place
from .refunds import order_refund, refund_refusal, refund_state
from .snapshots import order_number_new
from .status import (
    TRANSITIONS,
    order_mark_paid,
    order_next_statuses,
    order_set_status,
    order_ship,
    order_status_refusal,
)

__all__ = [
    "ApprovalRequired",
    "TRANSITIONS",
    "TotalChanged",
    "order_credit_remaining",
    "order_invoice_issue",
    "order_mark_paid",
    "order_next_statuses",
    "order_number_new",
    "order_place",
    "order_send_confirmation",
    "order_set_status",
    "order_ship",
    "order_status_refusal",
    "order_refund",
    "order_url",
    "refund_refusal",
    "refund_state",
]
