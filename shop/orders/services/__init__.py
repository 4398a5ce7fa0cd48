"""Order write paths: placing an order, then only its status and payment record."""

from .placement import (
    TotalChanged,
    order_number_new,
    order_place,
    order_send_confirmation,
    order_url,
)
from .status import (
    TRANSITIONS,
    order_mark_paid,
    order_next_statuses,
    order_set_status,
    order_status_refusal,
)

__all__ = [
    "TRANSITIONS",
    "TotalChanged",
    "order_mark_paid",
    "order_next_statuses",
    "order_number_new",
    "order_place",
    "order_send_confirmation",
    "order_set_status",
    "order_status_refusal",
    "order_url",
]
