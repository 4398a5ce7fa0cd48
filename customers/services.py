"""Write paths and group resolution for customers."""

from django.db import transaction

from .models import CustomerGroup, CustomerProfile, User


def default_group() -> CustomerGroup:
    """The group of guests and new accounts (exactly one exists; a migration creates Retail)."""
    return CustomerGroup.objects.get(is_default=True)


def group_for(user) -> CustomerGroup:
    """The group of anyone: a customer's profile group, or the default group for guests and
    for accounts without a profile. Read fresh on every call, so a change applies at once."""
    if user is not None and user.is_authenticated:
        profile = CustomerProfile.objects.select_related("group").filter(user_id=user.pk).first()
        if profile is not None:
            return profile.group
    return default_group()


@transaction.atomic
def user_create(*, email: str, password: str | None, full_name: str = "", **extra) -> User:
    """Create an account together with its profile in the default group."""
    user = User.objects.create_user(email=email, password=password, full_name=full_name, **extra)
    CustomerProfile.objects.create(user=user, group=default_group())
    return user


def group_for_request(request) -> CustomerGroup:
    """`group_for` the request's user, resolved once per request."""
    group = getattr(request, "_customer_group", None)
    if group is None:
        group = request._customer_group = group_for(getattr(request, "user", None))
    return group
