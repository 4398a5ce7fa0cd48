"""Write paths of wholesale applications: submitted by customers (or guests with their new
account), approved or rejected by managers. An approval makes the applicant a member of their
company (`customers.companies.services`)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Refusal
from core.locking import lock_row

from .. import selectors
from ..companies import services as company_services
from ..models import CustomerGroup, User, WholesaleApplication
from .accounts import (
    _email_on_commit,
    _existing_account,
    _new_account,
    _profile_for_update,
    _send_welcome_link,
    _tell_owner,
)

ALREADY_TRADE = _("Your account already has trade access: you can use the trade portal.")
ALREADY_PENDING = _(
    "You already have an application waiting for review. We will email you as soon as it is "
    "decided."
)
NOT_PENDING = _("This application has already been decided.")
NO_TARGET_GROUP = _("Choose the customer group this application should join.")
REASON_REQUIRED = _("Give the applicant a reason for the rejection.")


@transaction.atomic
def application_submit(
    *,
    user: User,
    company_name: str,
    vat_id: str,
    country: str,
    phone: str,
    monthly_volume: str,
    message: str = "",
    site_url: str = "",
    vat_check: tuple | None = None,
) -> WholesaleApplication:
    """Record a customer's application for a trade account, tell them and the managers.
    Refused for customers who already have portal access or a pending application. When the
    target group approves automatically, the application is approved at once."""
    profile = _profile_for_update(user)  # the lock serialises two submits of one customer
    if profile.group.portal_access:
        raise Refusal(ALREADY_TRADE)
    if WholesaleApplication.objects.filter(
        user=user, status=WholesaleApplication.Status.PENDING
    ).exists():
        raise Refusal(ALREADY_PENDING)
    try:
        with transaction.atomic():
            application = WholesaleApplication.objects.create(
                user=user,
                company_name=company_name,
                vat_id=vat_id,
                country=country,
                phone=phone,
                monthly_volume=monthly_volume,
                message=message,
                vat_check_result=(vat_check or ("", None))[0],
                vat_checked_at=(vat_check or ("", None))[1],
            )
    except IntegrityError as error:  # the one-pending-per-customer constraint
        raise Refusal(ALREADY_PENDING) from error

    target = selectors.application_target_group()
    if target is not None and target.auto_approve_applications:
        return application_approve(
            application=application, decided_by=None, group=target, site_url=site_url
        )
    context = {"application": application, "user": user, "site_url": site_url}
    _email_on_commit(template="application_received", to=[user.email], context=context)
    _email_on_commit(
        template="application_received_manager",
        to=list(settings.SHOP_MANAGER_EMAILS),
        context=context,
    )
    return application


@transaction.atomic
def application_submit_with_signup(
    *,
    email: str,
    password: str,
    full_name: str,
    company_name: str,
    vat_id: str,
    country: str,
    phone: str,
    monthly_volume: str,
    message: str = "",
    site_url: str = "",
    vat_check: tuple | None = None,
    language: str = "",
) -> WholesaleApplication | None:
    """A guest's account and application in one step: both are created, or neither, and the
    owner is emailed a link that logs them in. For an address that has an account nothing is
    created or changed and its owner is told by email (as `signup_request` does); returns None
    then."""
    user = _new_account(
        email=email,
        password=password,
        full_name=full_name,
        company_name=company_name,
        language=language,
    )
    if user is None:
        _tell_owner(
            account=_existing_account(email) or User(email=email),
            template="application_existing_account",
            site_url=site_url,
            password=password,
        )
        return None
    _send_welcome_link(user=user, site_url=site_url)
    return application_submit(
        user=user,
        company_name=company_name,
        vat_id=vat_id,
        country=country,
        phone=phone,
        monthly_volume=monthly_volume,
        message=message,
        site_url=site_url,
        vat_check=vat_check,
    )


def _lock_pending(application: WholesaleApplication) -> WholesaleApplication:
    """The application, locked and read again: refused unless it is still pending."""
    locked = lock_row(WholesaleApplication.objects.select_related("user").filter(pk=application.pk))
    if locked is None:
        raise WholesaleApplication.DoesNotExist
    if locked.status != WholesaleApplication.Status.PENDING:
        raise Refusal(NOT_PENDING)
    return locked


def _decision_record(
    application: WholesaleApplication,
    *,
    status: str,
    changes: dict,
    decided_by: User | None,
    email: str,
    context: dict,
) -> WholesaleApplication:
    """Save the decision on the locked application with who took it and when, and email the
    applicant once the transaction commits."""
    for field, value in changes.items():
        setattr(application, field, value)
    application.status = status
    application.decided_by = decided_by
    application.decided_at = timezone.now()
    application.save(update_fields=["status", *changes, "decided_by", "decided_at"])
    _email_on_commit(
        template=email,
        to=[application.user.email],
        context={"application": application, "user": application.user, **context},
        language=selectors.preferred_language(application.user),
    )
    return application


@transaction.atomic
def application_approve(
    *,
    application: WholesaleApplication,
    decided_by: User | None,
    group: CustomerGroup | None = None,
    site_url: str = "",
) -> WholesaleApplication:
    """Approve: the applicant's company is created in `group` (default: the group that
    receives applications) with that group's default payment terms and credit limit, the
    applicant as its admin; or the applicant joins, as a buyer, the company with the same VAT
    id. Their profile keeps the details they gave. Who approved and when are recorded and the
    applicant is emailed."""
    application = _lock_pending(application)
    group = group or selectors.application_target_group()
    if group is None:
        raise Refusal(NO_TARGET_GROUP)
    profile = _profile_for_update(application.user)
    profile.group = group
    profile.payment_terms_days = group.default_payment_terms_days
    profile.credit_limit = group.default_credit_limit
    profile.company_name = application.company_name
    profile.vat_id = application.vat_id
    profile.vat_check_result = application.vat_check_result
    profile.vat_checked_at = application.vat_checked_at
    profile.phone = application.phone
    profile.save()
    company_services.company_for_trade_applicant(
        user=application.user,
        name=application.company_name,
        vat_id=application.vat_id,
        group=group,
        vat_check=(application.vat_check_result, application.vat_checked_at),
    )
    return _decision_record(
        application,
        status=WholesaleApplication.Status.APPROVED,
        changes={"group": group},
        decided_by=decided_by,
        email="application_approved",
        context={"profile": profile, "group": group, "site_url": site_url},
    )


@transaction.atomic
def application_reject(
    *,
    application: WholesaleApplication,
    decided_by: User | None,
    reason: str,
    site_url: str = "",
) -> WholesaleApplication:
    """Reject with a reason the applicant is emailed; their group does not change."""
    reason = reason.strip()
    if not reason:
        raise Refusal(REASON_REQUIRED)
    return _decision_record(
        _lock_pending(application),
        status=WholesaleApplication.Status.REJECTED,
        changes={"rejection_reason": reason},
        decided_by=decided_by,
        email="application_rejected",
        context={"site_url": site_url},
    )
