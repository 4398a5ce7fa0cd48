"""Signals the customers package sends to the layers above it, which it never imports."""

from django.dispatch import Signal

# Sent by `services.customer_erase` with `user=`, inside its transaction and before the
# account is anonymised. The packages above customers that keep personal data about a
# customer (the shop's address book and cart) delete theirs in a receiver, so that an erasure
# happens completely or not at all, whoever calls it.
customer_erasing = Signal()
