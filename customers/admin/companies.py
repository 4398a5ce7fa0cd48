"""Companies as managers see them: their group, terms and credit, and their members. Managers
add members by the email address of an existing account, change roles and spending limits and
move a company to another group; payment terms and credit limits need
`customers.change_credit_terms`. A staff or superuser account's membership is left to
superusers, and a company with members always keeps a company admin."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.money import format_money
from shop.orders import selectors as order_selectors

from ..companies import services as company_services
from ..companies.models import Company, CompanyMember, CompanyRole
from ..models import User
from ..permissions import can_change_credit_terms, can_manage_account
from .invitations import invitations_of
from .profiles import CREDIT_TERMS_FIELDS

NO_ACCOUNT = _("No account has this email address: the colleague signs up first.")
OTHER_COMPANY = _("This account already belongs to another company.")
STAFF_ACCOUNT = _("Staff and superuser accounts are changed by a superuser only.")


class CompanyMemberForm(forms.ModelForm):
    """A member by the email address of their account (fixed once added)."""

    email = forms.EmailField(label=_("email address of the account"))

    class Meta:
        model = CompanyMember
        fields = ["role", "spending_limit"]

    manager = None  # the user who edits (set by the inline)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["email"].initial = self.instance.user.email
            self.fields["email"].disabled = True

    def clean_email(self):
        if self.instance.pk:
            return self.instance.user.email
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise ValidationError(NO_ACCOUNT)
        member = CompanyMember.objects.filter(user=user).first()
        if member is not None and member.company_id != self.instance.company_id:
            raise ValidationError(OTHER_COMPANY)
        self.instance.user = user
        return email

    def clean(self):
        cleaned = super().clean()
        user = self.instance.user if self.instance.user_id else None
        if (
            user is not None
            and self.manager is not None
            and self.has_changed()
            and not can_manage_account(self.manager, user)
        ):
            raise ValidationError(STAFF_ACCOUNT)
        return cleaned


class CompanyMemberFormSet(forms.BaseInlineFormSet):
    manager = None

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        roles = []
        for form in self.forms:
            if not form.cleaned_data or (not form.instance.user_id and not form.has_changed()):
                continue
            deleted = self.can_delete and self._should_delete_form(form)
            if deleted:
                if self.manager is not None and not can_manage_account(
                    self.manager, form.instance.user
                ):
                    raise ValidationError(STAFF_ACCOUNT)
                continue
            roles.append(form.cleaned_data.get("role"))
        had_members = self.instance.pk is not None and self.instance.members.exists()
        if (roles or had_members) and CompanyRole.ADMIN not in roles:
            raise ValidationError(company_services.LAST_ADMIN)


class CompanyMemberInline(admin.TabularInline):
    model = CompanyMember
    form = CompanyMemberForm
    formset = CompanyMemberFormSet
    fields = ["email", "role", "spending_limit", "joined_at"]
    readonly_fields = ["joined_at"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.manager = request.user
        formset.form = type("ManagedCompanyMemberForm", (formset.form,), {"manager": request.user})
        return formset


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "vat_id", "group", "members_count", "credit_used", "credit_available"]
    list_filter = ["group"]
    list_select_related = ["group"]
    search_fields = ["name", "vat_id", "members__user__email"]
    ordering = ["name", "id"]
    fields = [
        "name",
        "vat_id",
        "vat_check_result",
        "vat_checked_at",
        "group",
        "payment_terms_days",
        "credit_limit",
        "credit_used",
        "credit_available",
        "buyers_see_company_orders",
        "created_at",
        "invitations",
    ]
    readonly_fields = [
        "vat_check_result",
        "vat_checked_at",
        "credit_used",
        "credit_available",
        "created_at",
        "invitations",
    ]
    inlines = [CompanyMemberInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(members_total=Count("members"))
        return order_selectors.companies_with_credit_used(queryset)

    @admin.display(description=_("members"), ordering="members_total")
    def members_count(self, obj):
        return obj.members_total

    @admin.display(description=_("credit used"), ordering="credit_used")
    def credit_used(self, obj):
        return format_money(obj.credit_used) if obj.pk else "—"

    @admin.display(description=_("credit available"))
    def credit_available(self, obj):
        if not obj.pk:
            return "—"
        return format_money(max(obj.credit_limit - obj.credit_used, 0))

    @admin.display(description=_("pending invitations"))
    def invitations(self, obj):
        return invitations_of(obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_change_credit_terms(request.user):
            fields += CREDIT_TERMS_FIELDS
        return fields

    def save_model(self, request, obj, form, change):
        if "vat_id" in form.changed_data:  # the online check was of the previous number
            obj.vat_check_result, obj.vat_checked_at = "", None
        if not change and not can_change_credit_terms(request.user):
            obj.payment_terms_days = obj.group.default_payment_terms_days
            obj.credit_limit = obj.group.default_credit_limit
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)
