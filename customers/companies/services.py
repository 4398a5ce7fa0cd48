"""Writes of companies: a trade applicant's company, its members. Each in a transaction."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import Refusal
from core.locking import lock_row

from .. import vat_numbers
from .models import Company, CompanyMember, CompanyRole

LAST_ADMIN = _("A company must keep at least one company admin: make another member admin first.")
OTHER_COMPANY = _("%(user)s already belongs to another company.")


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
def company_member_remove(*, member: CompanyMember) -> None:
    """Remove a member (their past orders stay with the company); never the last admin."""
    company = lock_row(Company.objects.filter(pk=member.company_id))
    CompanyMember.objects.filter(pk=member.pk).delete()
    _check_has_admin(company)


def _check_has_admin(company: Company) -> None:
    members = CompanyMember.objects.filter(company=company)
    if members.exists() and not members.filter(role=CompanyRole.ADMIN).exists():
        raise Refusal(LAST_ADMIN)
