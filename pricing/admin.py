"""Admin for shop managers: price rules, quantity rules, cart discounts and the simulator.

Changelists read like sentences ("Wholesale · Kitchen (and below) · from 12 · 15% off") and
cost a constant number of queries (related rows joined, discount groups prefetched). Every
write, bulk ones included, bumps the pricing version through `PricingInputAdminMixin`, so every
process reloads its rules on its next request. The price simulator lives at
/admin/pricing/pricerule/simulator/; its logic is in `pricing.simulator`, its form in
`pricing.forms`.

Customers are picked with an autocomplete served here (search by email or name): managers
have no permission on accounts, so Django's own autocomplete (which needs the user admin's
view permission) would refuse them.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.utils import get_translation_fields

from . import admin_pages, labels, precedence
from .admin_base import PricingInputAdminMixin
from .forms import SimulatorForm
from .imports.admin import RuleImportExportMixin
from .models import CartDiscount, PriceRule, QuantityRule, window_filter
from .simulator import simulate

CUSTOMER_AUTOCOMPLETE_URL = "admin:pricing_customer_autocomplete"
CUSTOMER_PAGE_SIZE = 20
RULE_RELATIONS = ("group", "customer", "company", "product", "category")


# --- filters --------------------------------------------------------------------------------


class StatusFilter(admin.SimpleListFilter):
    """Current (active and in its window), scheduled, expired, inactive."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return labels.status_choices()

    def queryset(self, request, queryset):
        value = self.value()
        if value == labels.STATUS_INACTIVE:
            return queryset.filter(is_active=False)
        windows = {status: window for window, status in labels.STATUS_BY_WINDOW.items()}
        if value not in windows:
            return queryset
        return queryset.filter(window_filter(windows[value], timezone.now()), is_active=True)


class WhoFilter(admin.SimpleListFilter):
    title = _("for")
    parameter_name = "who"

    def lookups(self, request, model_admin):
        return [
            ("customer", _("One customer (negotiated)")),
            ("company", _("A company (negotiated)")),
            ("group", _("A group")),
            ("everyone", _("Everyone")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        negotiated = {"customer__isnull": True, "company__isnull": True}
        if value == "company":
            return queryset.filter(company__isnull=False)
        if value == "customer":
            return queryset.filter(customer__isnull=False)
        if value == "group":
            return queryset.filter(**negotiated, group__isnull=False)
        if value == "everyone":
            return queryset.filter(**negotiated, group__isnull=True)
        return queryset


# --- customer autocomplete ------------------------------------------------------------------


class CustomerAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget, fed by `customer_autocomplete_view` below."""

    def get_url(self):
        return reverse(CUSTOMER_AUTOCOMPLETE_URL)


def customer_choices():
    """The accounts a rule can be negotiated for: active customers, never staff (a manager
    must not give himself or a colleague a price)."""
    return get_user_model().objects.filter(is_active=True, is_staff=False, is_superuser=False)


def can_pick_customers(user) -> bool:
    """Whoever may add or change price or quantity rules may look customers up."""
    return any(
        user.has_perm(f"pricing.{action}_{model}")
        for action in ("add", "change")
        for model in ("pricerule", "quantityrule")
    )


# --- shared bits of the rule admins ---------------------------------------------------------


class RuleAdminMixin(PricingInputAdminMixin):
    """Who / what columns, the customer widget, bulk (de)activation."""

    list_select_related = RULE_RELATIONS
    list_per_page = 50
    autocomplete_fields = ("group", "company", "product", "category")
    actions = ("activate", "deactivate")
    search_fields = (
        "name",
        "product__sku",
        # Products and categories by their name in any language.
        *(f"product__{name}" for name in get_translation_fields("name")),
        *(f"category__{name}" for name in get_translation_fields("name")),
        "customer__email",
        "company__name",
        "group__name",
    )
    search_help_text = _(
        "Search by rule name, product SKU or name, category, customer email, company name."
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "customer":
            kwargs["widget"] = CustomerAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
            if not request.user.is_superuser:
                kwargs["queryset"] = customer_choices()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("for"))
    def who(self, obj):
        return labels.who(obj)

    @admin.display(description=_("applies to"))
    def what(self, obj):
        return labels.what(obj)

    @admin.display(description=_("status"), ordering="is_active")
    def status(self, obj):
        return labels.status_with_window(obj)

    def _set_active(self, request, queryset, *, is_active: bool) -> None:
        count = self.update_selected(request, queryset, is_active=is_active)
        if is_active:
            text = ngettext("%(count)d rule activated.", "%(count)d rules activated.", count)
        else:
            text = ngettext("%(count)d rule deactivated.", "%(count)d rules deactivated.", count)
        self.message_user(request, text % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Activate selected rules"), permissions=["change"])
    def activate(self, request, queryset):
        self._set_active(request, queryset, is_active=True)

    @admin.action(description=_("Deactivate selected rules"), permissions=["change"])
    def deactivate(self, request, queryset):
        self._set_active(request, queryset, is_active=False)


# --- price rules ----------------------------------------------------------------------------


@admin.register(PriceRule)
class PriceRuleAdmin(RuleImportExportMixin, RuleAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "who",
        "what",
        "from_quantity",
        "price",
        "priority",
        "status",
    )
    list_filter = (StatusFilter, "group", WhoFilter, "company", "kind", "is_active")
    ordering = ("-priority", "name", "id")
    fieldsets = (
        (None, {"fields": ("name", "is_active")}),
        (_("Who"), {"fields": ("group", "customer", "company")}),
        (_("What"), {"fields": ("product", "category")}),
        (_("Price"), {"fields": ("min_quantity", "kind", "value", "priority")}),
        (_("When"), {"fields": ("starts_at", "ends_at")}),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """The priority's help text says what it does under the configured strategy."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "priority" and field is not None:
            field.help_text = precedence.priority_help_text(settings.SHOP_PRICING_STRATEGY)
        return field

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        admin_pages.warn_about_price_rule(request, form.instance)

    @admin.display(description=_("quantity"), ordering="min_quantity")
    def from_quantity(self, obj):
        return labels.from_quantity(obj)

    @admin.display(description=_("price"))
    def price(self, obj):
        return labels.price_effect(obj)

    def get_urls(self):
        own = [
            path(
                "simulator/",
                self.admin_site.admin_view(self.simulator_view),
                name="pricing_pricerule_simulator",
            ),
            path(
                "health/",
                self.admin_site.admin_view(self.health_view),
                name="pricing_pricerule_health",
            ),
            path(
                "how-prices-are-chosen/",
                self.admin_site.admin_view(self.precedence_view),
                name="pricing_pricerule_precedence",
            ),
            path(
                "customers/",
                self.admin_site.admin_view(self.customer_autocomplete_view),
                name="pricing_customer_autocomplete",
            ),
        ]
        return own + super().get_urls()

    def simulator_view(self, request):
        """GET form in, simulation out; bad input answers with form errors."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = SimulatorForm(request.GET or None)
        simulation = None
        if form.is_bound and form.is_valid():
            simulation = simulate(**form.cleaned_data)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Price simulator"),
            "form": form,
            "simulation": simulation,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/pricing/pricerule/simulator.html", context)

    def health_view(self, request):
        return admin_pages.health_view(self, request)

    def precedence_view(self, request):
        return admin_pages.precedence_view(self, request)

    def customer_autocomplete_view(self, request):
        """The select2 JSON Django's autocomplete widget expects, customers by email/name."""
        if not can_pick_customers(request.user):
            raise PermissionDenied
        term = request.GET.get("term", "").strip()[:100]
        customers = customer_choices().order_by("email", "pk")
        if term:
            customers = customers.filter(Q(email__icontains=term) | Q(full_name__icontains=term))
        page = Paginator(customers.only("pk", "email", "full_name"), CUSTOMER_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return JsonResponse(
            {
                "results": [
                    {
                        "id": str(customer.pk),
                        "text": f"{customer.email} ({customer.full_name})"
                        if customer.full_name
                        else customer.email,
                    }
                    for customer in page.object_list
                ],
                "pagination": {"more": page.has_next()},
            }
        )


# --- quantity rules -------------------------------------------------------------------------


@admin.register(QuantityRule)
class QuantityRuleAdmin(RuleImportExportMixin, RuleAdminMixin, admin.ModelAdmin):
    list_display = ("name", "who", "what", "limits", "status")
    list_filter = ("is_active", "group", WhoFilter, "company")
    ordering = ("name", "id")
    fieldsets = (
        (None, {"fields": ("name", "is_active")}),
        (_("Who"), {"fields": ("group", "customer", "company")}),
        (_("What"), {"fields": ("product", "category")}),
        (_("Limits"), {"fields": ("min_quantity", "max_quantity", "step")}),
    )

    @admin.display(description=_("limits"))
    def limits(self, obj):
        return labels.quantity_limits(obj)


# --- cart discounts -------------------------------------------------------------------------


@admin.register(CartDiscount)
class CartDiscountAdmin(RuleImportExportMixin, PricingInputAdminMixin, admin.ModelAdmin):
    list_display = ("name", "for_groups", "threshold", "effect", "status")
    list_filter = (StatusFilter, "groups", "kind", "is_active")
    list_per_page = 50
    search_fields = ("name", "groups__name")
    search_help_text = _("Search by name or group.")
    ordering = ("name", "id")
    actions = ("activate", "deactivate")
    fieldsets = (
        (None, {"fields": ("name", "is_active")}),
        (_("Who"), {"fields": ("groups",)}),
        (_("Discount"), {"fields": ("min_subtotal", "kind", "value")}),
        (_("When"), {"fields": ("starts_at", "ends_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        admin_pages.warn_about_cart_discount(request, form.instance)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":  # a handful of groups: plain checkboxes
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("for"))
    def for_groups(self, obj):
        return labels.discount_groups(group.name for group in obj.groups.all())

    @admin.display(description=_("subtotal"), ordering="min_subtotal")
    def threshold(self, obj):
        return labels.discount_threshold(obj)

    @admin.display(description=_("discount"))
    def effect(self, obj):
        return labels.discount_effect(obj)

    @admin.display(description=_("status"), ordering="is_active")
    def status(self, obj):
        return labels.status_with_window(obj)

    def _set_active(self, request, queryset, *, is_active: bool) -> None:
        count = self.update_selected(request, queryset, is_active=is_active)
        if is_active:
            text = ngettext(
                "%(count)d cart discount activated.", "%(count)d cart discounts activated.", count
            )
        else:
            text = ngettext(
                "%(count)d cart discount deactivated.",
                "%(count)d cart discounts deactivated.",
                count,
            )
        self.message_user(request, text % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Activate selected cart discounts"), permissions=["change"])
    def activate(self, request, queryset):
        self._set_active(request, queryset, is_active=True)

    @admin.action(description=_("Deactivate selected cart discounts"), permissions=["change"])
    def deactivate(self, request, queryset):
        self._set_active(request, queryset, is_active=False)
