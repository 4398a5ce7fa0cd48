"""Customers as managers see them: a profile per account, with its group and terms, and the
bulk move to another group. Profiles are created with their account and never deleted here."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.money import format_money

from .. import services
from ..forms import MoveToGroupForm
from ..models import CustomerGroup, CustomerProfile
from .confirm import confirm_page


@admin.register(CustomerProfile)
class CustomerProfileAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "full_name",
        "company_name",
        "group",
        "terms",
        "credit_limit",
    ]
    list_filter = ["group"]
    list_select_related = ["user", "group"]
    search_fields = ["user__email", "user__full_name", "company_name", "vat_id"]
    ordering = ["-user__date_joined", "-id"]
    readonly_fields = ["email", "full_name", "date_joined", "open_balance"]
    fields = [
        "email",
        "full_name",
        "date_joined",
        "group",
        "company_name",
        "vat_id",
        "phone",
        "payment_terms_days",
        "credit_limit",
        "open_balance",
    ]
    actions = ["move_to_group"]

    @admin.display(description=_("email"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description=_("name"), ordering="user__full_name")
    def full_name(self, obj):
        return obj.user.full_name

    @admin.display(description=_("terms (days)"), ordering="payment_terms_days")
    def terms(self, obj):
        return obj.payment_terms_days

    @admin.display(description=_("joined"), ordering="user__date_joined")
    def date_joined(self, obj):
        return obj.user.date_joined

    @admin.display(description=_("open on-account balance"))
    def open_balance(self, obj):
        from shop.orders.selectors import open_account_balance  # the shop app's read

        return format_money(open_account_balance(user=obj.user))

    def has_add_permission(self, request):
        return False  # a profile is created with its account

    def has_delete_permission(self, request, obj=None):
        return False  # delete the account instead (superusers)

    @admin.action(description=_("Move selected customers to another group"), permissions=["change"])
    def move_to_group(self, request, queryset):
        groups = CustomerGroup.objects.order_by("name")
        if "apply" in request.POST:
            form = MoveToGroupForm(request.POST, groups=groups)
            if form.is_valid():
                group = form.cleaned_data["group"]
                moved = services.customer_move_to_group(
                    user_ids=queryset.values_list("user_id", flat=True),
                    group=group,
                    apply_group_terms=form.cleaned_data["apply_group_terms"],
                )
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d customer moved to “%(group)s”.",
                        "%(count)d customers moved to “%(group)s”.",
                        moved,
                    )
                    % {"count": moved, "group": group.name},
                    messages.SUCCESS,
                )
                return None
        else:
            form = MoveToGroupForm(groups=groups)
        return confirm_page(
            self,
            request,
            title=_("Move customers to another group"),
            intro=_(
                "These customers will buy as members of the group you choose, from their "
                "next page view on."
            ),
            form=form,
            objects=queryset.select_related("user", "group"),
            action="move_to_group",
            submit=_("Move customers"),
        )
