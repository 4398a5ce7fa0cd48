"""Reads of companies."""

from dataclasses import dataclass

from django.utils import timezone

from ..models import User
from .models import CompanyInvitation, CompanyMember, CompanyRole
from .tokens import looks_like_token, token_hash

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


@dataclass(frozen=True)
class MembersPage:
    """The colleagues of a company and its pending invitations (two queries)."""

    members: list[CompanyMember]
    invitations: list[CompanyInvitation]


def members_page(*, company_id: int) -> MembersPage:
    members = list(
        CompanyMember.objects.filter(company_id=company_id)
        .select_related("user")
        .order_by("user__full_name", "user__email", "pk")
    )
    invitations = list(
        CompanyInvitation.objects.filter(
            company_id=company_id, accepted_at=None, revoked_at=None
        ).order_by("-created_at", "-pk")
    )
    return MembersPage(members=members, invitations=invitations)


def member_of_company(*, company_id: int, pk: int) -> CompanyMember | None:
    """A member of this company (None for anyone else's), with their account."""
    return CompanyMember.objects.select_related("user").filter(company_id=company_id, pk=pk).first()


def open_invitation_of_company(*, company_id: int, pk: int) -> CompanyInvitation | None:
    """An invitation of this company neither accepted nor revoked (expired ones included)."""
    return CompanyInvitation.objects.filter(
        company_id=company_id, pk=pk, accepted_at=None, revoked_at=None
    ).first()


def invitation_for_token(token: str) -> CompanyInvitation | None:
    """The invitation of a link's token, whatever its state, with its company; None for a
    token that is unknown or malformed."""
    if not looks_like_token(token):
        return None
    return (
        CompanyInvitation.objects.select_related("company")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_state(invitation: CompanyInvitation, now=None) -> str:
    """ "pending", "accepted", "revoked" or "expired"."""
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "revoked"
    if (now or timezone.now()) >= invitation.expires_at:
        return "expired"
    return "pending"


def address_has_account(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()
