"""The cart and checkout pages read the visitor's cart with the request's versions, in the same
query: never the cart of anyone but the visitor the request turns out to be."""

from tests.factories import UserFactory
from tests.shop.conftest import add


def test_a_session_logged_out_by_a_password_change_shows_none_of_the_customers_cart(
    client, shop_products
):
    pan, _pot = shop_products
    customer = UserFactory()
    client.force_login(customer)
    add(client, pan, 2)
    assert pan.name in client.get("/cart/").content.decode()
    customer.set_password("An0ther-long-secret")
    customer.save()
    for path in ("/cart/", "/checkout/"):
        response = client.get(path, follow=True)
        assert not response.wsgi_request.user.is_authenticated
        assert pan.name not in response.content.decode()


def test_a_guest_s_first_add_creates_the_cart_the_next_page_reads(client, shop_products):
    pan, pot = shop_products
    add(client, pan, 1)
    add(client, pot, 3)
    rows = client.get("/cart/").context["page"].rows
    assert [(row.line.product, row.line.quantity) for row in rows] == [(pan, 1), (pot, 3)]


def test_a_customer_s_cart_and_a_guest_s_cart_stay_apart(client, shop_products):
    pan, pot = shop_products
    add(client, pan, 1)
    customer = UserFactory()
    other = client.__class__()
    other.force_login(customer)
    add(other, pot, 2)
    assert [row.line.product for row in client.get("/cart/").context["page"].rows] == [pan]
    assert [row.line.product for row in other.get("/cart/").context["page"].rows] == [pot]
