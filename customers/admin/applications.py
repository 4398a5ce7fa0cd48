"""Wholesale applications: pending ones first, approved or rejected from the list (bulk
actions) or from an application's page (its buttons), each through the same two steps: a
confirmation page with a small form, then one service call per application."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.errors import Refusal

from .. import selectors, services, web
from ..forms import ApproveApplicationsForm, RejectApplicationsForm
from ..models import CustomerGroup, CustomerProfile, WholesaleApplication
from ..permissions import can_manage_account
from .confirm import confirm_page

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

    def has_change_permission(self, request, obj=None):
        if obj is not None and not can_manage_account(request.user, obj.user):
            return False  # a staff applicant's application is decided by a superuser
        return super().has_change_permission(request, obj)

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

    # The two decisions. Each takes the posted data (None before the form was shown) and
    # returns the form while it must still be shown, None once the decision is made.

    def _approve(self, request, applications, form_data):
        groups = CustomerGroup.objects.filter(is_default=False).order_by("name")
        if form_data is None:
            form = ApproveApplicationsForm(
                initial={"group": selectors.application_target_group()}, groups=groups
            )
        else:
            form = ApproveApplicationsForm(form_data, groups=groups)
        return self._decide_each(
            request,
            applications,
            form,
            lambda application: services.application_approve(
                application=application,
                decided_by=request.user,
                group=form.cleaned_data["group"],
                site_url=web.site_url(request),
            ),
            lambda done: ngettext(
                "%(count)d application approved; the applicant has been emailed.",
                "%(count)d applications approved; the applicants have been emailed.",
                done,
            ),
        )

    def _reject(self, request, applications, form_data):
        form = RejectApplicationsForm() if form_data is None else RejectApplicationsForm(form_data)
        return self._decide_each(
            request,
            applications,
            form,
            lambda application: services.application_reject(
                application=application,
                decided_by=request.user,
                reason=form.cleaned_data["reason"],
                site_url=web.site_url(request),
            ),
            lambda done: ngettext(
                "%(count)d application rejected; the applicant has been emailed.",
                "%(count)d applications rejected; the applicants have been emailed.",
                done,
            ),
        )

    def _decide_each(self, request, applications, form, decide, done_message):
        """Once `form` is submitted and valid, apply `decide` to each application; refusals
        are reported, not fatal."""
        if not form.is_bound or not form.is_valid():
            return form
        done = 0
        for application in applications:
            if not can_manage_account(request.user, application.user):
                self.message_user(
                    request,
                    _("%(company)s: a staff account's application is decided by a superuser.")
                    % {"company": application.company_name},
                    messages.ERROR,
                )
                continue
            try:
                decide(application)
                done += 1
            except Refusal as error:
                self.message_user(
                    request, f"{application.company_name}: {error.message}", messages.ERROR
                )
        if done:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)
        return None

    # Bulk actions ----------------------------------------------------------------------------

    def _pending_selection(self, request, queryset):
        """The pending applications an action works on, and whether its form was submitted.
        Selected applications that are already decided are left alone, and said so."""
        pending = list(queryset.filter(status=PENDING).select_related("user"))
        applying = "apply" in request.POST
        if applying:
            skipped = queryset.exclude(status=PENDING).count()
            if skipped:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d selected application was already decided and is left as it is.",
                        "%(count)d selected applications were already decided and are left as "
                        "they are.",
                        skipped,
                    )
                    % {"count": skipped},
                    messages.WARNING,
                )
        elif not pending:
            self.message_user(
                request, _("None of the selected applications is pending."), messages.WARNING
            )
        return pending, applying

    def _decision_action(self, request, queryset, decide, **page):
        pending, applying = self._pending_selection(request, queryset)
        if not pending:
            return None
        form = decide(request, pending, request.POST if applying else None)
        if form is None:
            return None
        return confirm_page(self, request, form=form, objects=pending, **page)

    @admin.action(description=_("Approve selected applications"), permissions=["change"])
    def approve_applications(self, request, queryset):
        return self._decision_action(
            request,
            queryset,
            self._approve,
            title=_("Approve applications"),
            intro=_(
                "The applicants join the group below with its payment terms and credit "
                "limit, and are emailed."
            ),
            action="approve_applications",
            submit=_("Approve"),
        )

    @admin.action(description=_("Reject selected applications"), permissions=["change"])
    def reject_applications(self, request, queryset):
        return self._decision_action(
            request,
            queryset,
            self._reject,
            title=_("Reject applications"),
            intro=_("The applicants keep their current group and receive your reason by email."),
            action="reject_applications",
            submit=_("Reject"),
        )

    # The buttons of an application's page -------------------------------------------------

    def _decision_view(self, request, object_id, decide, **page):
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
        return confirm_page(self, request, form=form, objects=[application], **page)

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
