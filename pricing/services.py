"""The pricing API every other app uses. Views and other apps call only these functions.

Rules are compiled once per process and reused until `PricingVersion` changes: every write
path that changes a rule, a category or a tax rate calls `rules_changed()`. Inside a request
the version is read once (one query) by the snapshot `PricingSnapshotMiddleware` opens, so a
page costs the same number of queries whatever the number of products or rules.
"""

import gc
import threading
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refusal
from customers import selectors as customer_selectors
from customers.companies import selectors as company_selectors
from shop.tax import mentions, vat

from . import engine
from .loaders import PricingData, load_pricing_data, update_pricing_data
from .models import PricingVersion

# From this many rules, a full compile keeps its rules out of the garbage collector's walks.
FREEZE_FROM_RULES = 10_000
_lock = threading.Lock()
_process_data: PricingData | None = None
# Set by PricingSnapshotMiddleware: a dict holding this request's PricingData once read.
request_snapshot: ContextVar[dict | None] = ContextVar("pricing_request_snapshot", default=None)


def pricing_data() -> PricingData:
    """The compiled rules for the current pricing version (one query to check the version).

    A process behind the current version applies only the rules changed since its own
    (`loaders.update_pricing_data`), in milliseconds whatever the number of rules; it compiles
    everything when it has nothing yet, the strategy changed, the change log no longer reaches
    back to its version, or the change is large."""
    global _process_data
    snapshot = request_snapshot.get()
    if snapshot is not None and "data" in snapshot:
        return snapshot["data"]
    state = snapshot.get("state") if snapshot is not None else None
    version, seq, log_start = state or PricingVersion.state()
    data = _process_data
    if data is None or data.version != version or _strategy_changed(data):
        with _lock:
            data = _process_data
            if data is None or data.version != version or _strategy_changed(data):
                data = _process_data = _brought_up_to_date(data, version, seq, log_start)
    if snapshot is not None:
        snapshot["data"] = data
    return data


def use_request_state(state: tuple[str, int, int]) -> None:
    """The pricing version's state (`PricingVersion.state`), read by the caller in a query of
    its own: this request's `pricing_data` goes by it instead of asking the database again.
    Nothing changes for a request whose rules were read already, or outside a request."""
    snapshot = request_snapshot.get()
    if snapshot is not None and "data" not in snapshot:
        snapshot["state"] = state


def _brought_up_to_date(
    data: PricingData | None, version: str, seq: int, log_start: int
) -> PricingData:
    if (
        data is not None
        and not _strategy_changed(data)
        and log_start <= data.seq < seq
        and (updated := update_pricing_data(data, version, seq)) is not None
    ):
        return updated
    data = load_pricing_data(version, seq)
    if len(data.rules.price_rules) + len(data.rules.quantity_rules) >= FREEZE_FROM_RULES:
        # The compiled rules live until the next full compile and hold no reference cycles
        # (refcounts free them): keep the collector from walking them. At 100,000 rules each
        # full collection walked them all, a pause of a second for the request that triggered
        # it. Collect first, so no garbage waiting for the collector is frozen with them.
        gc.collect()
        gc.freeze()
    return data


def _strategy_changed(data: PricingData) -> bool:
    """Settings change only with a restart, and in tests that switch strategy."""
    return data.rules.strategy != settings.SHOP_PRICING_STRATEGY


def rules_changed() -> None:
    """Call after any write the compiled data depends on (rules, categories, tax rates), once
    for a batch, in the writing transaction: every process reloads on its next request. Model
    saves do not call it."""
    PricingVersion.bump()


# --- who is buying --------------------------------------------------------------------------


def customer_id_of(customer) -> int | None:
    if customer is None or not getattr(customer, "is_authenticated", False):
        return None
    return customer.pk


def company_id_of(customer, *, data: PricingData | None = None) -> int | None:
    """The company the customer buys for, when it has price or quantity rules of its own (its
    negotiated rules price them); None for guests and whenever no company has rules, so
    pricing asks nothing about companies until one does."""
    if customer_id_of(customer) is None or not (data or pricing_data()).rules.company_ids:
        return None
    return company_selectors.company_id_for(customer)


def buyer_for(
    *, customer=None, group=None, data: PricingData | None = None
) -> tuple[engine.Buyer, object]:
    """The engine's Buyer and the group; the customer's own group when no group is given. A
    member of a company is priced with the company's rules too."""
    if group is None:
        group = customer_selectors.group_for(customer)
    buyer = engine.Buyer(
        customer_id=customer_id_of(customer),
        group_id=group.pk,
        company_id=company_id_of(customer, data=data),
    )
    return buyer, group


def snapshot_of(product, data: PricingData) -> engine.ProductSnapshot:
    return engine.ProductSnapshot(
        id=product.pk,
        base_price=product.base_price,
        category_path=data.category_path(product.category_id),
        name=product.name,
    )


# --- public API -----------------------------------------------------------------------------


def quote(product, quantity: int = 1, *, customer=None, group=None, at=None) -> engine.Quote:
    data = pricing_data()
    buyer, _group = buyer_for(customer=customer, group=group, data=data)
    return engine.quote(
        data.rules, snapshot_of(product, data), buyer, quantity, at or timezone.now()
    )


def quote_many(products, *, customer=None, group=None, at=None) -> dict[int, engine.Quote]:
    data = pricing_data()
    buyer, _group = buyer_for(customer=customer, group=group, data=data)
    at = at or timezone.now()
    return {
        product.pk: engine.quote(data.rules, snapshot_of(product, data), buyer, 1, at)
        for product in products
    }


def tier_table(product, *, customer=None, group=None, at=None) -> list[tuple[int, Decimal]]:
    data = pricing_data()
    buyer, _group = buyer_for(customer=customer, group=group, data=data)
    return engine.tier_table(data.rules, snapshot_of(product, data), buyer, at or timezone.now())


def quantity_rule(product, *, customer=None, group=None) -> engine.QuantityRuleData | None:
    """The min / max / pack size in force for this buyer (for hints and the quantity input)."""
    data = pricing_data()
    buyer, _group = buyer_for(customer=customer, group=group, data=data)
    return engine.quantity_rule_for(data.rules, snapshot_of(product, data), buyer)


@dataclass(frozen=True)
class QuantityBounds:
    """What the quantity input allows: `min`/`step`/`max` attributes and the hints beside it."""

    minimum: int
    step: int
    maximum: int | None
    rule: engine.QuantityRuleData | None


def quantity_bounds(product, *, customer=None, group=None) -> QuantityBounds:
    rule = quantity_rule(product, customer=customer, group=group)
    step = rule.step if rule else 1
    minimum = rule.min_quantity if rule else 1
    maximum = rule.max_quantity if rule else None
    if product.track_stock:
        in_stock = product.stock - product.stock % step
        maximum = in_stock if maximum is None else min(maximum, in_stock)
    return QuantityBounds(minimum=minimum, step=step, maximum=maximum, rule=rule)


def check_quantity(product, quantity, *, customer=None, group=None) -> list[str]:
    """Messages a buyer understands; empty when the quantity is allowed. Stock counts when
    the product tracks it."""
    data = pricing_data()
    buyer, group = buyer_for(customer=customer, group=group, data=data)
    stock = product.stock if product.track_stock else None
    violations = engine.check_quantity(
        data.rules, snapshot_of(product, data), buyer, quantity, stock=stock
    )
    return [violation_message(v, group=group) for v in violations]


def violation_message(violation: engine.Violation, *, group) -> str:
    params = {"product": violation.product_name, "limit": violation.limit, "group": group.name}
    by_group = not group.is_default
    by_company = violation.rule_for == "company"
    if violation.code == "invalid":
        return _("Enter a whole quantity of at least 1 for %(product)s.") % params
    if violation.code == "min":
        if by_company:
            return _("Your company's orders of %(product)s must be at least %(limit)s.") % params
        if by_group:
            return _("%(group)s orders of %(product)s must be at least %(limit)s.") % params
        return _("The minimum quantity of %(product)s is %(limit)s.") % params
    if violation.code == "max":
        if by_company:
            return _("Your company can buy at most %(limit)s of %(product)s.") % params
        return _("You can buy at most %(limit)s of %(product)s.") % params
    if violation.code == "step":
        if by_company:
            return _("Your company's orders of %(product)s must be in packs of %(limit)s.") % params
        if by_group:
            return _("%(group)s orders of %(product)s must be in packs of %(limit)s.") % params
        return _("%(product)s is sold in packs of %(limit)s.") % params
    if violation.limit == 0:
        return _("%(product)s is out of stock.") % params
    return _("Only %(limit)s of %(product)s left in stock.") % params


# --- tax and display ------------------------------------------------------------------------


class NoTaxRate(Refusal):
    """The destination needs a VAT rate the shop has not configured: the sale is refused."""


def vat_decision(
    tax_class: str,
    *,
    country: str | None = None,
    buyer: vat.Buyer = vat.CONSUMER,
    data: PricingData | None = None,
) -> vat.VatDecision:
    """The VAT of goods of `tax_class` delivered to `country` (None: the shop's own country)
    for `buyer` (`shop.tax.vat.decide`)."""
    data = data or pricing_data()
    return vat.decide(
        seller_country=settings.SHOP_DEFAULT_COUNTRY,
        destination=country,
        buyer=buyer,
        tax_class=tax_class,
        rates=data.tax_rates,
    )


def tax_rate(product, *, country: str | None = None, data: PricingData | None = None) -> Decimal:
    """The product's rate for a consumer in `country`; the shop's country when it is None (the
    catalogue of a buyer whose country is not known). Without a rate for the shop's own
    country the catalogue shows prices without VAT rather than fail (checkout refuses the
    sale, and the tax-rate admin lists the gap)."""
    if country is None:
        decision = vat_decision(product.tax_class, data=data)
        return vat.ZERO if decision.refused else decision.rate
    return tax_rate_for_class(product.tax_class, country=country, data=data)


def tax_rate_for_class(
    tax_class: str,
    *,
    country: str | None = None,
    buyer: vat.Buyer = vat.CONSUMER,
    data: PricingData | None = None,
) -> Decimal:
    """The rate of a tax class for the destination and the buyer. Raises NoTaxRate when the
    destination has no configured rate: no other country's rate is ever borrowed."""
    decision = vat_decision(tax_class, country=country, buyer=buyer, data=data)
    if decision.refused:
        raise NoTaxRate(mentions.no_rate_message(decision.country))
    return decision.rate


def tax_on(amount: Decimal, rate: Decimal) -> Decimal:
    """The tax on a net amount, rounded to the cent, half up."""
    return engine.to_cents(amount * rate)


def with_tax(amount: Decimal, rate: Decimal) -> Decimal:
    """Gross amount: net plus tax rounded to the cent, half up (the documented rounding point:
    net unit price first, then its tax)."""
    return amount + tax_on(amount, rate)
