"""Admin for shop managers: customer groups, customers (profiles), wholesale applications.
Superusers also get the accounts themselves (customers.User), which managers never see."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.errors import Refusal

from . import selectors, services, web
from .forms import ApproveApplicationsForm, MoveToGroupForm, RejectApplicationsForm
from .models import CustomerGroup, CustomerProfile, User, WholesaleApplication

CONFIRM_TEMPLATE = "admin/customers/confirm_action.html"


def _confirm_page(modeladmin, request, *, title, intro, form, objects, action=None, submit):
    """The intermediate page of an action: the objects concerned and a small form."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "form": form,
        "objects": objects,
        "action": action,
        "submit_label": submit,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, CONFIRM_TEMPLATE, context)


# Customer groups -------------------------------------------------------------------------


class GroupForm(forms.ModelForm):
    class Meta:
        model = CustomerGroup
        fields = [
            "name",
            "slug",
            "is_default",
            "prices_include_tax",
            "portal_access",
            "requires_approval",
            "receives_applications",
            "auto_approve_applications",
            "min_order_subtotal",
            "default_payment_terms_days",
            "default_credit_limit",
        ]

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
    fieldsets = [
        (None, {"fields": ["name", "slug", "is_default"]}),
        (_("Display"), {"fields": ["prices_include_tax"]}),
        (
            _("Trade"),
            {
                "fields": [
                    "portal_access",
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

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("profiles"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    # Short column titles: the field names are long for a table header.
    @admin.display(description=_("default"), boolean=True, ordering="is_default")
    def default(self, obj):
        return obj.is_default

    @admin.display(description=_("incl. tax"), boolean=True, ordering="prices_include_tax")
    def gross_prices(self, obj):
        return obj.prices_include_tax

    @admin.display(description=_("portal"), boolean=True, ordering="portal_access")
    def portal(self, obj):
        return obj.portal_access

    @admin.display(description=_("approval"), boolean=True, ordering="requires_approval")
    def approval(self, obj):
        return obj.requires_approval

    @admin.display(
        description=_("receives applications"), boolean=True, ordering="receives_applications"
    )
    def receives(self, obj):
        return obj.receives_applications

    @admin.display(
        description=_("auto-approve"), boolean=True, ordering="auto_approve_applications"
    )
    def auto_approve(self, obj):
        return obj.auto_approve_applications

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


# Customers (profiles) -------------------------------------------------------------------


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
        from shop.order_selectors import open_account_balance  # the shop app's read
        from shop.templatetags.money import money

        return money(open_account_balance(user=obj.user))

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
        return _confirm_page(
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


# Wholesale applications -------------------------------------------------------------------

PENDING = WholesaleApplication.Status.PENDING


@admin.register(WholesaleApplication)
class WholesaleApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "company_name",
        "applicant",
        "country",
        "monthly_volume",
        "created_at",
        "status",
        "decided_by",
    ]
    list_filter = ["status", "monthly_volume", "group"]
    list_select_related = ["user", "group", "decided_by"]
    search_fields = ["company_name", "user__email", "vat_id"]
    date_hierarchy = "created_at"
    actions = ["approve_applications", "reject_applications"]
    change_form_template = "admin/customers/wholesaleapplication/change_form.html"
    fields = [
        "applicant",
        "current_group",
        "company_name",
        "vat_id",
        "country",
        "phone",
        "monthly_volume",
        "message",
        "created_at",
        "status",
        "group",
        "decided_by",
        "decided_at",
        "rejection_reason",
    ]
    readonly_fields = fields

    def get_ordering(self, request):
        """Pending applications first, newest first within each part."""
        pending_first = Case(
            When(status=PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return [pending_first.asc(), "-created_at", "-id"]

    @admin.display(description=_("applicant"), ordering="user__email")
    def applicant(self, obj):
        return obj.user.email

    @admin.display(description=_("current group"))
    def current_group(self, obj):
        profile = CustomerProfile.objects.select_related("group").filter(user_id=obj.user_id)
        return profile[0].group.name if profile else "—"

    def has_add_permission(self, request):
        return False  # customers apply on the site

    def get_urls(self):
        urls = [
            path(
                "<int:object_id>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="customers_wholesaleapplication_approve",
            ),
            path(
                "<int:object_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="customers_wholesaleapplication_reject",
            ),
        ]
        return urls + super().get_urls()

    # The decisions, shared by the bulk actions and the buttons of the change page.

    def _approve(self, request, applications, form_data):
        groups = CustomerGroup.objects.filter(is_default=False).order_by("name")
        if form_data is None:
            return ApproveApplicationsForm(
                initial={"group": selectors.application_target_group()}, groups=groups
            )
        form = ApproveApplicationsForm(form_data, groups=groups)
        if not form.is_valid():
            return form
        done = self._decide_each(
            request,
            applications,
            lambda application: services.application_approve(
                application=application,
                decided_by=request.user,
                group=form.cleaned_data["group"],
                site_url=web.site_url(request),
            ),
        )
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d application approved; the applicant has been emailed.",
                    "%(count)d applications approved; the applicants have been emailed.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )
        return None

    def _reject(self, request, applications, form_data):
        if form_data is None:
            return RejectApplicationsForm()
        form = RejectApplicationsForm(form_data)
        if not form.is_valid():
            return form
        done = self._decide_each(
            request,
            applications,
            lambda application: services.application_reject(
                application=application,
                decided_by=request.user,
                reason=form.cleaned_data["reason"],
                site_url=web.site_url(request),
            ),
        )
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d application rejected; the applicant has been emailed.",
                    "%(count)d applications rejected; the applicants have been emailed.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )
        return None

    def _decide_each(self, request, applications, decide) -> int:
        """Apply one decision to each application; refusals are reported, not fatal."""
        done = 0
        for application in applications:
            try:
                decide(application)
                done += 1
            except Refusal as error:
                self.message_user(
                    request, f"{application.company_name}: {error.message}", messages.ERROR
                )
        return done

    def _pending_only(self, request, queryset):
        pending = list(queryset.filter(status=PENDING).select_related("user"))
        skipped = queryset.exclude(status=PENDING).count()
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d selected application was already decided and is left as it is.",
                    "%(count)d selected applications were already decided and are left as they "
                    "are.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
        return pending

    def _pending_selection(self, request, queryset):
        """The pending applications an action works on, and whether its form was submitted."""
        applying = "apply" in request.POST
        if applying:
            return self._pending_only(request, queryset), applying
        pending = list(queryset.filter(status=PENDING).select_related("user"))
        if not pending:
            self.message_user(
                request, _("None of the selected applications is pending."), messages.WARNING
            )
        return pending, applying

    @admin.action(description=_("Approve selected applications"), permissions=["change"])
    def approve_applications(self, request, queryset):
        pending, applying = self._pending_selection(request, queryset)
        if not pending:
            return None
        form = self._approve(request, pending, request.POST if applying else None)
        if form is None:
            return None
        return _confirm_page(
            self,
            request,
            title=_("Approve applications"),
            intro=_(
                "The applicants join the group below with its payment terms and credit "
                "limit, and are emailed."
            ),
            form=form,
            objects=pending,
            action="approve_applications",
            submit=_("Approve"),
        )

    @admin.action(description=_("Reject selected applications"), permissions=["change"])
    def reject_applications(self, request, queryset):
        pending, applying = self._pending_selection(request, queryset)
        if not pending:
            return None
        form = self._reject(request, pending, request.POST if applying else None)
        if form is None:
            return None
        return _confirm_page(
            self,
            request,
            title=_("Reject applications"),
            intro=_("The applicants keep their current group and receive your reason by email."),
            form=form,
            objects=pending,
            action="reject_applications",
            submit=_("Reject"),
        )

    def _decision_view(self, request, object_id, decide, *, title, intro, submit):
        application = get_object_or_404(
            WholesaleApplication.objects.select_related("user"), pk=object_id
        )
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        change_url = reverse("admin:customers_wholesaleapplication_change", args=[object_id])
        if application.status != PENDING:
            self.message_user(request, services.NOT_PENDING, messages.WARNING)
            return redirect(change_url)
        form = decide(request, [application], request.POST if request.method == "POST" else None)
        if form is None:
            return redirect(change_url)
        return _confirm_page(
            self,
            request,
            title=title,
            intro=intro,
            form=form,
            objects=[application],
            submit=submit,
        )

    def approve_view(self, request, object_id):
        return self._decision_view(
            request,
            object_id,
            self._approve,
            title=_("Approve application"),
            intro=_(
                "The applicant joins the group below with its payment terms and credit "
                "limit, and is emailed."
            ),
            submit=_("Approve"),
        )

    def reject_view(self, request, object_id):
        return self._decision_view(
            request,
            object_id,
            self._reject,
            title=_("Reject application"),
            intro=_("The applicant keeps their current group and receives your reason by email."),
            submit=_("Reject"),
        )


# Accounts (superusers only: managers have no permission on customers.User) ----------------


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
