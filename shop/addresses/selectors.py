"""Reads of the address book: a customer sees only their own addresses."""

from core.db import columns_of, prepared_raw

from .models import Address

# Read on every checkout details page a customer opens.
_ADDRESSES = (
    f"SELECT {columns_of(Address)} FROM {Address._meta.db_table} "
    "WHERE user_id = %s ORDER BY created_at DESC, id DESC"
)


def addresses_for(*, user) -> list[Address]:
    """Newest first, as `Address.Meta.ordering`."""
    return prepared_raw(Address, _ADDRESSES, [user.pk])


def address_for(*, user, pk) -> Address | None:
    return Address.objects.filter(user=user, pk=pk).first()
