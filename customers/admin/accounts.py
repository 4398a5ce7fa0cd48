"""Accounts (customers.User), for superusers only: managers have no permission on them, so
they cannot change anyone's password, staff status or permissions. A customer's account is
erased (from their customer page), never deleted: its orders keep pointing to it."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import CustomerProfile, User


class ShopUserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "full_name")


class ShopUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class ProfileInline(admin.StackedInline):
    model = CustomerProfile
    can_delete = False
    extra = 0
    max_num = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = ShopUserChangeForm
    add_form = ShopUserCreationForm
    inlines = [ProfileInline]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "usable_password", "password1", "password2"],
            },
        ),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.profile_ensure(user=form.instance)

    def get_actions(self, request):
        # No bulk delete: customers among the selection would be deleted instead of erased.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not (obj.is_staff or obj.is_superuser):
            return False  # a customer is erased instead
        return super().has_delete_permission(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        """Asking to delete a customer leads to their erasure."""
        user = self.get_object(request, unquote(object_id))
        if user is not None and not (user.is_staff or user.is_superuser):
            profile = services.profile_ensure(user=user)
            return redirect("admin:customers_customerprofile_erase", profile.pk)
        return super().delete_view(request, object_id, extra_context)
