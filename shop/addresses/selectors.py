"""Reads of the address book: a customer sees only their own addresses."""

from .models import Address


def addresses_for(*, user) -> list[Address]:
    return list(Address.objects.filter(user=user))


def address_for(*, user, pk) -> Address | None:
    return Address.objects.filter(user=user, pk=pk).first()
