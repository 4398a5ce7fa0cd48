"""The pricing admin's own pages beside the changelists: "Pricing health" (every conflict of the
rules across the catalogue) and "How prices are chosen", and the warnings shown after a save.

`PriceRuleAdmin` routes to these; they only arrange what `pricing.health` and
`pricing.precedence` compute."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import engine, explain, health, loaders, precedence, services
from .models import CartDiscount

HEALTH_RULES_PER_PAGE = 50
HEALTH_CACHE_SECONDS = 60
SIMULATOR_URL = "admin:pricing_pricerule_simulator"


# --- warnings after a save ------------------------------------------------------------------


def warn_about_price_rule(request, rule) -> None:
    """Warning messages for what the saved rule does to buyers (nothing for inactive rules)."""
    if not rule.is_active:
        return
    for warning in health.rule_set_warnings(loaders.price_rules(), only_rule_ids={rule.pk}):
        messages.warning(request, warning.message)


def warn_about_cart_discount(request, discount) -> None:
    if not discount.is_active:
        return
    rows = CartDiscount.objects.filter(is_active=True).prefetch_related("groups")
    discounts = [
        loaders.cart_discount_data(row, [group.pk for group in row.groups.all()]) for row in rows
    ]
    for warning in health.cart_discount_warnings(discounts, only_ids={discount.pk}):
        messages.warning(request, warning.message)


# --- Pricing health -------------------------------------------------------------------------


@dataclass(frozen=True)
class WarningRow:
    message: str
    simulator_url: str | None


@dataclass(frozen=True)
class RuleRow:
    rule_id: int
    name: str
    change_url: str
    warnings: tuple[WarningRow, ...]


def _report() -> health.HealthReport:
    """Computed once per pricing version and strategy (and minute: windows open and close)."""
    key = ":".join(
        (
            "pricing-health",
            services.pricing_data().version,
            settings.SHOP_PRICING_STRATEGY,
            timezone.now().strftime("%Y%m%d%H%M"),
        )
    )
    report = cache.get(key)
    if report is None:
        report = health.catalogue_health()
        cache.set(key, report, HEALTH_CACHE_SECONDS)
    return report


def simulator_url(warning: health.RuleWarning, report: health.HealthReport) -> str | None:
    """The simulator prefilled for the product, buyer, quantity and moment of a warning."""
    if warning.product_id is None or warning.product_id not in report.skus:
        return None
    query = {"product": report.skus[warning.product_id], "quantity": warning.quantity or 1}
    if warning.customer_id is not None:
        query["customer"] = report.emails.get(warning.customer_id, "")
    elif warning.company_id is not None:
        query["company"] = warning.company_id
    elif warning.group_id is not None:
        query["group"] = warning.group_id
    if warning.at is not None:
        query["at"] = timezone.localtime(warning.at).strftime("%Y-%m-%dT%H:%M")
    return f"{reverse(SIMULATOR_URL)}?{urlencode(query)}"


def _rows(conflicts, report, change_url_name) -> list[RuleRow]:
    return [
        RuleRow(
            rule_id=item.rule.id,
            name=item.rule.name,
            change_url=reverse(change_url_name, args=[item.rule.id]),
            warnings=tuple(
                WarningRow(
                    message=w.message,
                    simulator_url=simulator_url(w, report),
                )
                for w in item.warnings
            ),
        )
        for item in conflicts
    ]


def health_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    report = _report()
    rule_rows = _rows(report.price_rules, report, "admin:pricing_pricerule_change")
    page = Paginator(rule_rows, HEALTH_RULES_PER_PAGE).get_page(request.GET.get("page"))
    discount_rows = [
        RuleRow(
            rule_id=item.rule.id,
            name=item.rule.name,
            change_url=reverse("admin:pricing_cartdiscount_change", args=[item.rule.id]),
            warnings=tuple(WarningRow(w.message, None) for w in item.warnings),
        )
        for item in report.cart_discounts
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Pricing health"),
        "strategy_name": explain.strategy_name(report.strategy),
        "page": page,
        "rule_count": len(rule_rows),
        "warning_count": sum(len(row.warnings) for row in rule_rows),
        "discount_rows": discount_rows,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/pricing/pricerule/health.html", context)


# --- How prices are chosen ------------------------------------------------------------------


def precedence_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    strategy = settings.SHOP_PRICING_STRATEGY
    steps = engine.strategy_steps(strategy)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("How prices are chosen"),
        "strategy": strategy,
        "strategy_name": explain.strategy_name(strategy),
        "summary": precedence.strategy_summary(strategy),
        "steps": [precedence.step_text(step, strategy) for step in steps],
        "priority_help": precedence.priority_help_text(strategy),
        "example": precedence.worked_example(strategy),
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/pricing/pricerule/how_prices_are_chosen.html", context)
