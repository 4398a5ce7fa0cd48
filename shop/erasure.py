"""The shop's part of a customer's erasure (`customers.services.customer_erase`, which sends
`customer_erasing` inside its transaction): their address book and cart are deleted. Their
orders stay as they are, with their snapshots, for the accounting obligation."""

from customers.signals import customer_erasing
from shop.addresses.services import address_book_erase
from shop.cart.services import cart_erase


def erase_customer_data(sender, *, user, **kwargs) -> None:
    address_book_erase(user=user)
    cart_erase(user=user)


def connect() -> None:
    customer_erasing.connect(erase_customer_data, dispatch_uid="shop.erasure")
