"""Invitations company admins sent from the trade portal, as managers see them: read only
(the token never leaves the invitee's email): the pending ones on their company's page, all of
them in a list of their own where a manager with the change permission may revoke them."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.errors import Refusal

from ..companies import selectors as company_selectors
from ..companies import services as company_services
from ..companies.models import CompanyInvitation

INVITATION_FIELDS = [
    "email",
    "role",
    "spending_limit",
    "invited_by",
    "created_at",
    "expires_at",
    "state",
    "accepted_at",
    "revoked_at",
]

STATES = {
    "pending": _("Pending"),
    "accepted": _("Accepted"),
    "revoked": _("Revoked"),
    "expired": _("Expired"),
}


def invitation_state(obj) -> str:
    return STATES[company_selectors.invitation_state(obj)]


def invitations_of(company) -> str:
    """The company's pending invitations, for its change page (read only), with a link to
    all of them in the invitations list."""
    if not company.pk:
        return "—"
    pending = [
        invitation
        for invitation in CompanyInvitation.objects.filter(
            company=company, accepted_at=None, revoked_at=None
        ).order_by("-created_at", "-pk")
        if invitation.is_pending()
    ]
    rows = format_html_join(
        "",
        "<li>{} ({}), {}</li>",
        (
            (
                invitation.email,
                invitation.get_role_display(),
                _("expires %(date)s") % {"date": date_format(invitation.expires_at)},
            )
            for invitation in pending
        ),
    )
    link = format_html(
        '<a href="{}?company__id__exact={}">{}</a>',
        reverse("admin:customers_companyinvitation_changelist"),
        company.pk,
        _("All invitations of this company"),
    )
    if not pending:
        return format_html("{}<br>{}", _("No pending invitation."), link)
    return format_html("<ul>{}</ul>{}", rows, link)


@admin.register(CompanyInvitation)
class CompanyInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "company", "role", "state", "created_at", "expires_at", "invited_by"]
    list_filter = ["role"]
    list_select_related = ["company", "invited_by"]
    search_fields = ["email", "company__name"]
    fields = ["company", *INVITATION_FIELDS]
    readonly_fields = fields
    actions = ["revoke_invitations"]

    @admin.display(description=_("state"))
    def state(self, obj):
        return invitation_state(obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected invitations"), permissions=["change"])
    def revoke_invitations(self, request, queryset):
        revoked = 0
        for invitation in queryset.filter(accepted_at=None, revoked_at=None).order_by("pk"):
            try:
                company_services.company_invitation_revoke(invitation=invitation)
            except Refusal:
                continue  # accepted or revoked meanwhile
            revoked += 1
        self.message_user(
            request,
            ngettext(
                "%(count)s invitation revoked: its link no longer works.",
                "%(count)s invitations revoked: their links no longer work.",
                revoked,
            )
            % {"count": revoked},
            messages.SUCCESS,
        )
