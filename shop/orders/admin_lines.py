"""The lines of an order in the admin, as they were sold: read-only for everyone."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.money import format_money, format_rate

from .models import Order, OrderLine


class OrderLineInline(admin.TabularInline):
    """The lines as sold: read-only for everyone, shown to whoever may see the order."""

    model = OrderLine
    fields = (
        "sku",
        "name",
        "quantity",
        "unit_price_shown",
        "total_shown",
        "tax_percentage",
        "price_rule_name",
        "price_explanation",
    )
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def has_view_permission(self, request, obj=None):
        opts = Order._meta
        return request.user.has_perm(f"shop.view_{opts.model_name}") or request.user.has_perm(
            f"shop.change_{opts.model_name}"
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("unit price"))
    def unit_price_shown(self, line):
        return format_money(line.display_unit_price)

    @admin.display(description=_("line total"))
    def total_shown(self, line):
        return format_money(line.display_total)

    @admin.display(description=_("tax rate"))
    def tax_percentage(self, line):
        return format_rate(line.tax_rate)

    @admin.display(description=_("why this price"))
    def price_explanation(self, line):
        steps = line.explanation if isinstance(line.explanation, list) else []
        if not steps:
            return "—"
        return format_html(
            "<details><summary>{}</summary>{}</details>",
            _("Explanation"),
            format_html_join("", "<div>{}</div>", ((str(step),) for step in steps)),
        )
