"""When a rule runs: the one definition of a price rule's or cart discount's time window.

A window runs from ``starts_at`` inclusive to ``ends_at`` exclusive; ``None`` leaves that side
open. The calculator, the cart discount, the admin's labels and filters, the simulator and the
models' validation all ask :func:`window_state` (the admin's status filter through its SQL
form, ``pricing.models.window_filter``). Whether a rule is switched on (``is_active``) is not
part of its window: inactive rules are never loaded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

NOT_STARTED = "not_started"
RUNNING = "running"
ENDED = "ended"


class Windowed(Protocol):
    starts_at: datetime | None
    ends_at: datetime | None


def window_state(rule: Windowed, at: datetime) -> str:
    """:data:`NOT_STARTED` before ``rule.starts_at``, :data:`ENDED` from ``rule.ends_at`` on,
    :data:`RUNNING` in between."""
    starts_at = rule.starts_at
    if starts_at is not None and at < starts_at:
        return NOT_STARTED
    ends_at = rule.ends_at
    if ends_at is not None and at >= ends_at:
        return ENDED
    return RUNNING
