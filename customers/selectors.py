"""Reads: the group anyone buys as, the account overview, where applications go. Each in a
small constant number of queries, read fresh on every call so a change applies at once."""

from dataclasses import dataclass

from django.db.models import Subquery

from .models import CustomerGroup, CustomerProfile, User, WholesaleApplication
from .tokens import welcome_link_tokens, welcome_token_parts


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


def default_group() -> CustomerGroup:
    """The group of guests and new accounts (exactly one exists; a migration creates Retail)."""
    return CustomerGroup.objects.get(is_default=True)


def default_group_id() -> int | None:
    return CustomerGroup.objects.filter(is_default=True).values_list("pk", flat=True).first()


def group_for(user) -> CustomerGroup:
    """The group of anyone: a customer's profile group, or the default group for guests and
    for accounts without a profile."""
    return _group_of(_profile_of(user))


def group_and_country_for(user) -> tuple[CustomerGroup, str | None]:
    """The group (as `group_for`) and the country of the customer's default address (the
    latest of their address book, which checkout offers first), None for guests and
    customers without addresses: in one query for a customer with a profile."""
    if user is None or not user.is_authenticated:
        return default_group(), None
    # The address book's model is reached through the relation, not imported: customers
    # sits below shop.addresses.
    latest = user.addresses.order_by("-created_at", "-id").values("country")[:1]
    profile = (
        CustomerProfile.objects.select_related("group")
        .filter(user_id=user.pk)
        .annotate(default_country=Subquery(latest))
        .first()
    )
    if profile is None:
        return default_group(), latest.values_list("country", flat=True).first()
    return profile.group, profile.default_country or None


def _profile_of(user) -> CustomerProfile | None:
    if user is None or not user.is_authenticated:
        return None
    return CustomerProfile.objects.select_related("group").filter(user_id=user.pk).first()


def _group_of(profile: CustomerProfile | None) -> CustomerGroup:
    return profile.group if profile is not None else default_group()


def account_overview(*, user) -> AccountOverview:
    """The customer's profile, group (the default one without a profile) and latest
    application."""
    profile = _profile_of(user)
    group = _group_of(profile)
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


def account_for_welcome_link(*, token: str) -> User | None:
    """The active account a welcome link (emails/signup_welcome) is for, None when the link is
    wrong, used or expired."""
    parts = welcome_token_parts(token)
    if parts is None:
        return None
    pk, check = parts
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not welcome_link_tokens.check_token(user, check):
        return None
    return user
