"""Reads of companies."""

from .models import CompanyMember

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
        user._company_id = company_id
    return company_id
