"""What the rule models share: scope and window validation, their constraints and queries."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..engine import ENDED, NOT_STARTED, window_state

HUNDRED = Decimal("100")


def validate_scope(rule) -> None:
    if rule.product_id and rule.category_id:
        raise ValidationError(
            _("Choose a product or a category, not both (leave both empty for everything).")
        )


def validate_customer_or_company(rule) -> None:
    if rule.customer_id and rule.company_id:
        raise ValidationError(
            _(
                "Choose a customer or a company, not both (a company's rule applies to all its "
                "members)."
            )
        )


def validate_window(rule) -> None:
    """A window must hold its own start: with the end exclusive, an end at or before the start
    would leave the rule never running."""
    if rule.starts_at is not None and window_state(rule, rule.starts_at) == ENDED:
        raise ValidationError({"ends_at": _("The end must come after the start.")})


def scope_constraint(prefix: str):
    return models.CheckConstraint(
        condition=~models.Q(product__isnull=False, category__isnull=False),
        name=f"{prefix}_product_or_category",
    )


def window_filter(state: str, at) -> models.Q:
    """The rows whose window is in ``state`` at ``at``: `engine.window_state` as a query."""
    started = models.Q(starts_at__isnull=True) | models.Q(starts_at__lte=at)
    if state == NOT_STARTED:
        return models.Q(starts_at__gt=at)
    if state == ENDED:
        return started & models.Q(ends_at__lte=at)
    return started & (models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=at))


def window_constraint(prefix: str):
    return models.CheckConstraint(
        condition=models.Q(starts_at__isnull=True)
        | models.Q(ends_at__isnull=True)
        | models.Q(ends_at__gt=models.F("starts_at")),
        name=f"{prefix}_window_order",
    )
