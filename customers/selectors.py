"""Reads: the group anyone buys as, the account overview, where applications go. Each in a
small constant number of queries, read fresh on every call so a change applies at once; the
one exception is the profile a request already read with its group (`profile_with_company`),
reused for the rest of that request."""

from dataclasses import dataclass
from functools import cache

from django.db import connection

from core.db import prepared_cursor

from .companies import selectors as company_selectors
from .models import (
    Company,
    CompanyMember,
    CustomerGroup,
    CustomerProfile,
    User,
    WholesaleApplication,
)
from .tokens import welcome_link_tokens, welcome_token_parts


@dataclass(frozen=True)
class AccountOverview:
    """What /accounts/, /wholesale/apply/ and /portal/ show about one customer."""

    profile: CustomerProfile | None
    group: CustomerGroup
    latest_application: WholesaleApplication | None
    membership: CompanyMember | None = None

    @property
    def company(self) -> Company | None:
        return self.membership.company if self.membership is not None else None

    @property
    def pending_application(self) -> WholesaleApplication | None:
        application = self.latest_application
        if application is not None and application.status == WholesaleApplication.Status.PENDING:
            return application
        return None


def default_group() -> CustomerGroup:
    """The group of guests and new accounts (exactly one exists; a migration creates Retail).
    Every guest's request asks it: plain SQL, without building an ORM query each time."""
    with prepared_cursor() as cursor:
        cursor.execute(DEFAULT_GROUP_SQL)
        found = [group_from_row(row) for row in cursor.fetchall()]
    if len(found) != 1:
        raise CustomerGroup.DoesNotExist(f"{len(found)} default groups instead of one")
    return found[0]


def default_group_id() -> int | None:
    return CustomerGroup.objects.filter(is_default=True).values_list("pk", flat=True).first()


def group_for(user) -> CustomerGroup:
    """The group of anyone: a company member's company group, a customer's profile group, or
    the default group for guests and for accounts without a profile."""
    profile = profile_with_company(user)
    if profile is None and user is not None and user.is_authenticated:
        return _group_without_profile(user)
    return _group_of(profile)


# The profile read with the user's company and its group (LEFT JOINs): one query tells the
# group and primes `company_selectors.company_id_for`.
_WITH_COMPANY = ("group", "user__company_membership__company__group")
_UNREAD = object()


def _company_of(profile: CustomerProfile):
    """The company of the profile's user (read with `_WITH_COMPANY`), None without one; primes
    the memo of `company_id_for` on the request's user as well."""
    member = getattr(profile.user, "company_membership", None)
    return member.company if member is not None else None


def group_and_country_for(user) -> tuple[CustomerGroup, str | None]:
    """The group (as `group_for`) and the country of the customer's default address (the
    latest of their address book, which checkout offers first), None for guests and
    customers without addresses: in one query for a customer with a profile. Every page a
    customer opens asks it: plain SQL, without building an ORM query each time."""
    if user is None or not user.is_authenticated:
        return default_group(), None
    viewer = getattr(user, "_viewer", None)
    if viewer is None:
        viewer = getattr(user_with_viewer(user.pk), "_viewer", ())
    if not viewer:
        user._profile_with_company = None
        latest = user.addresses.order_by("-created_at", "-id").values("country")[:1]
        return _group_without_profile(user), latest.values_list("country", flat=True).first()
    group, company_id, country, profile = viewer
    company_selectors.remember_company_id(user, company_id)
    user._profile_with_company = profile
    return group, country or None


def user_with_viewer(user_id) -> User | None:
    """The user of a session, with what `group_and_country_for` reads (their group, company
    and country) from the same query (a storefront request reads the same with its versions,
    `shop.page_cache.models.StorefrontVersion.read`). None when no such user exists."""
    with prepared_cursor() as cursor:
        cursor.execute(user_with_viewer_sql(), [user_id])
        return user_from_row(cursor.fetchone())


def user_from_row(row) -> User | None:
    """The user of a `user_with_viewer_sql` row, which a caller may read as a subquery of its
    own query (its columns are v0, v1, ...): None for no row, or a row of NULLs."""
    if row is None or row[0] is None:
        return None
    user_values = row[: len(_USER_COLUMNS)]
    user = User.from_db(connection.alias, _USER_COLUMNS, user_values)
    rest = iter(row[len(_USER_COLUMNS) :])
    group = _from_values(CustomerGroup, _GROUP_COLUMNS, rest)
    profile = _from_values(CustomerProfile, _PROFILE_COLUMNS, rest)
    member = _from_values(CompanyMember, _MEMBER_COLUMNS, rest)
    company = _from_values(Company, _COMPANY_COLUMNS, rest)
    country = next(rest)
    if profile is not None:
        # The profile's own copy of the user carries the membership, as `_profile_of`'s read
        # would: the request's user keeps reading its relations afresh.
        owner = User.from_db(connection.alias, _USER_COLUMNS, user_values)
        _join_as_read(owner, group, profile, member, company)
        user._viewer = (group, company.pk if company else None, country, profile)
    return user


def _from_values(model, columns: list[str], values):
    """The instance of `model` whose `columns` come next in `values`; None for NULLs."""
    taken = [next(values) for _column in columns]
    return None if taken[0] is None else model.from_db(connection.alias, columns, taken)


def _join_as_read(user, group, profile, member, company) -> None:
    """Wire the objects of a `user_with_viewer_sql` row as `select_related(*_WITH_COMPANY)`
    of the profile would, so that reading the profile, membership and company asks nothing.
    The group is the company's for a member, else the profile's own."""
    profile.user = user
    if member is None:
        CompanyMember._meta.get_field("user").remote_field.set_cached_value(user, None)
        profile.group = group
        return
    member.user = user
    member.company = company
    company.group = group


def group_from_row(row) -> CustomerGroup | None:
    """The group of a `DEFAULT_GROUP_SQL` row (read, like `user_with_viewer_sql`, as a caller's
    subquery): None for a row of NULLs."""
    if row is None or row[0] is None:
        return None
    return CustomerGroup.from_db(connection.alias, _GROUP_COLUMNS, row)


def _columns(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


_USER_COLUMNS = _columns(User)
_GROUP_COLUMNS = _columns(CustomerGroup)
_PROFILE_COLUMNS = _columns(CustomerProfile)
_MEMBER_COLUMNS = _columns(CompanyMember)
_COMPANY_COLUMNS = _columns(Company)


def _aliased(columns: list[str]) -> str:
    return ", ".join(f"{column} AS v{number}" for number, column in enumerate(columns))


@cache
def user_with_viewer_sql() -> str:
    """The query of one user (the parameter: their id), the group their profile buys as (its
    company's when it has one), their profile, membership and company (what the VAT standing
    of every checkout step reads) and the country of the latest address; the group and
    profile columns are NULL without a profile. Columns v0, v1, ...: a caller may read it as
    a subquery of its own. The address book is reached by table name: customers sits below
    shop.addresses."""
    addresses = User._meta.get_field("addresses").related_model._meta.db_table
    columns = [f"u.{column}" for column in _USER_COLUMNS]
    columns += [f"g.{column}" for column in _GROUP_COLUMNS]
    columns += [f"p.{column}" for column in _PROFILE_COLUMNS]
    columns += [f"m.{column}" for column in _MEMBER_COLUMNS]
    columns += [f"c.{column}" for column in _COMPANY_COLUMNS]
    columns.append(
        f"(SELECT a.country FROM {addresses} a WHERE a.user_id = u.id "
        "ORDER BY a.created_at DESC, a.id DESC LIMIT 1)"
    )
    return (
        f"SELECT {_aliased(columns)} "
        f"FROM {User._meta.db_table} u "
        f"LEFT JOIN {CustomerProfile._meta.db_table} p ON p.user_id = u.id "
        f"LEFT JOIN {CompanyMember._meta.db_table} m ON m.user_id = p.user_id "
        f"LEFT JOIN {Company._meta.db_table} c ON c.id = m.company_id "
        f"LEFT JOIN {CustomerGroup._meta.db_table} g ON g.id = COALESCE(c.group_id, p.group_id) "
        "WHERE u.id = %s"
    )


# The column of `user_with_viewer_sql` that holds the id of the group the user buys as.
VIEWER_GROUP_ID_COLUMN = f"v{len(_USER_COLUMNS)}"
USER_WITH_VIEWER_COLUMNS = 1 + sum(
    map(len, (_USER_COLUMNS, _GROUP_COLUMNS, _PROFILE_COLUMNS, _MEMBER_COLUMNS, _COMPANY_COLUMNS))
)
DEFAULT_GROUP_SQL = (
    f"SELECT {_aliased(_GROUP_COLUMNS)} FROM {CustomerGroup._meta.db_table} WHERE is_default"
)
DEFAULT_GROUP_COLUMNS = len(_GROUP_COLUMNS)


def profile_with_company(user) -> CustomerProfile | None:
    """The user's profile with their membership, company and the group they buy as (None for
    guests and accounts without one). On the request's own user object it is the one read
    with the account's group (the web layer asks `group_and_country_for` of it first), kept
    for the rest of the request; read anew on every call for any other user object."""
    if user is None or not user.is_authenticated:
        return None
    profile = getattr(user, "_profile_with_company", _UNREAD)
    return _profile_of(user) if profile is _UNREAD else profile


def membership_of(user) -> CompanyMember | None:
    """The user's company membership with its company and group: read with
    `profile_with_company` when the user has a profile."""
    profile = profile_with_company(user)
    if profile is None:
        return company_selectors.membership_for(user)
    return getattr(profile.user, "company_membership", None)


def preferred_language(user) -> str:
    """The language a customer chose for the shop and its emails; empty when they chose none."""
    language = CustomerProfile.objects.filter(user_id=user.pk).values_list("language", flat=True)
    return language.first() or ""


def _profile_of(user) -> CustomerProfile | None:
    if user is None or not user.is_authenticated:
        return None
    profile = CustomerProfile.objects.select_related(*_WITH_COMPANY).filter(user_id=user.pk).first()
    if profile is not None:
        _remember_company(user, profile)
    return profile


def _remember_company(user, profile: CustomerProfile) -> None:
    company = _company_of(profile)
    company_selectors.remember_company_id(user, company.pk if company else None)


def _group_without_profile(user) -> CustomerGroup:
    """An account without a profile (made in the admin) may still be a company member."""
    member = company_selectors.membership_for(user)
    return member.company.group if member is not None else default_group()


def _group_of(profile: CustomerProfile | None) -> CustomerGroup:
    if profile is None:
        return default_group()
    company = _company_of(profile)
    return company.group if company is not None else profile.group


def account_overview(*, user) -> AccountOverview:
    """The customer's profile, group (the default one without a profile) and latest
    application."""
    profile = _profile_of(user)
    if profile is None:
        membership = company_selectors.membership_for(user)
        group = membership.company.group if membership is not None else default_group()
    else:
        membership = getattr(profile.user, "company_membership", None)
        group = _group_of(profile)
    latest = (
        WholesaleApplication.objects.filter(user_id=user.pk)
        .select_related("group")
        .order_by("-created_at", "-id")
        .first()
    )
    return AccountOverview(
        profile=profile, group=group, latest_application=latest, membership=membership
    )


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
