"""Orders in the admin, for shop managers.

An order is a snapshot: the admin shows everything and lets a manager change only its status,
and only through `shop.orders.services` (`order_set_status`, `order_mark_paid`), which enforce the
workflow and return stock once on cancellation. Orders are never added or deleted here.
The order list reads only the order table (snapshots), so its query count does not depend on
the number of orders shown.
"""

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.errors import Refusal
from core.money import format_money
from customers.models import CustomerProfile
from shop.pages.admin import accepted_terms
from shop.reports import selectors as report_selectors

from . import selectors, services
from .admin_documents import OrderDocumentsMixin
from .admin_emails import OrderEmailInline, OrderEmailsMixin
from .admin_forms import PARCEL_FIELDS, OrderStatusForm
from .admin_lines import OrderLineInline
from .approvals import admin as approvals_admin  # noqa: F401 - registers the requests' admin
from .models import Order, OrderLine, OrderStatus
from .take.admin import TakeOrderAdminMixin

ADDRESS_LINES = (
    ("full_name",),
    ("company",),
    ("line1",),
    ("line2",),
    ("postal_code", "city"),
    ("country",),
    ("phone",),
)


def _site_url(request) -> str:
    """The base of the links in the customer's emails: the host the manager uses."""
    return request.build_absolute_uri("/").rstrip("/")


def _address(snapshot) -> str:
    if not isinstance(snapshot, dict):
        return "—"
    rows = [
        " ".join(str(snapshot.get(name) or "") for name in names).strip() for names in ADDRESS_LINES
    ]
    return format_html_join("", "{}<br>", ((row,) for row in rows if row)) or "—"


class FollowUpFilter(admin.SimpleListFilter):
    """What needs doing: the orders the managers' dashboard counts."""

    title = _("follow-up")
    parameter_name = "follow_up"

    def lookups(self, request, model_admin):
        return [("to_ship", _("To ship")), ("overdue", _("Payment overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "to_ship":
            return queryset.filter(report_selectors.to_ship_condition())
        if self.value() == "overdue":
            today = report_selectors.shop_today()
            return queryset.filter(report_selectors.payment_overdue_condition(today))
        return queryset


# --- orders -------------------------------------------------------------------------------------


@admin.register(Order)
class OrderAdmin(TakeOrderAdminMixin, OrderEmailsMixin, OrderDocumentsMixin, admin.ModelAdmin):
    form = OrderStatusForm
    list_display = (
        "number",
        "placed_at",
        "email",
        "company_name",
        "group_name",
        "payment_method",
        "status",
        "is_paid",
        "total_shown",
    )
    list_display_links = ("number",)
    list_filter = (
        "status",
        FollowUpFilter,
        ("group", admin.RelatedFieldListFilter),
        "payment_method",
        ("placed_at", admin.DateFieldListFilter),
    )
    list_select_related = ("group",)
    list_per_page = 50
    search_fields = ("number", "email", "company_name")
    search_help_text = _("Search by order number, email or company.")
    date_hierarchy = "placed_at"
    ordering = ("-placed_at", "-id")
    actions = ("mark_paid", "mark_shipped", "cancel")
    inlines = (OrderLineInline, OrderEmailInline)
    fieldsets = (
        (
            None,
            {"fields": ("number", "status", "placed_at", "paid_at", "shipped_at", "completed_at")},
        ),
        (
            _("Customer"),
            {
                "fields": (
                    "customer",
                    "taken_by_shown",
                    "approved_by_shown",
                    "approved_at",
                    "email",
                    "group_name",
                    "company",
                    "company_name",
                    "vat_id",
                    "open_balance",
                    "terms_accepted",
                )
            },
        ),
        (_("Addresses"), {"fields": ("billing", "shipping")}),
        (
            _("Delivery and payment"),
            {
                "fields": (
                    "shipping_method_name",
                    "payment_method",
                    "payment_terms_days",
                    "payment_due",
                )
            },
        ),
        (
            _("Totals"),
            {
                "fields": (
                    "prices_shown",
                    "subtotal_shown",
                    "discount_shown",
                    "shipping_shown",
                    "tax_shown",
                    "net_total_shown",
                    "total_shown",
                    "vat_regime",
                    "vat_mention",
                )
            },
        ),
        (
            _("Shipment"),
            {
                "fields": PARCEL_FIELDS,
                "description": _(
                    "Enter the parcel when you mark the order shipped: the customer's email "
                    "gives the carrier, the tracking number and the link to follow it."
                ),
            },
        ),
        (_("Cancellation"), {"fields": ("cancelled_at", "stock_returned")}),
        (_("Invoice, credit notes and refunds"), {"fields": ("documents",)}),
    )
    readonly_fields = (
        "number",
        "vat_regime",
        "vat_mention",
        "placed_at",
        "paid_at",
        "shipped_at",
        "completed_at",
        "cancelled_at",
        "stock_returned",
        "customer",
        "taken_by_shown",
        "approved_by_shown",
        "approved_at",
        "email",
        "group_name",
        "company",
        "company_name",
        "vat_id",
        "open_balance",
        "terms_accepted",
        "billing",
        "shipping",
        "shipping_method_name",
        "payment_method",
        "payment_terms_days",
        "payment_due",
        "prices_shown",
        "subtotal_shown",
        "discount_shown",
        "shipping_shown",
        "tax_shown",
        "net_total_shown",
        "total_shown",
        "documents",
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("_change"):
            queryset = queryset.select_related("user", "company", "approved_by").prefetch_related(
                Prefetch("lines", queryset=OrderLine.objects.order_by("id"))
            )
        return queryset

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # The saved state: a posted form has already set the status it asks for on `obj`.
        if obj is not None and (obj.shipped_at is not None or obj.cancelled_at is not None):
            return (*fields, *PARCEL_FIELDS)  # recorded once, when the order shipped
        return fields

    def has_add_permission(self, request):
        return False  # orders are placed by buyers at checkout

    def has_delete_permission(self, request, obj=None):
        return False  # orders are kept: cancel instead

    # --- columns and read-only fields ---

    @admin.display(description=_("paid"), boolean=True, ordering="paid_at")
    def is_paid(self, order):
        return order.paid_at is not None

    @admin.display(description=_("total"), ordering="total")
    def total_shown(self, order):
        return format_money(order.total)

    @admin.display(description=_("customer (placed by)"))
    def customer(self, order):
        if order.user_id is None:
            return _("Guest")
        profile = CustomerProfile.objects.filter(user_id=order.user_id).only("pk").first()
        if profile is None:
            return order.user.email
        url = reverse("admin:customers_customerprofile_change", args=[profile.pk])
        return format_html(
            '<a href="{}">{}</a> (<a href="{}#customer-story">{}</a>)',
            url,
            order.user.email,
            url,
            _("the customer's story"),
        )

    @admin.display(description=_("taken by"))
    def taken_by_shown(self, order):
        """For an order a shop manager took for the customer (by phone or email)."""
        return order.taken_by_email or "—"

    @admin.display(description=_("approved by"))
    def approved_by_shown(self, order):
        """For a company order that needed approval: the approver who had it placed."""
        return order.approved_by.email if order.approved_by_id else "—"

    @admin.display(description=_("open on-account balance"))
    def open_balance(self, order):
        if order.user_id is None:
            return "—"
        return format_money(selectors.open_account_balance(user=order.user))

    @admin.display(description=_("terms of sale accepted"))
    def terms_accepted(self, order):
        return accepted_terms(order)

    @admin.display(description=_("billing address"))
    def billing(self, order):
        return _address(order.billing_address)

    @admin.display(description=_("shipping address"))
    def shipping(self, order):
        return _address(order.shipping_address)

    @admin.display(description=_("prices shown"))
    def prices_shown(self, order):
        return _("including tax") if order.prices_include_tax else _("net, tax added")

    @admin.display(description=_("subtotal"))
    def subtotal_shown(self, order):
        return format_money(order.display_subtotal)

    @admin.display(description=_("cart discount"))
    def discount_shown(self, order):
        if not order.display_discount:
            return "—"
        return f"{order.discount_name}: -{format_money(order.display_discount)}"

    @admin.display(description=_("shipping"))
    def shipping_shown(self, order):
        return f"{order.shipping_method_name}: {format_money(order.display_shipping)}"

    @admin.display(description=_("tax"))
    def tax_shown(self, order):
        return format_money(order.tax_total)

    @admin.display(description=_("net total"))
    def net_total_shown(self, order):
        return format_money(order.net_total)

    # --- status changes go through the services ---

    def save_model(self, request, obj, form, change):
        if not change or "status" not in form.changed_data:
            return
        try:
            self._apply(obj, form.cleaned_data, site_url=_site_url(request))
        except Refusal as error:
            request._order_status_refused = error.message  # a concurrent change came first

    def log_change(self, request, obj, message):
        if getattr(request, "_order_status_refused", None) is None:
            return super().log_change(request, obj, message)
        return None

    def response_change(self, request, obj):
        refusal = getattr(request, "_order_status_refused", None)
        if refusal is not None:
            self.message_user(request, refusal, messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    @staticmethod
    def _apply(order, cleaned, *, site_url):
        status = cleaned["status"]
        if status == OrderStatus.PAID:
            return services.order_mark_paid(order=order, site_url=site_url)
        if status == OrderStatus.SHIPPED:
            return services.order_ship(
                order=order,
                carrier=cleaned.get("carrier", ""),
                tracking_number=cleaned.get("tracking_number", ""),
                tracking_url=cleaned.get("tracking_url", ""),
                site_url=site_url,
            )
        return services.order_set_status(order=order, status=status, site_url=site_url)

    # --- bulk actions ---

    def _bulk(self, request, queryset, change, done_message):
        done, refused = 0, []
        for order in queryset.order_by("pk"):
            try:
                change(order)
            except Refusal as error:
                refused.append(f"{order.number}: {error.message}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)
        for refusal in refused:
            self.message_user(request, refusal, messages.ERROR)

    @admin.action(description=_("Mark selected orders paid"), permissions=["change"])
    def mark_paid(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda order: services.order_mark_paid(order=order, site_url=_site_url(request)),
            lambda n: ngettext("%(count)d order marked paid.", "%(count)d orders marked paid.", n),
        )

    @admin.action(description=_("Mark selected orders shipped"), permissions=["change"])
    def mark_shipped(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda order: services.order_set_status(
                order=order, status=OrderStatus.SHIPPED, site_url=_site_url(request)
            ),
            lambda n: ngettext(
                "%(count)d order marked shipped.", "%(count)d orders marked shipped.", n
            ),
        )

    @admin.action(
        description=_("Cancel selected orders (their stock goes back)"), permissions=["change"]
    )
    def cancel(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda order: services.order_set_status(
                order=order, status=OrderStatus.CANCELLED, site_url=_site_url(request)
            ),
            lambda n: ngettext("%(count)d order cancelled.", "%(count)d orders cancelled.", n),
        )
