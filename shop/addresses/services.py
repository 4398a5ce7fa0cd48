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
