"""Customers as managers see them: a profile per account, with its group and terms, and the
bulk move to another group. Profiles are created with their account and never deleted here.

Payment terms and credit limits are read-only without `customers.change_credit_terms`; staff
and superuser profiles are read-only for everyone but superusers."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.money import format_money

from .. import services
from ..forms import MoveToGroupForm
from ..models import CustomerGroup, CustomerProfile
from ..permissions import can_change_credit_terms, can_manage_account
from .confirm import confirm_page

CREDIT_TERMS_FIELDS = ["payment_terms_days", "credit_limit"]


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

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_change_credit_terms(request.user):
            fields += CREDIT_TERMS_FIELDS
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and not can_manage_account(request.user, obj.user):
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return False  # a profile is created with its account

    def has_delete_permission(self, request, obj=None):
        return False  # delete the account instead (superusers)

    @admin.action(description=_("Move selected customers to another group"), permissions=["change"])
    def move_to_group(self, request, queryset):
        staff = [
            profile.user.email
            for profile in queryset.select_related("user")
            if not can_manage_account(request.user, profile.user)
        ]
        if staff:
            self.message_user(
                request,
                _(
                    "Staff and superuser accounts are changed by a superuser only. Unselect "
                    "them and try again: %(emails)s"
                )
                % {"emails": ", ".join(staff)},
                messages.ERROR,
            )
            return None
        groups = CustomerGroup.objects.order_by("name")
        with_terms = can_change_credit_terms(request.user)
        if "apply" in request.POST:
            form = MoveToGroupForm(request.POST, groups=groups, with_terms=with_terms)
            if form.is_valid():
                group = form.cleaned_data["group"]
                moved = services.customer_move_to_group(
                    user_ids=queryset.values_list("user_id", flat=True),
                    group=group,
                    apply_group_terms=with_terms and form.cleaned_data["apply_group_terms"],
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
            form = MoveToGroupForm(groups=groups, with_terms=with_terms)
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
