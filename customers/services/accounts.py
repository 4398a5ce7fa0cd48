"""Write paths for accounts and profiles, and groups."""

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction

from core.emails import send_templated
from core.locking import lock_row, lock_rows

from .. import selectors
from ..models import CustomerGroup, CustomerProfile, User
from ..tokens import welcome_token_for


def _email_on_commit(*, template: str, to: list[str], context: dict, language: str = "") -> None:
    """Send once the transaction commits, so a write that rolls back emails nobody."""
    transaction.on_commit(
        partial(send_templated, template=template, to=to, context=context, language=language)
    )


# Accounts and profiles ---------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    company_name: str = "",
    language: str = "",
) -> User:
    """Create an account together with its profile in the default group."""
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    CustomerProfile.objects.create(
        user=user, group=selectors.default_group(), company_name=company_name, language=language
    )
    return user


def _existing_account(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


def _tell_owner(*, account: User, template: str, site_url: str, password: str) -> None:
    """Someone asked for an account with an address that has one: nothing changes, its owner
    is told by email. The password is hashed all the same, so the answer takes as long as a
    new account's."""
    make_password(password)
    _email_on_commit(
        template=template, to=[account.email], context={"user": account, "site_url": site_url}
    )


def _send_welcome_link(*, user: User, site_url: str, next_url: str = "") -> None:
    """Email a new account's owner the link that logs them in (usable once)."""
    _email_on_commit(
        template="signup_welcome",
        to=[user.email],
        context={
            "user": user,
            "token": welcome_token_for(user),
            "site_url": site_url,
            "next_url": next_url,
        },
    )


def _new_account(
    *, email: str, password: str, full_name: str, company_name: str, language: str
) -> User | None:
    """The account, or None when the address was taken (also by a sign-up at the same time)."""
    if _existing_account(email) is not None:
        return None
    try:
        with transaction.atomic():
            return user_create(
                email=email,
                password=password,
                full_name=full_name,
                company_name=company_name,
                language=language,
            )
    except IntegrityError:  # the case-insensitive unique email
        return None


@transaction.atomic
def signup_request(
    *,
    email: str,
    password: str,
    full_name: str,
    company_name: str = "",
    site_url: str = "",
    next_url: str = "",
    language: str = "",
) -> User | None:
    """A visitor asks for an account (`language`: the one they signed up in, kept as their
    preferred language). For a new address the account is created and its owner
    emailed a link that logs them in; for an address that has an account (in any case) nothing
    is created or changed and its owner is told by email. The visitor gets the same answer
    either way, so sign-up never tells whether an address has an account. Returns the new
    account, None for a taken address."""
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
            template="signup_existing_account",
            site_url=site_url,
            password=password,
        )
        return None
    _send_welcome_link(user=user, site_url=site_url, next_url=next_url)
    return user


@transaction.atomic
def profile_update(
    *,
    user: User,
    full_name: str,
    company_name: str,
    vat_id: str,
    phone: str,
    vat_check: tuple | None = None,
) -> CustomerProfile:
    """Update what a customer may change about themselves (never their group or terms).
    `vat_check`: (result, checked at) of the online check of `vat_id` made before (see
    `vat_numbers.vies_check_for`); a changed number without one forgets the previous check."""
    user.full_name = full_name
    user.save(update_fields=["full_name"])
    profile = _profile_for_update(user)
    if vat_check is not None or profile.vat_id != vat_id:
        profile.vat_check_result, profile.vat_checked_at = vat_check or ("", None)
    profile.company_name = company_name
    profile.vat_id = vat_id
    profile.phone = phone
    profile.save(
        update_fields=["company_name", "vat_id", "phone", "vat_check_result", "vat_checked_at"]
    )
    return profile


@transaction.atomic
def profile_language_set(*, user: User, language: str) -> CustomerProfile:
    """Keep the language a customer chose (the shop's pages and the emails sent to them)."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    profile = _profile_for_update(user)
    if profile.language != language:
        profile.language = language
        profile.save(update_fields=["language"])
    return profile


def _profile_for_update(user: User) -> CustomerProfile:
    """The user's profile, locked; created in the default group for accounts without one."""
    profile = lock_row(CustomerProfile.objects.filter(user_id=user.pk))
    if profile is None:
        profile = CustomerProfile.objects.create(user=user, group=selectors.default_group())
    return profile


# Groups ------------------------------------------------------------------------------------


def _lock_groups() -> None:
    """Lock every group: the single-default and single-target flags move between rows, so
    two managers changing them at once queue instead of both clearing the other's flag."""
    lock_rows(CustomerGroup.objects.all())


@transaction.atomic
def group_set_default(*, group: CustomerGroup) -> CustomerGroup:
    """Make `group` the default one; the previous default stops being it in the same
    transaction, so there is exactly one default before and after."""
    _lock_groups()
    CustomerGroup.objects.filter(is_default=True).exclude(pk=group.pk).update(is_default=False)
    CustomerGroup.objects.filter(pk=group.pk).update(is_default=True)
    group.is_default = True
    return group


@transaction.atomic
def customer_move_to_group(
    *, user_ids: Iterable[int], group: CustomerGroup, apply_group_terms: bool = False
) -> int:
    """Put customers in `group` (effective on their next request). With `apply_group_terms`
    their payment terms and credit limit become the group's defaults. Returns how many moved."""
    user_ids = sorted(set(user_ids))
    changes = {"group": group}
    if apply_group_terms:
        changes |= {
            "payment_terms_days": group.default_payment_terms_days,
            "credit_limit": group.default_credit_limit,
        }
    lock_rows(CustomerProfile.objects.filter(user_id__in=user_ids))
    CustomerProfile.objects.filter(user_id__in=user_ids).update(**changes)
    with_profile = set(
        CustomerProfile.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True)
    )
    CustomerProfile.objects.bulk_create(
        CustomerProfile(user_id=user_id, **changes)
        for user_id in user_ids
        if user_id not in with_profile
    )
    return len(user_ids)


@transaction.atomic
def group_set_application_target(*, group: CustomerGroup, receives: bool = True) -> CustomerGroup:
    """Mark (or unmark) the group approved applications join; at most one group is marked."""
    _lock_groups()
    if receives:
        CustomerGroup.objects.exclude(pk=group.pk).update(receives_applications=False)
    CustomerGroup.objects.filter(pk=group.pk).update(receives_applications=receives)
    group.receives_applications = receives
    return group


@transaction.atomic
def profile_ensure(*, user: User) -> CustomerProfile:
    """The user's profile, created in the default group if the account has none (accounts
    made with `createsuperuser` or in the admin)."""
    return _profile_for_update(user)
