"""Guest carts nobody touched for a month are deleted by the periodic clean-up."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from shop.models import Cart, CartLine
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


def aged(cart, days):
    Cart.objects.filter(pk=cart.pk).update(created_at=timezone.now() - timedelta(days=days))
    CartLine.objects.filter(cart=cart).update(added_at=timezone.now() - timedelta(days=days))


def test_only_old_untouched_guest_carts_are_deleted():
    product = ProductFactory()
    old_guest = Cart.objects.create(token="old")
    CartLine.objects.create(cart=old_guest, product=product, quantity=1)
    aged(old_guest, 40)
    recent_line = Cart.objects.create(token="recent-line")
    aged(recent_line, 40)
    CartLine.objects.create(cart=recent_line, product=product, quantity=1)  # added today
    new_guest = Cart.objects.create(token="new")
    customer = Cart.objects.create(user=UserFactory())
    aged(customer, 400)

    out = StringIO()
    call_command("clear_stale_carts", "--days", "30", stdout=out)

    assert "1 stale guest cart(s) deleted." in out.getvalue()
    assert set(Cart.objects.values_list("pk", flat=True)) == {
        recent_line.pk,
        new_guest.pk,
        customer.pk,
    }
