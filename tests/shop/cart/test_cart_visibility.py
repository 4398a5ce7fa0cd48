"""What the buyer can still order of their cart: a product that left the buyer's sight after
it was added shows as unavailable and blocks checkout, whichever rule hides it."""

import pytest

from tests.factories import CategoryFactory, CustomerGroupFactory, UserFactory
from tests.shop.conftest import add

pytestmark = pytest.mark.django_db


def hide_for_other_group(pot):
    pot.visible_to.set([CustomerGroupFactory()])


def deactivate(pot):
    pot.is_active = False
    pot.save()


def deactivate_category(pot):
    pot.category.is_active = False
    pot.category.save()


def hide_parent_category(pot):
    parent = CategoryFactory()
    parent.visible_to.set([CustomerGroupFactory()])
    pot.category.parent = parent
    pot.category.save()


@pytest.mark.parametrize(
    "hide", [hide_for_other_group, deactivate, deactivate_category, hide_parent_category]
)
def test_a_product_hidden_after_adding_is_unavailable(client, shop_products, hide):
    pan, pot = shop_products
    pot.category = CategoryFactory()
    pot.save()
    buyer = UserFactory()
    client.force_login(buyer)
    add(client, pan, 1)
    add(client, pot, 1)
    hide(pot)
    page = client.get("/cart/").context["page"]
    assert [line.product for line in page.unavailable] == [pot]
    assert [row.line.product for row in page.rows] == [pan]
    assert client.get("/checkout/").url == "/cart/"


def test_a_product_shown_only_to_the_buyers_group_stays_orderable(client, shop_products):
    pan, pot = shop_products
    buyer = UserFactory()
    client.force_login(buyer)
    add(client, pan, 1)
    add(client, pot, 1)
    pot.visible_to.set([buyer.profile.group, CustomerGroupFactory()])
    page = client.get("/cart/").context["page"]
    assert page.unavailable == []
    assert sorted(row.line.product.sku for row in page.rows) == ["PAN-1", "POT-2"]
    assert client.get("/checkout/").status_code == 200
