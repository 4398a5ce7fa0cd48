"""The orders admin as the demo shop manager uses it: staff in "Shop managers", no superuser.
Orders are read-only except their status, which moves only through the order services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shop.models import CheckoutPolicy, Order, OrderLine, Product, ShippingMethod
from tests.factories import (
    CustomerGroupFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    UserFactory,
    WholesaleGroupFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/shop/order/"


def change_url(order) -> str:
    return f"/admin/shop/order/{order.pk}/change/"


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {order.number for order in response.context["cl"].result_list}


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def status_form(order, status, **extra) -> dict:
    """The change form's POST body: the status and the (read-only) lines and emails inlines."""
    count = order.lines.count()
    sent = order.emails.count()
    return {
        "status": status,
        "lines-TOTAL_FORMS": count,
        "lines-INITIAL_FORMS": count,
        "lines-MIN_NUM_FORMS": 0,
        "lines-MAX_NUM_FORMS": 0,
        "emails-TOTAL_FORMS": sent,
        "emails-INITIAL_FORMS": sent,
        "emails-MIN_NUM_FORMS": 0,
        "emails-MAX_NUM_FORMS": 0,
        "_save": "Save",
        **extra,
    }


def run_action(client, action, orders):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [order.pk for order in orders]},
        follow=True,
    )


@pytest.fixture
def stocked_order():
    """A placed order of 3 pans whose units already left the stock (100 -> 97)."""
    pan = ProductFactory(sku="PAN-1", name="Pan", base_price=Decimal("10.00"), stock=97)
    order = OrderFactory()
    OrderLineFactory(order=order, product=pan, quantity=3)
    return order, pan


def test_orders_list_filters_and_search(client, manager):
    wholesale = WholesaleGroupFactory()
    trade = UserFactory(email="buyer@acme.test", group=wholesale)
    old = OrderFactory(number="CPT-OLD00001", placed_at=timezone.now() - timedelta(days=60))
    paid = OrderFactory(number="CPT-PAID0001", status="paid", paid_at=timezone.now())
    on_account = OrderFactory(
        number="CPT-ACME0001",
        user=trade,
        group=wholesale,
        company_name="Acme Bistro",
        payment_method="on_account",
    )
    everyone = {old.number, paid.number, on_account.number}

    response = client.get(CHANGELIST)
    assert listed(response) == everyone
    body = response.content.decode()
    assert "Acme Bistro" in body and "buyer@acme.test" in body and "€12.00" in body

    assert listed(client.get(CHANGELIST, {"status__exact": "paid"})) == {paid.number}
    assert listed(client.get(CHANGELIST, {"group__id__exact": wholesale.pk})) == {on_account.number}
    assert listed(client.get(CHANGELIST, {"payment_method__exact": "on_account"})) == {
        on_account.number
    }
    since = (timezone.now() - timedelta(days=7)).isoformat()
    recent = client.get(CHANGELIST, {"placed_at__gte": since})
    assert listed(recent) == {paid.number, on_account.number}

    assert listed(client.get(CHANGELIST, {"q": "CPT-PAID"})) == {paid.number}
    assert listed(client.get(CHANGELIST, {"q": "buyer@acme"})) == {on_account.number}
    assert listed(client.get(CHANGELIST, {"q": "acme bistro"})) == {on_account.number}
    assert listed(client.get(CHANGELIST, {"q": "nobody"})) == set()


def test_bad_filter_values_never_give_a_500(client, manager):
    OrderFactory()
    for params in [
        {"status__exact": "teleported"},
        {"group__id__exact": "abc"},
        {"placed_at__gte": "not-a-date"},
        {"o": "99"},
    ]:
        assert client.get(CHANGELIST, params).status_code in (200, 302)


def test_order_list_queries_do_not_grow_with_orders(client, manager, django_assert_max_num_queries):
    def queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get(CHANGELIST)
        assert response.status_code == 200
        return len(context.captured_queries), len(response.context["cl"].result_list)

    group = CustomerGroupFactory()
    OrderFactory.create_batch(3, group=group, user=UserFactory())
    small, shown = queries()
    assert shown == 3
    OrderFactory.create_batch(27, group=group, user=UserFactory())
    with django_assert_max_num_queries(small):
        large, shown = queries()
    assert shown == 30


def test_manager_cannot_add_or_delete_orders(client, manager, stocked_order):
    order, _pan = stocked_order
    assert client.get("/admin/shop/order/add/").status_code == 403
    assert client.get(f"/admin/shop/order/{order.pk}/delete/").status_code == 403
    assert client.post(f"/admin/shop/order/{order.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.get(CHANGELIST)
    assert "delete_selected" not in response.content.decode()
    assert "/admin/shop/order/add/" not in response.content.decode()
    run_action(client, "delete_selected", [order])
    assert Order.objects.filter(pk=order.pk).exists()
    assert OrderLine.objects.filter(order=order).count() == 1
    assert manager.has_perm("shop.change_order") and manager.has_perm("shop.view_order")
    assert not manager.has_perm("shop.add_order") and not manager.has_perm("shop.delete_order")


def test_detail_shows_the_snapshot_and_its_lines_read_only(client, manager, stocked_order):
    order, _pan = stocked_order
    response = client.get(change_url(order))
    assert response.status_code == 200
    body = response.content.decode()
    assert order.number in body and "3 rue des Lilas" in body and "PAN-1" in body
    assert "€12.00" in body  # unit price as the buyer saw it
    # The only form fields are the status, offering just the next steps of the workflow, and
    # the parcel it ships in.
    form = response.context["adminform"].form
    assert list(form.fields) == ["status", "carrier", "tracking_number", "tracking_url"]
    offered = [value for value, _label in form.fields["status"].widget.choices]
    assert offered == ["placed", "paid", "cancelled"]  # bank transfer: paid before shipped
    assert 'name="lines-0-quantity"' not in body and 'name="total"' not in body


def test_posted_prices_lines_and_customer_fields_are_ignored(client, manager, stocked_order):
    order, _pan = stocked_order
    number = order.number
    line = order.lines.get()
    response = client.post(
        change_url(order),
        status_form(
            order,
            "placed",
            total="0.01",
            email="thief@example.com",
            number="CPT-HACKED00",
            **{
                "lines-0-id": line.pk,
                "lines-0-order": order.pk,
                "lines-0-quantity": "99",
                "lines-0-unit_price": "0.01",
                "lines-0-DELETE": "on",
            },
        ),
    )
    assert response.status_code == 302
    order.refresh_from_db()
    line.refresh_from_db()
    assert (order.total, order.email, order.number) == (
        Decimal("12.00"),
        "guest@example.com",
        number,
    )
    assert (line.quantity, line.unit_price) == (3, Decimal("10.00"))


def test_status_change_in_the_form_goes_through_the_workflow(client, manager, stocked_order):
    order, _pan = stocked_order
    response = client.post(change_url(order), status_form(order, "paid"), follow=True)
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == "paid" and order.paid_at is not None

    response = client.post(change_url(order), status_form(order, "shipped"))
    order.refresh_from_db()
    assert response.status_code == 302 and order.status == "shipped" and order.shipped_at


@pytest.mark.parametrize(
    ("start", "target", "reason"),
    [
        ("placed", "shipped", "Mark the order paid before shipping it."),
        ("placed", "completed", "cannot become completed"),
        ("cancelled", "placed", "cannot become placed"),
        ("placed", "teleported", "Select a valid choice"),
    ],
)
def test_invalid_transitions_are_answered_in_the_form(client, manager, start, target, reason):
    order = OrderFactory(status=start)
    response = client.post(change_url(order), status_form(order, target))
    assert response.status_code == 200
    assert reason in response.content.decode()
    order.refresh_from_db()
    assert order.status == start


def test_a_concurrent_change_is_reported_not_a_500(client, manager, stocked_order, monkeypatch):
    """The form saw "placed"; another manager cancelled the order before this save."""
    from shop.orders import services

    order, pan = stocked_order
    form_data = status_form(order, "paid")
    real = services.order_status_refusal
    calls = []

    def stale_then_real(*, order, status):
        calls.append(status)
        if len(calls) == 1:  # the form's check, before the other manager's cancel
            services.order_set_status(order=order, status="cancelled")
            return None
        return real(order=order, status=status)

    monkeypatch.setattr(services, "order_status_refusal", stale_then_real)
    response = client.post(change_url(order), form_data, follow=True)
    assert response.status_code == 200
    assert "A cancelled order cannot be paid." in messages_of(response)
    order.refresh_from_db()
    assert order.status == "cancelled" and order.paid_at is None
    assert Product.objects.get(pk=pan.pk).stock == 100


def test_mark_paid_and_shipped_actions(client, manager):
    bank = OrderFactory(number="CPT-BANK0001")
    account = OrderFactory(number="CPT-ACCT0001", payment_method="on_account")
    response = run_action(client, "mark_shipped", [bank, account])
    assert "1 order marked shipped." in messages_of(response)
    assert "CPT-BANK0001: Mark the order paid before shipping it." in messages_of(response)
    bank.refresh_from_db()
    account.refresh_from_db()
    assert bank.status == "placed" and account.status == "shipped" and account.paid_at is None

    response = run_action(client, "mark_paid", [bank, account])
    assert "2 orders marked paid." in messages_of(response)
    bank.refresh_from_db()
    account.refresh_from_db()
    assert bank.status == "paid" and bank.paid_at is not None
    assert account.status == "shipped" and account.paid_at is not None  # stays shipped


def test_cancel_returns_stock_exactly_once(client, manager, stocked_order):
    order, pan = stocked_order
    response = run_action(client, "cancel", [order])
    assert "1 order cancelled." in messages_of(response)
    assert Product.objects.get(pk=pan.pk).stock == 100
    run_action(client, "cancel", [order])
    response = client.post(change_url(order), status_form(order, "cancelled"), follow=True)
    assert response.status_code == 200
    response = run_action(client, "mark_paid", [order])
    assert f"{order.number}: A cancelled order cannot be paid." in messages_of(response)
    order.refresh_from_db()
    assert order.status == "cancelled" and order.stock_returned and order.paid_at is None
    assert Product.objects.get(pk=pan.pk).stock == 100


def test_a_shipped_order_cannot_be_cancelled(client, manager, stocked_order):
    order, pan = stocked_order
    run_action(client, "mark_paid", [order])
    run_action(client, "mark_shipped", [order])
    response = run_action(client, "cancel", [order])
    assert any("cannot become cancelled" in message for message in messages_of(response))
    assert Product.objects.get(pk=pan.pk).stock == 97


def test_the_open_on_account_balance_shows_on_the_order(client, manager):
    wholesale = WholesaleGroupFactory()
    buyer = UserFactory(group=wholesale)
    OrderFactory(user=buyer, payment_method="on_account", total=Decimal("300.00"))
    OrderFactory(user=buyer, payment_method="on_account", total=Decimal("40.00"))
    OrderFactory(user=buyer, payment_method="on_account", total=Decimal("5.00"), status="cancelled")
    OrderFactory(
        user=buyer, payment_method="on_account", total=Decimal("7.00"), paid_at=timezone.now()
    )
    order = OrderFactory(user=buyer, payment_method="bank_transfer", total=Decimal("9.00"))
    body = client.get(change_url(order)).content.decode()
    assert "open on-account balance" in body.lower() and "€340.00" in body


def test_the_open_on_account_balance_shows_on_the_customer_page(client, manager):
    buyer = UserFactory(group=WholesaleGroupFactory())
    OrderFactory(user=buyer, payment_method="on_account", total=Decimal("120.50"))
    OrderFactory(user=buyer, payment_method="on_account", total=Decimal("9.50"))
    OrderFactory(
        user=buyer, payment_method="on_account", total=Decimal("7.00"), paid_at=timezone.now()
    )
    OrderFactory(user=UserFactory(), payment_method="on_account", total=Decimal("999.00"))
    response = client.get(f"/admin/customers/customerprofile/{buyer.profile.pk}/change/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "open on-account balance" in body.lower() and "€130.00" in body
    assert "€999.00" not in body


def test_manager_manages_shipping_methods_and_checkout_policies(client, manager):
    wholesale = WholesaleGroupFactory()
    response = client.post(
        "/admin/shop/shippingmethod/add/",
        {
            "name": "Pallet",
            "description": "",
            "price": "80.00",
            "free_above": "",
            "min_subtotal": "500",
            "groups": [wholesale.pk],
            "countries": ["FR", "BE"],
            "position": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    method = ShippingMethod.objects.get(name="Pallet")
    assert method.country_codes == {"BE", "FR"} and list(method.groups.all()) == [wholesale]
    body = client.get("/admin/shop/shippingmethod/").content.decode()
    assert "Pallet" in body and "Wholesale" in body and "€80.00" in body

    response = client.post(
        "/admin/shop/shippingmethod/add/", {"name": "Bad", "price": "-1", "position": 0}
    )
    assert response.status_code == 200 and not ShippingMethod.objects.filter(name="Bad").exists()

    response = client.post(
        "/admin/shop/checkoutpolicy/add/",
        {"group": wholesale.pk, "bank_transfer": "on", "pay_on_account": "on"},
    )
    assert response.status_code == 302
    policy = CheckoutPolicy.objects.get(group=wholesale)
    assert policy.pay_on_account and not policy.guest_checkout
    assert client.get("/admin/shop/checkoutpolicy/").status_code == 200
