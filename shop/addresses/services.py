"""The customer's address book."""

from django.db import transaction

from .models import Address


@transaction.atomic
def address_create(*, user, data: dict) -> Address:
    return Address.objects.create(
        user=user, **{name: data.get(name, "") for name in Address.SNAPSHOT_FIELDS}
    )


@transaction.atomic
def address_update(*, address: Address, data: dict) -> Address:
    for name in Address.SNAPSHOT_FIELDS:
        setattr(address, name, data.get(name, ""))
    address.save()
    return address


@transaction.atomic
def address_delete(*, address: Address) -> None:
    """Orders keep their own copy of the address: deleting it changes no order."""
    address.delete()


@transaction.atomic
def address_book_erase(*, user) -> int:
    """Delete every entry of `user`'s address book (their account's erasure); their orders
    keep their own copies. The number of entries deleted."""
    _total, by_model = Address.objects.filter(user=user).delete()
    return by_model.get(Address._meta.label, 0)
