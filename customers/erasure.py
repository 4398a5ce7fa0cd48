"""Erasing a customer's personal data (the right to erasure). The shop's part (address book,
cart) is added by `shop.erasure.account_erase`, the one entry point."""

from functools import partial
from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Refusal
from core.locking import lock_row

from .models import CustomerProfile, User, WholesaleApplication

ERASED_EMAIL_DOMAIN = "erased.invalid"  # a reserved top-level domain: nothing is delivered
CANNOT_ERASE_STAFF = _(
    "Staff and superuser accounts cannot be erased. Remove their staff status first."
)


def erased_email(user: User) -> str:
    """The address an erased account keeps: unique (by id) and never deliverable."""
    return f"erased-{user.pk}@{ERASED_EMAIL_DOMAIN}"


def is_erased(user: User) -> bool:
    return user.email == erased_email(user)


@transaction.atomic
def customer_erase(*, user: User) -> User:
    """Erase a customer's personal data (the right to erasure), in one transaction.

    The account stays as an anonymous, inactive row: its email becomes a unique
    non-deliverable placeholder, its name, the profile's company, VAT id and phone are
    blanked, its password is unusable, and its permissions and groups are removed. Their
    pending wholesale application is withdrawn (deleted: nothing was decided on it) and the
    decided ones keep only the decision (status, group, who and when). Their failed and
    successful log-in records are deleted. Call it through `shop.erasure.account_erase`, which
    also deletes what the shop keeps about the customer (the address book and the cart) in
    the same transaction.

    Orders and invoices are kept as they are, for the accounting obligation: an order keeps
    its snapshots of the buyer's email, company, VAT id and addresses, its totals, and its
    link to the anonymised account.

    Every session of the account ends at once (its password hash changed and it is
    inactive); the stored sessions are deleted once the transaction commits. Refused for
    staff and superuser accounts."""
    user = lock_row(User.objects.filter(pk=user.pk))
    if user is None:
        raise User.DoesNotExist
    if user.is_staff or user.is_superuser:
        raise Refusal(CANNOT_ERASE_STAFF)
    former_email = user.email

    WholesaleApplication.objects.filter(
        user=user, status=WholesaleApplication.Status.PENDING
    ).delete()
    WholesaleApplication.objects.filter(user=user).update(
        company_name="", vat_id="", phone="", message="", rejection_reason=""
    )
    CustomerProfile.objects.filter(user=user).update(company_name="", vat_id="", phone="")
    for record in (AccessAttempt, AccessFailureLog, AccessLog):
        record.objects.filter(username__in={former_email, former_email.lower()}).delete()

    user.email = erased_email(user)
    user.full_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "full_name", "is_active", "password"])
    user.groups.clear()
    user.user_permissions.clear()
    transaction.on_commit(partial(_delete_sessions, user_id=user.pk))
    return user


def _delete_sessions(*, user_id: int) -> None:
    """Delete the stored sessions logged in as `user_id` (they may hold checkout choices).
    Only database-backed sessions can be searched; others are already unusable."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return
    model = store.get_model_class()
    owned = [
        session.pk
        for session in model.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user_id)
    ]
    model.objects.filter(pk__in=owned).delete()
