"""Saved lists: what a buyer does with them, and what nobody else can do with them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.models import SavedList, SavedListLine
from tests.factories import (
    CategoryFactory,
    CustomerGroupFactory,
    OrderFactory,
    OrderLineFactory,
    PriceRuleFactory,
    ProductFactory,
    QuantityRuleFactory,
    SavedListFactory,
    SavedListLineFactory,
    UserFactory,
    WholesaleGroupFactory,
)
from tests.shop.conftest import add, messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(client):
    user = UserFactory()
    client.force_login(user)
    return user


def lines_of(saved_list) -> dict[str, int]:
    return {
        line.product.sku: line.quantity
        for line in SavedListLine.objects.filter(saved_list=saved_list).select_related("product")
    }


def cart(client) -> dict[str, int]:
    return {r.line.product.sku: r.line.quantity for r in client.get("/cart/").context["page"].rows}


# --- lists and their names ------------------------------------------------------------------


def test_a_buyer_creates_renames_and_deletes_lists(client, buyer):
    response = client.post("/accounts/lists/", {"name": "  Weekly   kitchen "})
    saved_list = SavedList.objects.get(owner=buyer)
    assert saved_list.name == "Weekly kitchen"
    assert response.url == f"/accounts/lists/{saved_list.pk}/"
    client.post("/accounts/lists/", {"name": "Bar"})
    index = client.get("/accounts/lists/")
    assert [s.name for s in index.context["lists"]] == ["Bar", "Weekly kitchen"]

    response = client.post(f"/accounts/lists/{saved_list.pk}/rename/", {"name": "Monday"})
    assert response.url == f"/accounts/lists/{saved_list.pk}/"
    saved_list.refresh_from_db()
    assert saved_list.name == "Monday"

    confirm = client.get(f"/accounts/lists/{saved_list.pk}/delete/")
    assert "Delete the list “Monday”" in confirm.content.decode()
    assert SavedList.objects.filter(pk=saved_list.pk).exists()  # a GET deletes nothing
    response = client.post(f"/accounts/lists/{saved_list.pk}/delete/")
    assert response.url == "/accounts/lists/"
    assert not SavedList.objects.filter(pk=saved_list.pk).exists()


def test_a_name_is_unique_per_buyer_whatever_its_case(client, buyer):
    SavedListFactory(owner=buyer, name="Weekly")
    other = SavedListFactory(owner=buyer, name="Bar")
    SavedListFactory(name="Weekly")  # another customer's list of that name is no obstacle
    response = client.post("/accounts/lists/", {"name": "WEEKLY"})
    assert response.status_code == 400
    assert "You already have a list called “WEEKLY”" in response.content.decode()
    assert response.context["form"]["name"].value() == "WEEKLY"
    response = client.post(f"/accounts/lists/{other.pk}/rename/", {"name": "weekly"})
    assert response.status_code == 400
    assert "already have a list" in response.content.decode()
    # Renaming a list to its own name in another case is fine.
    client.post(f"/accounts/lists/{other.pk}/rename/", {"name": "BAR"})
    other.refresh_from_db()
    assert other.name == "BAR"
    assert client.post("/accounts/lists/", {"name": "   "}).status_code == 400
    assert SavedList.objects.filter(owner=buyer).count() == 2


def test_guests_are_sent_to_log_in(client):
    saved_list = SavedListFactory()
    for url in (
        "/accounts/lists/",
        f"/accounts/lists/{saved_list.pk}/",
        f"/accounts/lists/{saved_list.pk}/export/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    response = client.post("/accounts/lists/add/", {"product": 1, "quantity": 1})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_another_customers_list_is_404_for_every_url(client, buyer):
    theirs = SavedListLineFactory(quantity=3).saved_list
    base = f"/accounts/lists/{theirs.pk}"
    for url in ("/", "/rename/", "/delete/", "/export/", "/import/"):
        assert client.get(base + url).status_code == 404, url
    posts = {
        "/update/": {f"quantity-{theirs.lines.get().pk}": "0"},
        "/to-cart/": {"scope": "all"},
        "/rename/": {"name": "Mine now"},
        "/delete/": {},
        "/import/": {},
    }
    for url, data in posts.items():
        assert client.post(base + url, data).status_code == 404, url
    product = ProductFactory()
    response = client.post(
        "/accounts/lists/add/", {"product": product.pk, "quantity": 1, "saved_list": theirs.pk}
    )
    assert response.status_code == 302  # not one of their choices: refused
    theirs.refresh_from_db()
    assert lines_of(theirs) == {theirs.lines.get().product.sku: 3}
    assert cart(client) == {}
    assert client.get("/accounts/lists/99999999999999999999/").status_code == 404


def test_forms_need_the_csrf_token(buyer):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(buyer)
    saved_list = SavedListFactory(owner=buyer)
    assert strict.post("/accounts/lists/", {"name": "X"}).status_code == 403
    assert strict.post(f"/accounts/lists/{saved_list.pk}/delete/").status_code == 403
    assert SavedList.objects.filter(pk=saved_list.pk).exists()


# --- adding products ------------------------------------------------------------------------


def test_adding_from_the_product_page_to_a_new_or_existing_list(client, buyer):
    product = ProductFactory(sku="PEN-1", name="Pens")
    page = client.get(product.get_absolute_url())
    assert "Add to a saved list" in page.content.decode()
    data = {"product": product.pk, "quantity": "4", "saved_list": "", "new_name": "Office"}
    response = client.post("/accounts/lists/add/", {**data, "next": product.get_absolute_url()})
    assert response.url == product.get_absolute_url()
    saved_list = SavedList.objects.get(owner=buyer, name="Office")
    assert lines_of(saved_list) == {"PEN-1": 4}
    # The same product again adds to its quantity.
    client.post(
        "/accounts/lists/add/", {"product": product.pk, "quantity": 6, "saved_list": saved_list.pk}
    )
    assert lines_of(saved_list) == {"PEN-1": 10}
    # A name typed while the menu shows an existing list makes a new list.
    client.post(
        "/accounts/lists/add/",
        {"product": product.pk, "quantity": 1, "saved_list": saved_list.pk, "new_name": "Desk"},
    )
    assert lines_of(SavedList.objects.get(owner=buyer, name="Desk")) == {"PEN-1": 1}
    assert lines_of(saved_list) == {"PEN-1": 10}
    # A new list named like an existing one is refused with a clear message.
    response = client.post("/accounts/lists/add/", {**data, "new_name": "office"}, follow=True)
    assert any("already have a list called" in m for m in messages_of(response))
    assert SavedList.objects.filter(owner=buyer).count() == 2


def test_guests_see_no_add_to_list_form(client):
    product = ProductFactory()
    assert "Add to a saved list" not in client.get(product.get_absolute_url()).content.decode()


def test_a_product_the_buyer_cannot_see_is_never_added(client, buyer):
    hidden = ProductFactory()
    hidden.visible_to.set([CustomerGroupFactory(slug="vip")])
    response = client.post(
        "/accounts/lists/add/",
        {"product": hidden.pk, "quantity": 1, "saved_list": "", "new_name": "Sneaky"},
        follow=True,
    )
    assert not SavedList.objects.filter(owner=buyer).exists()  # no empty list left behind
    assert hidden.name not in " ".join(messages_of(response))


def test_save_the_cart_as_a_list_and_add_an_order_to_a_list(client, buyer):
    pan, pot = ProductFactory(sku="PAN-1"), ProductFactory(sku="POT-2")
    add(client, pan, 2)
    add(client, pot, 1)
    assert "Save cart as a list" in client.get("/cart/").content.decode()
    client.post("/accounts/lists/from-cart/", {"saved_list": "", "new_name": "Usual"})
    saved_list = SavedList.objects.get(owner=buyer)
    assert lines_of(saved_list) == {"PAN-1": 2, "POT-2": 1}

    order = OrderFactory(user=buyer)
    OrderLineFactory(order=order, product=pan, quantity=5)
    page = client.get(f"/accounts/orders/{order.number}/")
    assert "Add this order to a list" in page.content.decode()
    response = client.post(
        f"/accounts/lists/from-order/{order.number}/", {"saved_list": saved_list.pk}
    )
    assert response.url == f"/accounts/orders/{order.number}/"
    assert lines_of(saved_list) == {"PAN-1": 7, "POT-2": 1}
    # Someone else's order is 404.
    theirs = OrderFactory(user=UserFactory())
    OrderLineFactory(order=theirs, product=pot, quantity=9)
    response = client.post(
        f"/accounts/lists/from-order/{theirs.number}/", {"saved_list": saved_list.pk}
    )
    assert response.status_code == 404
    assert lines_of(saved_list) == {"PAN-1": 7, "POT-2": 1}


# --- editing --------------------------------------------------------------------------------


def test_quantities_and_notes_are_edited_in_one_form_and_0_removes(client, buyer):
    saved_list = SavedListFactory(owner=buyer)
    pan = SavedListLineFactory(saved_list=saved_list, product__sku="PAN-1", quantity=2)
    pot = SavedListLineFactory(saved_list=saved_list, product__sku="POT-2", quantity=3)
    response = client.post(
        f"/accounts/lists/{saved_list.pk}/update/",
        {
            f"quantity-{pan.pk}": "12",
            f"note-{pan.pk}": "for the kitchen",
            f"quantity-{pot.pk}": "0",
            f"note-{pot.pk}": "",
        },
    )
    assert response.url == f"/accounts/lists/{saved_list.pk}/"
    assert lines_of(saved_list) == {"PAN-1": 12}
    pan.refresh_from_db()
    assert pan.note == "for the kitchen"


def test_a_bad_quantity_keeps_what_was_typed_and_names_the_line(client, buyer):
    saved_list = SavedListFactory(owner=buyer)
    pan = SavedListLineFactory(
        saved_list=saved_list, product__sku="PAN-1", product__name="Pans", quantity=2
    )
    pot = SavedListLineFactory(
        saved_list=saved_list, product__sku="POT-2", product__name="Pots", quantity=3
    )
    response = client.post(
        f"/accounts/lists/{saved_list.pk}/update/",
        {f"quantity-{pan.pk}": "7", f"quantity-{pot.pk}": "three", f"note-{pot.pk}": "blue"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Pots: enter a whole number" in body
    assert 'value="three"' in body and 'value="7"' in body and 'value="blue"' in body
    assert lines_of(saved_list) == {"PAN-1": 2, "POT-2": 3}  # nothing half saved


# --- to the cart ----------------------------------------------------------------------------


def test_the_whole_list_or_ticked_lines_go_to_the_cart_line_by_line(client):
    wholesale = WholesaleGroupFactory(min_order_subtotal=None)
    buyer = UserFactory(group=wholesale)
    client.force_login(buyer)
    category = CategoryFactory()
    pens = ProductFactory(category=category, sku="PEN-1", name="Pens")
    pads = ProductFactory(category=category, sku="PAD-1", name="Pads")
    gone = ProductFactory(category=category, sku="OLD-1", name="Old stapler")
    QuantityRuleFactory(group=wholesale, product=pens, min_quantity=10, step=10)
    saved_list = SavedListFactory(owner=buyer)
    pen_line = SavedListLineFactory(saved_list=saved_list, product=pens, quantity=5)
    pad_line = SavedListLineFactory(saved_list=saved_list, product=pads, quantity=2)
    SavedListLineFactory(saved_list=saved_list, product=gone, quantity=1)
    gone.is_active = False
    gone.save()

    response = client.post(f"/accounts/lists/{saved_list.pk}/to-cart/", {"scope": "all"})
    assert response.status_code == 200
    refused = {line.product.name: reason for line, reason in response.context["refused"]}
    assert set(refused) == {"Pens", "Old stapler"}
    assert "packs of 10" in refused["Pens"]
    assert refused["Old stapler"] == "This product is no longer available."
    assert cart(client) == {"PAD-1": 2}
    assert lines_of(saved_list) == {"PEN-1": 5, "PAD-1": 2, "OLD-1": 1}  # the list stays

    pen_line.quantity = 10
    pen_line.save()
    response = client.post(
        f"/accounts/lists/{saved_list.pk}/to-cart/", {"line": [str(pen_line.pk), "junk"]}
    )
    assert response.url == "/cart/"
    assert cart(client) == {"PAD-1": 2, "PEN-1": 10}
    response = client.post(f"/accounts/lists/{saved_list.pk}/to-cart/", {}, follow=True)
    assert any("Tick at least one line" in m for m in messages_of(response))
    assert pad_line.pk  # untouched


def test_a_product_no_longer_visible_shows_as_unavailable_without_price(client, buyer):
    saved_list = SavedListFactory(owner=buyer)
    hidden = SavedListLineFactory(
        saved_list=saved_list, product__name="Secret", product__base_price=Decimal("77.70")
    ).product
    SavedListLineFactory(saved_list=saved_list, product__base_price=Decimal("5.00"), quantity=2)
    hidden.visible_to.set([CustomerGroupFactory(slug="vip")])
    response = client.get(f"/accounts/lists/{saved_list.pk}/")
    body = response.content.decode()
    assert "This product is no longer available." in body
    assert "77.70" not in body and hidden.sku not in body
    assert [line.product for line in response.context["page"].unavailable] == [hidden]
    export = client.get(f"/accounts/lists/{saved_list.pk}/export/").content.decode()
    assert hidden.sku not in export


# --- prices ---------------------------------------------------------------------------------


def test_the_list_shows_the_buyers_own_prices_and_total(client):
    wholesale = WholesaleGroupFactory(min_order_subtotal=None)
    buyer = UserFactory(group=wholesale)
    client.force_login(buyer)
    product = ProductFactory(base_price=Decimal("10.00"))
    PriceRuleFactory(group=wholesale, product=product, kind="fixed_price", value=Decimal("8.00"))
    special = UserFactory(group=wholesale)
    PriceRuleFactory(customer=special, product=product, kind="fixed_price", value=Decimal("1.00"))
    saved_list = SavedListFactory(owner=buyer)
    SavedListLineFactory(saved_list=saved_list, product=product, quantity=3)
    response = client.get(f"/accounts/lists/{saved_list.pk}/")
    page = response.context["page"]
    assert page.rows[0].priced.display_unit_price == Decimal("8.00")
    assert page.quote.display_subtotal == Decimal("24.00")
    body = response.content.decode()
    assert "24.00" in body and "List total (excl. VAT)" in body
    assert "1.00" not in body.split("List total")[0].split("<tbody>")[1]


@pytest.mark.parametrize("sizes", [(3, 30)])
def test_list_page_and_index_queries_do_not_grow(client, buyer, sizes):
    category = CategoryFactory()
    saved_list = SavedListFactory(owner=buyer)

    def grow_to(count):
        while saved_list.lines.count() < count:
            SavedListLineFactory(
                saved_list=saved_list, product=ProductFactory(category=category), quantity=2
            )

    def queries(url):
        client.get(url)  # warm the compiled rules
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries), response

    url = f"/accounts/lists/{saved_list.pk}/"
    small, large = sizes
    grow_to(small)
    few, _response = queries(url)
    grow_to(large)
    many, response = queries(url)
    assert len(response.context["page"].rows) == large
    assert few == many, (few, many)
    page_queries = few

    for _ in range(small - 1):
        SavedListFactory(owner=buyer)
    few, _response = queries("/accounts/lists/")
    for _ in range(large - small):
        SavedListFactory(owner=buyer)
    many, response = queries("/accounts/lists/")
    assert len(response.context["lists"]) == large
    assert few == many, (few, many)
    print(f"list page {page_queries}, index {few} queries at {small} and {large}")


def test_list_pages_are_private_and_not_stored(client, buyer):
    saved_list = SavedListFactory(owner=buyer)
    for url in ("/accounts/lists/", f"/accounts/lists/{saved_list.pk}/"):
        directives = {d.strip() for d in client.get(url)["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url
    export = client.get(f"/accounts/lists/{saved_list.pk}/export/")
    assert "no-store" in export["Cache-Control"]
