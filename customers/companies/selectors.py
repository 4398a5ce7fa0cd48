"""Reads of companies."""

from .models import CompanyMember, CompanyRole

_UNSET = object()


def company_id_for(user) -> int | None:
    """The id of the company `user` buys for; None for guests and customers without one.
    Remembered on the user object, so the pages of one request ask once."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    company_id = getattr(user, "_company_id", _UNSET)
    if company_id is _UNSET:
        company_id = (
            CompanyMember.objects.filter(user_id=user.pk)
            .values_list("company_id", flat=True)
            .first()
        )
        remember_company_id(user, company_id)
    return company_id


def remember_company_id(user, company_id: int | None) -> None:
    """Prime `company_id_for`'s memo from a query that read the membership anyway."""
    user._company_id = company_id


def membership_for(user) -> CompanyMember | None:
    """The user's membership with its company and the company's group, in one query."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    member = CompanyMember.objects.select_related("company__group").filter(user_id=user.pk).first()
    remember_company_id(user, member.company_id if member else None)
    return member


def has_admin_left(roles: list[str]) -> bool:
    """Whether members with these roles include an admin (or there are none at all)."""
    return not roles or CompanyRole.ADMIN in roles
