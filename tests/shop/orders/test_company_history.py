"""/accounts/orders/ for company members: who sees which orders (admins and approvers all the
company's, buyers their own unless the company lets them see all), the filters and search,
pagination that keeps them, and the order pages that follow the same visibility."""

import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from customers.companies.models import CompanyRole
from shop.models import Order
from shop.orders import services as order_services
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(db):
    return CompanyFactory(name="Bistro Lumière")


def member(company, role, email, full_name):
    user = UserFactory(email=email, full_name=full_name, group=company.group)
    CompanyMemberFactory(company=company, user=user, role=role)
    return user


@pytest.fixture
def admin(company):
    return member(company, CompanyRole.ADMIN, "admin@bistro.example", "Alice Admin")


@pytest.fixture
def buyer(company):
    return member(company, CompanyRole.BUYER, "bob@bistro.example", "Bob Buyer")


@pytest.fixture
def approver(company):
    return member(company, CompanyRole.APPROVER, "ada@bistro.example", "Ada Approver")


def company_order(user, company, **kwargs) -> Order:
    return OrderFactory(user=user, company=company, company_name=company.name, **kwargs)


def listed_numbers(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'href="/accounts/orders/(CPT-[0-9A-Z]+)/"', response.content.decode())


@pytest.fixture
def orders(company, admin, buyer):
    """One order each for the admin and the buyer, and one of another company."""
    rival = CompanyFactory(name="Rival SARL")
    outsider = member(rival, CompanyRole.ADMIN, "eve@rival.example", "Eve Rival")
    return {
        "admin": company_order(admin, company),
        "buyer": company_order(buyer, company),
        "rival": company_order(outsider, rival),
    }


def test_a_company_admin_sees_every_order_of_the_company_with_who_placed_it(client, admin, orders):
    client.force_login(admin)
    response = client.get("/accounts/orders/")
    assert set(listed_numbers(response)) == {orders["admin"].number, orders["buyer"].number}
    body = response.content.decode()
    assert "Company orders" in body
    assert '<td data-label="Placed by" class="order-placer">Bob Buyer</td>' in body
    assert '<td data-label="Placed by" class="order-placer">You</td>' in body
    assert "Bank transfer" in body  # the payment column


def test_an_approver_sees_every_order_of_the_company(client, approver, orders):
    client.force_login(approver)
    numbers = listed_numbers(client.get("/accounts/orders/"))
    assert set(numbers) == {orders["admin"].number, orders["buyer"].number}


def test_a_buyer_sees_only_their_own_orders_by_default(client, buyer, orders):
    client.force_login(buyer)
    response = client.get("/accounts/orders/")
    assert listed_numbers(response) == [orders["buyer"].number]
    body = response.content.decode()
    assert "My orders" in body and "Placed by" not in body


def test_a_buyer_sees_the_company_orders_when_the_company_allows_it(client, company, buyer, orders):
    company.buyers_see_company_orders = True
    company.save()
    client.force_login(buyer)
    numbers = listed_numbers(client.get("/accounts/orders/"))
    assert set(numbers) == {orders["admin"].number, orders["buyer"].number}


def test_the_orders_of_a_member_who_left_stay_visible_to_the_company(client, admin, buyer, orders):
    buyer.company_membership.delete()
    client.force_login(admin)
    assert orders["buyer"].number in listed_numbers(client.get("/accounts/orders/"))
    client.force_login(buyer)  # who left still sees their own orders
    assert listed_numbers(client.get("/accounts/orders/")) == [orders["buyer"].number]


def test_orders_a_member_placed_for_no_company_stay_private(client, company, admin, buyer):
    personal = OrderFactory(user=buyer)
    client.force_login(admin)
    assert personal.number not in listed_numbers(client.get("/accounts/orders/"))


def test_a_colleague_allowed_to_see_the_list_opens_the_order_and_its_invoice(
    client, admin, buyer, orders
):
    order = orders["buyer"]
    OrderLineFactory(order=order)
    order_services.order_mark_paid(order=order)
    client.force_login(admin)
    response = client.get(f"/accounts/orders/{order.number}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<dd class="order-placer">Bob Buyer (Bistro Lumière)</dd>' in body
    assert "puts these products in your own cart" in body
    assert client.get(f"/accounts/orders/{order.number}/invoice/").status_code == 200
    pdf = client.get(f"/accounts/orders/{order.number}/invoice.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("viewer", ["buyer", "outsider"])
def test_anyone_not_allowed_gets_404_on_the_order_and_its_invoice(
    client, company, admin, buyer, orders, viewer
):
    order = orders["admin"]
    OrderLineFactory(order=order)
    order_services.order_mark_paid(order=order)
    user = buyer if viewer == "buyer" else orders["rival"].user
    client.force_login(user)
    for url in [
        f"/accounts/orders/{order.number}/",
        f"/accounts/orders/{order.number}/invoice/",
        f"/accounts/orders/{order.number}/invoice.pdf",
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(f"/accounts/orders/{order.number}/reorder/")
    assert response.status_code == 404


def test_reordering_a_colleagues_order_fills_ones_own_cart(client, admin, buyer, orders):
    order = orders["buyer"]
    product = ProductFactory(sku="KIT-101", base_price=Decimal("8.00"), stock=50)
    OrderLineFactory(order=order, product=product, quantity=3)
    client.force_login(admin)
    response = client.post(f"/accounts/orders/{order.number}/reorder/", follow=True)
    body = response.content.decode()
    assert "1 product from order" in body
    assert "KIT-101" in body
    client.force_login(buyer)  # the buyer's own cart is untouched
    assert "KIT-101" not in client.get("/cart/").content.decode()


def test_a_colleagues_order_goes_to_ones_own_saved_list(client, admin, orders):
    order = orders["buyer"]
    OrderLineFactory(order=order, product=ProductFactory(sku="KIT-202"), quantity=2)
    client.force_login(admin)
    response = client.post(
        f"/accounts/lists/from-order/{order.number}/", {"new_name": "From Bob"}, follow=True
    )
    assert response.status_code == 200
    assert admin.saved_lists.get().name == "From Bob"
    assert admin.saved_lists.get().lines.get().product.sku == "KIT-202"


class TestFilters:
    @pytest.fixture
    def history(self, company, admin, buyer):
        today = timezone.localdate()

        def at(days_ago):
            return timezone.make_aware(
                datetime.combine(
                    today - timedelta(days=days_ago), datetime.min.time().replace(hour=23)
                )
            )

        shipped = company_order(buyer, company, status="shipped", placed_at=at(10))
        OrderLineFactory(order=shipped, product=ProductFactory(sku="OIL-5L", name="Olive oil 5 L"))
        placed = company_order(admin, company, placed_at=at(2))
        OrderLineFactory(order=placed, product=ProductFactory(sku="SALT-1", name="Sea salt"))
        return {"shipped": shipped, "placed": placed, "today": today}

    def test_by_member(self, client, admin, buyer, history):
        client.force_login(admin)
        response = client.get("/accounts/orders/", {"placed_by": buyer.pk})
        assert listed_numbers(response) == [history["shipped"].number]
        assert f'<option value="{buyer.pk}" selected>Bob Buyer</option>' in (
            response.content.decode()
        )

    @pytest.mark.parametrize(
        ("query", "expected"),
        [("oil-5", "shipped"), ("sea SALT", "placed"), ("olive oil", "shipped")],
    )
    def test_search_by_sku_product_name_or_number(self, client, admin, history, query, expected):
        client.force_login(admin)
        assert listed_numbers(client.get("/accounts/orders/", {"q": query})) == [
            history[expected].number
        ]
        number = history["placed"].number
        assert listed_numbers(client.get("/accounts/orders/", {"q": number[-5:]})) == [number]

    def test_by_status_and_open(self, client, admin, history):
        client.force_login(admin)
        assert listed_numbers(client.get("/accounts/orders/", {"status": "shipped"})) == [
            history["shipped"].number
        ]
        assert listed_numbers(client.get("/accounts/orders/", {"status": "open"})) == [
            history["placed"].number
        ]

    def test_by_dates_both_included(self, client, admin, history):
        client.force_login(admin)
        day = (history["today"] - timedelta(days=10)).isoformat()
        response = client.get("/accounts/orders/", {"date_from": day, "date_to": day})
        assert listed_numbers(response) == [history["shipped"].number]
        assert f'value="{day}"' in response.content.decode()  # what was typed is kept
        since = (history["today"] - timedelta(days=3)).isoformat()
        response = client.get("/accounts/orders/", {"date_from": since})
        assert listed_numbers(response) == [history["placed"].number]

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"date_from": "31/02/2026"}, "Enter a valid date."),
            ({"date_to": "tomorrow"}, "Enter a valid date."),
            ({"date_from": "0001-01-01"}, "greater than or equal to"),
            ({"date_to": "9999-12-31"}, "less than or equal to"),
            ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "before the start date"),
            ({"placed_by": "999999"}, "Select a valid choice."),
            ({"status": "lost"}, "Select a valid choice."),
        ],
    )
    def test_a_wrong_filter_gets_a_message_and_keeps_what_was_typed(
        self, client, admin, history, params, message
    ):
        client.force_login(admin)
        response = client.get("/accounts/orders/", {"q": "salt", **params})
        assert response.status_code == 200
        body = response.content.decode()
        assert message in body and 'role="alert"' in body
        for value in params.values():
            if value.isdigit() or value == "lost":
                continue  # a refused choice cannot be shown selected
            assert f'value="{value}"' in body
        # the valid filter still applies
        assert listed_numbers(response) == [history["placed"].number]

    def test_no_match_says_so(self, client, admin, history):
        client.force_login(admin)
        body = client.get("/accounts/orders/", {"q": "nothing like it"}).content.decode()
        assert "No order matches these filters." in body


def test_pages_of_20_keep_the_filters(client, company, admin, buyer):
    for _ in range(23):
        company_order(buyer, company)
    company_order(admin, company)
    client.force_login(admin)
    first = client.get("/accounts/orders/", {"placed_by": buyer.pk, "status": "placed"})
    assert len(listed_numbers(first)) == 20
    assert "23 orders" in first.content.decode()
    next_link = f'href="?status=placed&amp;placed_by={buyer.pk}&amp;page=2"'
    assert next_link in first.content.decode()
    second = client.get("/accounts/orders/", {"placed_by": buyer.pk, "status": "placed", "page": 2})
    assert len(listed_numbers(second)) == 3


@pytest.mark.parametrize("size", [3, 30])
def test_the_company_history_takes_a_constant_number_of_queries(
    client, company, admin, buyer, size, django_assert_num_queries
):
    for index in range(size):
        order = company_order(buyer if index % 2 else admin, company)
        OrderLineFactory(order=order)
    client.force_login(admin)
    client.get("/accounts/orders/")  # the session and the caches are warm
    # session, the user with the versions (its category menu is kept per version),
    # membership, placers, count, the page of orders (with who placed them), the header's
    # profile
    with django_assert_num_queries(6):
        response = client.get("/accounts/orders/", {"q": "sku", "status": "placed"})
    assert response.status_code == 200
