"""Reads the customer pages need, each in a small constant number of queries."""

from dataclasses import dataclass

from .models import CustomerGroup, CustomerProfile, WholesaleApplication


@dataclass(frozen=True)
class AccountOverview:
    """What /accounts/, /wholesale/apply/ and /portal/ show about one customer."""

    profile: CustomerProfile | None
    group: CustomerGroup
    latest_application: WholesaleApplication | None

    @property
    def pending_application(self) -> WholesaleApplication | None:
        application = self.latest_application
        if application is not None and application.status == WholesaleApplication.Status.PENDING:
            return application
        return None


def account_overview(*, user) -> AccountOverview:
    """The customer's profile, group (the default one without a profile) and latest
    application; read fresh on every call, so a group change shows on the next request."""
    profile = CustomerProfile.objects.select_related("group").filter(user_id=user.pk).first()
    group = profile.group if profile is not None else CustomerGroup.objects.get(is_default=True)
    latest = (
        WholesaleApplication.objects.filter(user_id=user.pk)
        .select_related("group")
        .order_by("-created_at", "-id")
        .first()
    )
    return AccountOverview(profile=profile, group=group, latest_application=latest)


def application_target_group() -> CustomerGroup | None:
    """The group approved applications join unless a manager picks another: the group marked
    "receives wholesale applications", else the first portal group, else none."""
    groups = CustomerGroup.objects.filter(is_default=False)
    return (
        groups.filter(receives_applications=True).first()
        or groups.filter(portal_access=True).order_by("name", "id").first()
    )
