"""Customers as managers see them: a profile per account, with its group and terms, and the
bulk move to another group. Profiles are created with their account and never deleted here:
superusers erase a customer instead (an action, and a button on the customer's page), which
anonymises the account and keeps its orders.

Payment terms and credit limits are read-only without `customers.change_credit_terms`; staff
and superuser profiles are read-only for everyone but superusers."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.errors import Refusal
from core.money import format_money
from shop.erasure import account_erase

from .. import erasure, services
from ..forms import EraseCustomersForm, MoveToGroupForm
from ..models import CustomerGroup, CustomerProfile
from ..permissions import can_change_credit_terms, can_manage_account
from .confirm import confirm_page
from .story import story_context

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
    list_filter = ["group", "vat_check_result"]
    list_select_related = ["user", "group"]
    search_fields = ["user__email", "user__full_name", "company_name", "vat_id"]
    ordering = ["-user__date_joined", "-id"]
    readonly_fields = [
        "email",
        "full_name",
        "date_joined",
        "open_balance",
        "vat_check_result",
        "vat_checked_at",
    ]
    fields = [
        "email",
        "full_name",
        "date_joined",
        "group",
        "company_name",
        "vat_id",
        "vat_check_result",
        "vat_checked_at",
        "phone",
        "payment_terms_days",
        "credit_limit",
        "open_balance",
    ]
    actions = ["move_to_group", "erase_customers"]
    change_form_template = "admin/customers/customerprofile/change_form.html"

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

    def save_model(self, request, obj, form, change):
        if "vat_id" in form.changed_data:  # the online check was of the previous number
            obj.vat_check_result, obj.vat_checked_at = "", None
        super().save_model(request, obj, form, change)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if not request.user.has_perm("shop.view_order"):
            fields.remove("open_balance")  # an order figure
        return fields

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
        return False  # superusers erase the customer instead (erase_view)

    def has_erase_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_urls(self):
        urls = [
            path(
                "<int:object_id>/erase/",
                self.admin_site.admin_view(self.erase_view),
                name="customers_customerprofile_erase",
            ),
        ]
        return urls + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        profile = self.get_object(request, object_id)
        can_erase = (
            profile is not None
            and self.has_erase_permission(request)
            and not (profile.user.is_staff or profile.user.is_superuser)
            and not erasure.is_erased(profile.user)
        )
        extra_context = {**(extra_context or {}), "can_erase": can_erase}
        if profile is not None:
            extra_context.update(story_context(viewer=request.user, user=profile.user))
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        """Superusers who ask to delete a customer get the erasure, which keeps the orders."""
        if self.has_erase_permission(request):
            return redirect("admin:customers_customerprofile_erase", object_id)
        return super().delete_view(request, object_id, extra_context)

    # Erasure ---------------------------------------------------------------------------------

    ERASE_INTRO = _(
        "Their name, email address, phone, company details, address book, cart and pending "
        "trade application are erased, and they can no longer log in. Their orders and "
        "invoices are kept as they are, for the accounts. This cannot be undone."
    )

    def _erase_each(self, request, profiles) -> None:
        erased = 0
        for profile in profiles:
            email = profile.user.email
            try:
                account_erase(user=profile.user)
            except Refusal as error:
                self.message_user(request, f"{email}: {error.message}", messages.ERROR)
            else:
                erased += 1
        if erased:
            self.message_user(
                request,
                ngettext("%(count)d customer erased.", "%(count)d customers erased.", erased)
                % {"count": erased},
                messages.SUCCESS,
            )

    @admin.action(description=_("Erase selected customers' personal data"), permissions=["erase"])
    def erase_customers(self, request, queryset):
        profiles = list(queryset.select_related("user"))
        if "apply" in request.POST:
            self._erase_each(request, profiles)
            return None
        return confirm_page(
            self,
            request,
            title=_("Erase customers"),
            intro=self.ERASE_INTRO,
            form=EraseCustomersForm(),
            objects=profiles,
            action="erase_customers",
            submit=_("Erase"),
        )

    def erase_view(self, request, object_id):
        if not self.has_erase_permission(request):
            raise PermissionDenied
        profile = get_object_or_404(CustomerProfile.objects.select_related("user"), pk=object_id)
        change_url = reverse("admin:customers_customerprofile_change", args=[profile.pk])
        if profile.user.is_staff or profile.user.is_superuser:
            self.message_user(request, erasure.CANNOT_ERASE_STAFF, messages.ERROR)
            return redirect(change_url)
        if request.method == "POST" and "apply" in request.POST:
            self._erase_each(request, [profile])
            return redirect(change_url)
        return confirm_page(
            self,
            request,
            title=_("Erase customer"),
            intro=self.ERASE_INTRO,
            form=EraseCustomersForm(),
            objects=[profile],
            submit=_("Erase"),
        )

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
