"""Customer groups: exactly one default group and at most one that receives wholesale
applications, whatever a manager ticks; the default group is never deleted."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import CustomerGroup
from ..permissions import can_change_credit_terms

FIELDSETS = [
    (None, {"fields": ["name", "slug", "is_default"]}),
    (_("Display"), {"fields": ["prices_include_tax"]}),
    (
        _("Trade"),
        {
            "fields": [
                "portal_access",
                "can_request_quotes",
                "requires_approval",
                "receives_applications",
                "auto_approve_applications",
                "min_order_subtotal",
                "default_payment_terms_days",
                "default_credit_limit",
            ]
        },
    ),
]


class GroupForm(forms.ModelForm):
    class Meta:
        model = CustomerGroup
        fields = flatten_fieldsets(FIELDSETS)

    def _get_validation_exclusions(self):
        # The single-default and single-target constraints are kept by the services that
        # save_model calls (they move the flag), so the model check must not refuse it here.
        return super()._get_validation_exclusions() | {"is_default", "receives_applications"}

    def clean_is_default(self):
        is_default = self.cleaned_data["is_default"]
        was_default = bool(self.instance.pk) and (
            CustomerGroup.objects.filter(pk=self.instance.pk, is_default=True).exists()
        )
        if was_default and not is_default:
            raise forms.ValidationError(
                _(
                    "There must always be exactly one default group: guests and new accounts "
                    "belong to it. To change it, open the group that should become the default "
                    "and tick “default group” there."
                ),
                code="default_required",
            )
        return is_default


def _flag_column(field: str, title):
    """A yes/no column showing `field` under a short title, sortable by that field."""

    @admin.display(description=title, boolean=True, ordering=field)
    def column(modeladmin, obj):
        return getattr(obj, field)

    return column


@admin.register(CustomerGroup)
class CustomerGroupAdmin(admin.ModelAdmin):
    form = GroupForm
    list_display = [
        "name",
        "default",
        "member_count",
        "gross_prices",
        "portal",
        "approval",
        "receives",
        "auto_approve",
        "min_order_subtotal",
    ]
    list_display_links = ["name"]
    ordering = ["name"]  # explicit: the member count annotation drops Meta.ordering
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = FIELDSETS

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("profiles"))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_change_credit_terms(request.user):
            # Approval and "move to group" hand these defaults to customers.
            fields += ["default_payment_terms_days", "default_credit_limit"]
        return fields

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    # Short column titles: the field names are long for a table header.
    default = _flag_column("is_default", _("default"))
    gross_prices = _flag_column("prices_include_tax", _("incl. tax"))
    portal = _flag_column("portal_access", _("portal"))
    approval = _flag_column("requires_approval", _("approval"))
    receives = _flag_column("receives_applications", _("receives applications"))
    auto_approve = _flag_column("auto_approve_applications", _("auto-approve"))

    def get_actions(self, request):
        # No bulk delete: it could take the default group with it.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_default:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """Saved with the stored flags, then switched by the services so that exactly one
        group is the default and at most one receives applications, at every moment."""
        stored = CustomerGroup.objects.filter(pk=obj.pk).first() if obj.pk else None
        wants_default, wants_target = obj.is_default, obj.receives_applications
        obj.is_default = bool(stored and stored.is_default)
        obj.receives_applications = bool(stored and stored.receives_applications)
        super().save_model(request, obj, form, change)
        if wants_default and not obj.is_default:
            previous = CustomerGroup.objects.filter(is_default=True).first()
            services.group_set_default(group=obj)
            self.message_user(
                request,
                _("“%(new)s” is now the default group instead of “%(old)s”.")
                % {"new": obj.name, "old": previous.name if previous else "—"},
                messages.WARNING,
            )
        if wants_target != obj.receives_applications:
            services.group_set_application_target(group=obj, receives=wants_target)
            obj.receives_applications = wants_target
