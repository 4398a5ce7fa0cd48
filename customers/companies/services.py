"""Writes of companies: a trade applicant's company, its members, the invitations its admins
send. Each in a transaction that locks the company row first, so two admins changing the same
company queue behind each other and a company with members always keeps an admin.

`by`: the member who asks, from the trade portal; the service checks, under the lock, that he
is still an admin of the company. Managers in the Django admin pass no `by`."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.emails import send_templated
from core.errors import Refusal
from core.locking import lock_row

from .. import vat_numbers
from ..models import User
from ..services import accounts as account_services
from .models import Company, CompanyInvitation, CompanyMember, CompanyRole
from .tokens import new_token, token_hash

LAST_ADMIN = _("A company must keep at least one company admin: make another member admin first.")
OTHER_COMPANY = _("%(user)s already belongs to another company.")
NOT_ADMIN = _("Only a company admin can do this.")
NOT_A_MEMBER = _("This person is no longer a member of your company.")
ALREADY_MEMBER = _("%(email)s is already a member of your company.")
INVITE_OTHER_COMPANY = _(
    "The account of %(email)s belongs to another company: it cannot be invited to yours."
)
INVITE_NOT_ALLOWED = _("%(email)s cannot be invited: invite another address.")
INVITATION_CLOSED = _("This invitation is no longer valid: ask your company admin for a new one.")
WRONG_ACCOUNT = _("This invitation is for another email address.")
ACCOUNT_EXISTS = _("An account already has this address: log in to accept the invitation.")


def _same_vat_company(vat_id: str) -> Company | None:
    """The company registered with this VAT id, locked. Companies keep their VAT ids
    normalised (written here, by the admin's clean and by the data migration)."""
    if not vat_id.strip():
        return None
    same = Company.objects.filter(vat_id=vat_numbers.normalise(vat_id)).order_by("pk")
    pk = same.values_list("pk", flat=True).first()
    return lock_row(Company.objects.filter(pk=pk)) if pk is not None else None


@transaction.atomic
def company_for_trade_applicant(
    *,
    user,
    name: str,
    vat_id: str,
    group,
    vat_check: tuple = ("", None),
) -> CompanyMember:
    """The applicant's place in their company: a new company in `group` (with the group's
    default terms and credit limit) with the applicant as its admin, or, when a company has
    the same VAT id, that company with the applicant as a buyer. An applicant who already is a
    member keeps their place."""
    existing = CompanyMember.objects.select_related("company").filter(user=user).first()
    if existing is not None:
        return existing
    company = _same_vat_company(vat_id)
    role = CompanyRole.BUYER
    if company is None:
        company = Company.objects.create(
            name=name,
            vat_id=vat_numbers.normalise(vat_id) if vat_id.strip() else "",
            vat_check_result=vat_check[0],
            vat_checked_at=vat_check[1],
            group=group,
            payment_terms_days=group.default_payment_terms_days,
            credit_limit=group.default_credit_limit,
        )
        role = CompanyRole.ADMIN
    member = CompanyMember.objects.create(company=company, user=user, role=role)
    user._company_id = company.pk
    return member


@transaction.atomic
def company_member_add(
    *, company: Company, user, role: str = CompanyRole.BUYER, spending_limit: Decimal | None = None
) -> CompanyMember:
    """Add an account to the company; refused when it belongs to another one."""
    company = lock_row(Company.objects.filter(pk=company.pk))
    member = CompanyMember.objects.filter(user=user).first()
    if member is not None and member.company_id != company.pk:
        raise Refusal(OTHER_COMPANY % {"user": user.email})
    if member is None:
        member = CompanyMember(company=company, user=user)
    member.role = role
    member.spending_limit = spending_limit
    member.save()
    _check_has_admin(company)
    return member


@transaction.atomic
def company_member_remove(*, member: CompanyMember, by=None) -> None:
    """Remove a member (their past orders stay with the company); never the last admin."""
    company = _lock_company(member.company_id, by=by)
    CompanyMember.objects.filter(pk=member.pk).delete()
    # From the portal, the last admin cannot leave even a company he is alone in.
    _check_has_admin(company, even_if_empty=by is not None)


@transaction.atomic
def company_member_update(
    *, member: CompanyMember, role: str, spending_limit: Decimal | None, by=None
) -> CompanyMember:
    """Change a member's role and spending limit per order (None: no limit); the last admin
    is never demoted."""
    company = _lock_company(member.company_id, by=by)
    member = CompanyMember.objects.filter(pk=member.pk, company=company).first()
    if member is None:
        raise Refusal(NOT_A_MEMBER)
    member.role = role
    member.spending_limit = spending_limit
    member.save(update_fields=["role", "spending_limit"])
    _check_has_admin(company)
    return member


@transaction.atomic
def company_settings_update(*, company: Company, by, buyers_see_company_orders: bool) -> Company:
    """A company admin's choices for the whole company."""
    company = _lock_company(company.pk, by=by)
    company.buyers_see_company_orders = buyers_see_company_orders
    company.save(update_fields=["buyers_see_company_orders"])
    return company


def _lock_company(company_id: int, *, by=None) -> Company:
    """The company, locked; refused when `by` is given and is not (or no longer) its admin."""
    company = lock_row(Company.objects.filter(pk=company_id))
    if (
        by is not None
        and not CompanyMember.objects.filter(
            company=company, user_id=by.pk, role=CompanyRole.ADMIN
        ).exists()
    ):
        raise Refusal(NOT_ADMIN)
    return company


def _check_has_admin(company: Company, *, even_if_empty: bool = False) -> None:
    members = CompanyMember.objects.filter(company=company)
    if (even_if_empty or members.exists()) and not members.filter(role=CompanyRole.ADMIN).exists():
        raise Refusal(LAST_ADMIN)


# Invitations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentInvitation:
    invitation: CompanyInvitation
    token: str  # in the email only, never stored


def _send_invitation(*, invitation: CompanyInvitation, site_url: str) -> SentInvitation:
    """A new token and a new life for the invitation, emailed once the transaction commits."""
    token = new_token()
    now = timezone.now()
    invitation.token_hash = token_hash(token)
    invitation.created_at = now
    invitation.expires_at = now + timedelta(days=settings.COMPANY_INVITATION_DAYS)
    invitation.save()
    context = {
        "invitation": invitation,
        "company_name": invitation.company.name,
        "role": invitation.get_role_display(),
        "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
        "token": token,
        "site_url": site_url,
    }
    transaction.on_commit(
        partial(
            send_templated, template="company_invitation", to=[invitation.email], context=context
        )
    )
    return SentInvitation(invitation=invitation, token=token)


def _open_invitations(company: Company, email: str):
    return CompanyInvitation.objects.filter(
        company=company, email__iexact=email, accepted_at=None, revoked_at=None
    )


@transaction.atomic
def company_invitation_create(
    *,
    company: Company,
    by,
    email: str,
    role: str,
    spending_limit: Decimal | None = None,
    site_url: str = "",
) -> SentInvitation:
    """Invite `email` to join the company with `role`: the address is emailed a link that
    works once, for COMPANY_INVITATION_DAYS days. It replaces the address's pending
    invitation. Refused for members of the company or of another company, and for staff
    accounts (which never join a company)."""
    company = _lock_company(company.pk, by=by)
    email = email.strip().lower()
    account = User.objects.filter(email__iexact=email).first()
    if account is not None:
        member = CompanyMember.objects.filter(user=account).first()
        if member is not None and member.company_id == company.pk:
            raise Refusal(ALREADY_MEMBER % {"email": email})
        if member is not None:
            raise Refusal(INVITE_OTHER_COMPANY % {"email": email})
        if account.is_staff or account.is_superuser or not account.is_active:
            raise Refusal(INVITE_NOT_ALLOWED % {"email": email})
    _open_invitations(company, email).update(revoked_at=timezone.now())
    invitation = CompanyInvitation(
        company=company, email=email, role=role, spending_limit=spending_limit, invited_by=by
    )
    return _send_invitation(invitation=invitation, site_url=site_url)


def _lock_open_invitation(invitation: CompanyInvitation, *, by=None):
    """(company, invitation), both locked; refused when the invitation was accepted or
    revoked meanwhile."""
    company = _lock_company(invitation.company_id, by=by)
    invitation = lock_row(
        CompanyInvitation.objects.filter(
            pk=invitation.pk, company=company, accepted_at=None, revoked_at=None
        )
    )
    if invitation is None:
        raise Refusal(INVITATION_CLOSED)
    invitation.company = company
    return company, invitation


@transaction.atomic
def company_invitation_resend(
    *, invitation: CompanyInvitation, by=None, site_url: str = ""
) -> SentInvitation:
    """Email the invitation again with a new link and a new life; the previous link stops
    working."""
    _company, invitation = _lock_open_invitation(invitation, by=by)
    return _send_invitation(invitation=invitation, site_url=site_url)


@transaction.atomic
def company_invitation_revoke(*, invitation: CompanyInvitation, by=None) -> CompanyInvitation:
    """The invitation's link stops working at once."""
    _company, invitation = _lock_open_invitation(invitation, by=by)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def company_invitation_accept(*, invitation: CompanyInvitation, user) -> CompanyMember:
    """`user` (whose address is the invited one) joins the company with the invited role and
    limit, as `company_member_add` adds him: refused when he belongs to another company. The
    link works once."""
    company, invitation = _lock_open_invitation(invitation)
    if not invitation.is_pending():
        raise Refusal(INVITATION_CLOSED)
    if user.email.lower() != invitation.email.lower():
        raise Refusal(WRONG_ACCOUNT)
    if user.is_staff or user.is_superuser:
        raise Refusal(INVITE_NOT_ALLOWED % {"email": user.email})
    if CompanyMember.objects.filter(user=user, company=company).exists():
        raise Refusal(ALREADY_MEMBER % {"email": user.email})
    member = company_member_add(
        company=company, user=user, role=invitation.role, spending_limit=invitation.spending_limit
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return member


@transaction.atomic
def company_invitation_accept_with_signup(
    *, invitation: CompanyInvitation, full_name: str, password: str, language: str = ""
) -> CompanyMember:
    """A visitor without an account accepts: an account for the invited address, with this
    name, password and preferred language, joins the company. Refused when the address got an
    account meanwhile (its owner logs in to accept)."""
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise Refusal(ACCOUNT_EXISTS)
    try:
        with transaction.atomic():
            user = account_services.user_create(
                email=invitation.email, password=password, full_name=full_name, language=language
            )
    except IntegrityError as error:  # the case-insensitive unique email, at the same time
        raise Refusal(ACCOUNT_EXISTS) from error
    return company_invitation_accept(invitation=invitation, user=user)
