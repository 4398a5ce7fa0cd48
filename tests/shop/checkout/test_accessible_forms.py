"""The checkout's forms for everyone: required fields announced, an error summary that takes
the focus and links to each field, "Error: " in the title, each error tied to its field, the
"same as billing" fields neither required nor missing, the shop's country to start with and a
lone shipping or payment method already chosen."""

import re

import pytest

from tests.factories import CheckoutPolicyFactory, ShippingMethodFactory
from tests.shop.conftest import ADDRESS, add, address_fields

pytestmark = pytest.mark.django_db


def tag(body: str, element_id: str) -> str:
    match = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{element_id}"[^>]*>', body)
    assert match, element_id
    return match.group(0)


def title(body: str) -> str:
    return re.search(r"<title>(.*?)</title>", body, re.S).group(1).strip()


@pytest.fixture
def cart(client, shop_products, standard_shipping):
    add(client, shop_products[0], 1)
    return client


def test_a_guests_new_billing_address_is_required_and_says_so(cart):
    body = cart.get("/checkout/").content.decode()
    for name in ("email", "billing-full_name", "billing-line1", "billing-postal_code"):
        assert " required" in tag(body, f"id_{name}"), name
    for name in ("billing-city", "billing-country"):
        assert " required" in tag(body, f"id_{name}"), name
    for optional in ("billing-company", "billing-line2", "billing-phone"):
        assert " required" not in tag(body, f"id_{optional}"), optional


def test_same_as_billing_leaves_the_shipping_fields_unrequired_and_never_missing(cart):
    body = cart.get("/checkout/").content.decode()
    assert re.search(r'value="same"[^>]*checked|checked[^>]*value="same"', body)
    assert " required" not in tag(body, "id_shipping-full_name")
    assert 'data-new-address-for="shipping_choice"' in body
    assert "js/checkout-addresses.js" in body

    response = cart.post(
        "/checkout/",
        {
            "email": "",
            "billing_choice": "new",
            "shipping_choice": "same",
            **address_fields("billing", ADDRESS),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_email">Email: This field is required.</a>' in body
    assert "id_shipping-full_name_error" not in body
    assert 'aria-invalid="true"' not in tag(body, "id_shipping-full_name")
    assert " required" not in tag(body, "id_shipping-full_name")


def test_a_new_shipping_address_is_required_and_each_missing_field_listed(cart):
    response = cart.post(
        "/checkout/",
        {
            "email": "guest@example.com",
            "billing_choice": "new",
            "shipping_choice": "new",
            **address_fields("billing", ADDRESS),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    field = tag(body, "id_shipping-full_name")
    assert " required" in field and 'aria-invalid="true"' in field
    assert 'aria-describedby="id_shipping-full_name_error"' in field
    assert body.count('id="id_shipping-full_name_error"') == 1
    for name in ("full_name", "line1", "postal_code", "city"):
        assert f'href="#id_shipping-{name}"' in body


def test_a_failed_submit_shows_an_error_summary_that_takes_the_focus(cart):
    response = cart.post("/checkout/", {"billing_choice": "new", "shipping_choice": "same"})
    body = response.content.decode()
    summary = re.search(r'<div class="form-errors error-summary"[^>]*>(.*?)</div>', body, re.S)
    assert summary, body
    opening = summary.group(0).split(">", 1)[0]
    assert 'tabindex="-1"' in opening and "autofocus" in opening
    assert "There is a problem" in summary.group(1)
    links = re.findall(r'<a href="#([\w-]+)">', summary.group(1))
    assert links[:2] == ["id_email", "id_billing-full_name"]
    for target in links:
        assert f'id="{target}"' in body
    assert title(body).startswith("Error: Checkout")
    assert not title(cart.get("/checkout/").content.decode()).startswith("Error")


def test_the_country_starts_on_the_shops_country(cart, settings):
    settings.SHOP_DEFAULT_COUNTRY = "FR"
    body = cart.get("/checkout/").content.decode()
    select = re.search(r'<select[^>]*id="id_billing-country".*?</select>', body, re.S).group(0)
    assert re.search(r'<option value="FR"[^>]*selected', select)


def test_a_country_already_chosen_is_kept(cart):
    cart.post(
        "/checkout/",
        {
            "email": "guest@example.com",
            "billing_choice": "new",
            "shipping_choice": "same",
            **address_fields(
                "billing", {**ADDRESS, "country": "DE", "postal_code": "10115", "city": "Berlin"}
            ),
        },
    )
    body = cart.get("/checkout/").content.decode()
    select = re.search(r'<select[^>]*id="id_billing-country".*?</select>', body, re.S).group(0)
    assert re.search(r'<option value="DE"[^>]*selected', select)
    assert not re.search(r'<option value="FR"[^>]*selected', select)


def details_done(client):
    response = client.post(
        "/checkout/",
        {
            "email": "guest@example.com",
            "billing_choice": "new",
            "shipping_choice": "same",
            **address_fields("billing", ADDRESS),
        },
    )
    assert response.status_code == 302


def test_a_lone_shipping_and_payment_method_are_preselected(cart):
    CheckoutPolicyFactory(card=False, bank_transfer=True)
    details_done(cart)
    body = cart.get("/checkout/delivery/").content.decode()
    [payment] = re.findall(r'<input type="radio" name="payment_method"[^>]*>', body)
    [shipping] = re.findall(r'<input type="radio" name="shipping_method"[^>]*>', body)
    assert " checked" in payment and " required" in payment
    assert " checked" in shipping and " required" in shipping


def test_nothing_is_preselected_among_several_methods(cart):
    ShippingMethodFactory(name="Express")
    details_done(cart)
    body = cart.get("/checkout/delivery/").content.decode()
    shipping = re.findall(r'<input type="radio" name="shipping_method"[^>]*>', body)
    assert len(shipping) == 2 and not any(" checked" in radio for radio in shipping)


def test_a_delivery_step_without_a_choice_links_to_the_first_option(cart):
    ShippingMethodFactory(name="Express")
    details_done(cart)
    response = cart.post("/checkout/delivery/", {})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_shipping_method_0"' in body and 'id="id_shipping_method_0"' in body
    assert title(body).startswith("Error: ")
