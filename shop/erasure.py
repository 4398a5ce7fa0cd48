"""A customer's erasure (the right to erasure) across the layers, in one transaction: the
account is anonymised by `customers.erasure.customer_erase` (which refuses staff) and the
shop deletes its address book, cart, saved lists and back-in-stock alerts (the account's and
those asked for with its address) about them. Their orders stay as they are, with their
snapshots, for the accounting obligation."""

from django.db import transaction

from customers import erasure as customer_erasure
from customers.models import User
from shop.addresses.services import address_book_erase
from shop.cart.lists.services import saved_lists_erase
from shop.cart.services import cart_erase
from shop.catalog.alerts.services import stock_alerts_erase


@transaction.atomic
def account_erase(*, user: User) -> User:
    former_email = user.email
    erased = customer_erasure.customer_erase(user=user)
    address_book_erase(user=erased)
    cart_erase(user=erased)
    saved_lists_erase(owner=erased)
    stock_alerts_erase(user=erased, email=former_email)
    return erased
