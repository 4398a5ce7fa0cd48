"""A shop manager takes an order for a customer (phone or email) in the admin: the customer's
own prices, rules, catalogue and options, placed through `order_place` with every check."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from core.errors import Refusal
from core.money import format_money
from customers.models import CustomerProfile
from customers.permissions import SHOP_MANAGERS
from pricing import services as pricing_services
from shop.cart.models import Cart, CartLine
from shop.orders.models import Order
from shop.orders.services import order_place
from shop.orders.take import services as take_services
from tests.factories import (
    AddressFactory,
    CheckoutPolicyFactory,
    CompanyFactory,
    CompanyMemberFactory,
    CustomerGroupFactory,
    PriceRuleFactory,
    ProductFactory,
    QuantityRuleFactory,
    ShippingMethodFactory,
    StaffUserFactory,
    WholesaleGroupFactory,
)
from tests.shop.conftest import ADDRESS, add, address_fields, review_form


@pytest.fixture
def bistro(shop_products):
    """A wholesale company: its admin (no spending limit) and a buyer limited to €500.00 per
    order, paying by bank transfer or on account (30 days, €5,000.00 of credit)."""
    wholesale = WholesaleGroupFactory(min_order_subtotal=None)
    CheckoutPolicyFactory(group=wholesale, bank_transfer=True, pay_on_account=True)
    freight = ShippingMethodFactory(name="Freight", price=Decimal("20.00"), groups=[wholesale])
    company = CompanyFactory(name="Bistro Lumière", group=wholesale, credit_limit=Decimal("5000"))
    admin = CompanyMemberFactory(company=company, role="admin").user
    buyer = CompanyMemberFactory(company=company, spending_limit=Decimal("500.00")).user
    for user in (admin, buyer):
        AddressFactory(user=user, company="Bistro Lumière")
    return {
        "group": wholesale,
        "freight": freight,
        "company": company,
        "admin": admin,
        "buyer": buyer,
        "pan": shop_products[0],
        "pot": shop_products[1],
    }


def take_url(customer) -> str:
    return reverse("admin:shop_order_take_for", args=[customer.pk])


def review(client, customer, lines: str, **extra):
    data = {
        "step": "review",
        "lines": lines,
        "billing": str(customer.addresses.get().pk),
        "shipping": "billing",
        **extra,
    }
    return client.post(take_url(customer), data)


def place(client, customer, lines: str, response, **extra):
    """Submit the review `response` as the manager would (its key and total)."""
    key, total = review_form(response)
    order = response.context["order"]
    return client.post(
        take_url(customer),
        {
            "step": "place",
            "lines": lines,
            "billing": str(customer.addresses.get().pk),
            "shipping": "billing",
            "shipping_method": order.totals.shipping.method.pk,
            "payment_method": order.payment.code,
            "idempotency_key": key,
            "confirmed_total": total,
            **extra,
        },
    )


def unit_prices(response) -> dict[str, Decimal]:
    return {
        line.product.sku: line.priced.display_unit_price for line, _url in response.context["rows"]
    }


def test_the_manager_sees_and_places_exactly_the_customers_own_prices(client, manager, bistro):
    lid = ProductFactory(category=bistro["pan"].category, sku="LID-3", base_price=Decimal("4.00"))
    admin = bistro["admin"]
    fixed = {"kind": "fixed_price"}
    PriceRuleFactory(group=bistro["group"], product=bistro["pan"], value="8.00", **fixed)
    PriceRuleFactory(company=bistro["company"], product=bistro["pot"], value="7.00", **fixed)
    PriceRuleFactory(customer=admin, product=lid, value="3.00", **fixed)

    response = review(client, admin, "PAN-1 10\nPOT-2 10\nLID-3 10")

    assert response.status_code == 200
    assert unit_prices(response) == {
        "PAN-1": Decimal("8.00"),
        "POT-2": Decimal("7.00"),
        "LID-3": Decimal("3.00"),
    }
    # Net prices (the wholesale group), FR VAT 20 % on goods and freight.
    assert response.context["order"].totals.total == Decimal("240.00")
    assert format_money(Decimal("240.00")) in response.content.decode()

    # The customer's own cart shows the same prices.
    storefront = Client()
    storefront.force_login(admin)
    for product in (bistro["pan"], bistro["pot"], lid):
        add(storefront, product, 10)
    cart = storefront.get("/cart/").context["page"]
    assert {row.line.product.sku: row.priced.display_unit_price for row in cart.rows} == (
        unit_prices(response)
    )

    # A member of another company of the same group pays the group price only.
    other = CompanyMemberFactory(company=CompanyFactory(group=bistro["group"]), role="admin").user
    AddressFactory(user=other)
    assert unit_prices(review(client, other, "PAN-1 10\nPOT-2 10\nLID-3 10")) == {
        "PAN-1": Decimal("8.00"),
        "POT-2": Decimal("25.00"),
        "LID-3": Decimal("4.00"),
    }

    placed = place(client, admin, "PAN-1 10\nPOT-2 10\nLID-3 10", response)

    order = Order.objects.get()
    assert placed.status_code == 302
    assert placed.url == reverse("admin:shop_order_change", args=[order.pk])
    assert order.user == admin
    assert order.total == Decimal("240.00")
    assert {line.sku: line.unit_price for line in order.lines.all()} == {
        "PAN-1": Decimal("8.00"),
        "POT-2": Decimal("7.00"),
        "LID-3": Decimal("3.00"),
    }


def test_the_order_records_the_manager_emails_the_customer_and_leaves_his_cart(
    client, manager, bistro, django_capture_on_commit_callbacks
):
    admin = bistro["admin"]
    cart = Cart.objects.create(user=admin)
    CartLine.objects.create(cart=cart, product=bistro["pot"], quantity=3)
    response = review(client, admin, "PAN-1 2")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        placed = place(client, admin, "PAN-1 2", response)

    order = Order.objects.get()
    assert placed.status_code == 302
    assert order.taken_by == manager
    assert order.taken_by_email == "manager@example.com"
    assert order.terms_version_id is None
    assert [message.to for message in mail.outbox] == [[admin.email]]
    assert order.number in mail.outbox[0].subject + mail.outbox[0].body
    # The storefront cart the customer was filling is still there.
    assert list(CartLine.objects.filter(cart=cart).values_list("product__sku", "quantity")) == [
        ("POT-2", 3)
    ]
    page = client.get(reverse("admin:shop_order_change", args=[order.pk]))
    assert "Taken by" in page.content.decode()
    assert "manager@example.com" in page.content.decode()


def test_a_phone_order_is_in_the_customers_language_not_the_managers(
    client, manager, bistro, django_capture_on_commit_callbacks
):
    admin = bistro["admin"]
    CustomerProfile.objects.filter(user=admin).update(language="fr")
    response = review(client, admin, "PAN-1 2")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        place(client, admin, "PAN-1 2", response)
    order = Order.objects.get()
    assert order.language == "fr"
    assert mail.outbox[0].subject.startswith("Votre commande")


def test_a_quantity_rule_violation_is_refused_on_its_line_and_keeps_what_was_typed(
    client, manager, bistro
):
    QuantityRuleFactory(product=bistro["pan"], min_quantity=6, step=6)
    lines = "PAN-1 4\nPOT-2 1"

    response = review(client, bistro["admin"], lines)

    assert response.status_code == 200
    assert response.templates[0].name == "admin/shop/order/take_lines.html"
    by_sku = {line.sku: line for line in response.context["lines"].lines}
    assert by_sku["PAN-1"].errors
    assert "6" in by_sku["PAN-1"].errors[0]
    assert by_sku["POT-2"].errors == ()
    body = response.content.decode()
    assert "PAN-1 4\nPOT-2 1" in body  # the textarea keeps the lines
    assert by_sku["PAN-1"].errors[0] in body
    assert not Order.objects.exists()


def test_a_product_the_customer_cannot_see_is_refused(client, manager, bistro):
    vip_only = ProductFactory(category=bistro["pan"].category, sku="VIP-9")
    vip_only.visible_to.add(CustomerGroupFactory(name="VIP"))

    response = review(client, bistro["admin"], "VIP-9 1\nNOPE-0 1\nPAN-1 1")

    errors = {line.sku: line.errors for line in response.context["lines"].lines}
    assert errors["VIP-9"] == ("VIP-9 is not available to this customer.",)
    assert errors["NOPE-0"] == ("Unknown SKU: no product NOPE-0.",)
    assert errors["PAN-1"] == ()
    # Forcing the place step with the same lines is refused the same way.
    forced = client.post(
        take_url(bistro["admin"]),
        {
            "step": "place",
            "lines": "VIP-9 1",
            "billing": str(bistro["admin"].addresses.get().pk),
            "shipping": "billing",
            "idempotency_key": "k" * 32,
            "confirmed_total": "1.00",
        },
    )
    assert forced.status_code == 200
    assert not Order.objects.exists()


def test_bad_input_keeps_what_was_typed_with_errors_per_line(client, manager, bistro):
    admin = bistro["admin"]
    response = client.post(
        take_url(admin),
        {
            "step": "review",
            "lines": "PAN-1 lots\njust-one-word",
            "billing": "new",
            **address_fields("billing", {**ADDRESS, "city": ""}),
            "shipping": "12345",
        },
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "PAN-1 lots" in body
    assert 'value="3 rue des Lilas"' in body
    assert response.context["form"].billing_form.errors["city"]
    assert "shipping" in response.context["form"].errors

    lines = review(client, admin, "PAN-1 lots\njust-one-word\nPAN-1 2")
    errors = [line.errors for line in lines.context["lines"].lines]
    assert len(errors) == 3
    assert all(errors[:2]) and errors[2] == ()


def test_a_total_changed_between_review_and_place_is_refused_with_the_new_figure(
    client, manager, bistro
):
    admin = bistro["admin"]
    rule = PriceRuleFactory(
        group=bistro["group"], product=bistro["pan"], kind="fixed_price", value="8.00"
    )
    response = review(client, admin, "PAN-1 10")
    rule.value = Decimal("9.00")
    rule.save()
    pricing_services.rules_changed()  # as the admin's save does

    refused = place(client, admin, "PAN-1 10", response)

    new_total = format_money(Decimal("132.00"))  # (10 x 9.00 + 20.00) x 1.20
    assert refused.status_code == 200
    assert new_total in refused.context["warning"]
    assert not Order.objects.exists()
    # The page offers the new total to confirm: placing it now works.
    assert place(client, admin, "PAN-1 10", refused).status_code == 302
    assert Order.objects.get().total == Decimal("132.00")


def test_a_double_submit_places_one_order(client, manager, bistro):
    admin = bistro["admin"]
    response = review(client, admin, "PAN-1 2")

    first = place(client, admin, "PAN-1 2", response)
    second = place(client, admin, "PAN-1 2", response)

    order = Order.objects.get()
    assert first.url == second.url == reverse("admin:shop_order_change", args=[order.pk])


def test_on_account_within_the_credit_is_placed_on_account(client, manager, bistro):
    admin = bistro["admin"]
    response = review(client, admin, "POT-2 10", payment_method="on_account")
    assert response.context["order"].payment.code == "on_account"

    placed = place(client, admin, "POT-2 10", response)

    order = Order.objects.get()
    assert placed.status_code == 302
    assert order.payment_method == "on_account"
    assert order.payment_terms_days == 30
    assert order.invoice is not None


def test_over_the_buyers_spending_limit_the_manager_is_told_it_needs_approval(
    client, manager, bistro
):
    buyer = bistro["buyer"]
    response = review(client, buyer, "POT-2 20")  # €624.00 with freight and VAT, over €500.00

    body = response.content.decode()
    assert response.context["order"].approval is not None
    assert "cannot place it over the company" in body
    assert 'value="place"' not in body

    forced = client.post(
        take_url(buyer),
        {
            "step": "place",
            "lines": "POT-2 20",
            "billing": str(buyer.addresses.get().pk),
            "shipping": "billing",
            "idempotency_key": "k" * 32,
            "confirmed_total": str(response.context["order"].totals.total),
        },
    )

    assert forced.status_code == 200
    assert "needs the approval of the customer's company" in forced.context["refusal"]
    assert not Order.objects.exists()


def test_a_staff_member_without_take_order_gets_403_and_no_button(client, bistro):
    staff = StaffUserFactory()
    managers = Group.objects.get(name=SHOP_MANAGERS)
    staff.user_permissions.add(*managers.permissions.exclude(codename="take_order"))
    client.force_login(staff)

    assert client.get(reverse("admin:shop_order_take")).status_code == 403
    assert client.get(take_url(bistro["admin"])).status_code == 403
    assert review(client, bistro["admin"], "PAN-1 1").status_code == 403
    changelist = client.get(reverse("admin:shop_order_changelist"))
    assert changelist.status_code == 200
    assert reverse("admin:shop_order_take") not in changelist.content.decode()
    with pytest.raises(Refusal):
        take_services.order_take(
            manager=staff,
            customer=bistro["admin"],
            quantities={bistro["pan"].pk: 1},
            billing_address=ADDRESS,
            shipping_address=ADDRESS,
            shipping_method_id=bistro["freight"].pk,
            payment_method="bank_transfer",
            confirmed_total=Decimal("36.00"),
            idempotency_key="k" * 32,
        )
    assert not Order.objects.exists()


def test_the_shop_managers_group_may_take_orders_and_sees_the_button(db, client, manager):
    assert Permission.objects.filter(
        codename="take_order", group__name=SHOP_MANAGERS, content_type__app_label="shop"
    ).exists()
    changelist = client.get(reverse("admin:shop_order_changelist"))
    assert reverse("admin:shop_order_take") in changelist.content.decode()


def test_no_order_is_taken_for_a_staff_account_or_for_the_manager_himself(
    client, manager, bistro, standard_shipping
):
    colleague = StaffUserFactory()
    AddressFactory(user=colleague)
    AddressFactory(user=manager)

    assert client.get(take_url(colleague)).status_code == 404
    assert client.get(take_url(manager)).status_code == 404
    assert review(client, colleague, "PAN-1 1").status_code == 404
    for customer in (colleague, manager):
        with pytest.raises(Refusal, match="only for an active customer account"):
            order_place(
                cart=None,
                lines={bistro["pan"].pk: 1},
                customer=customer,
                email=customer.email,
                billing_address=ADDRESS,
                shipping_address=ADDRESS,
                shipping_method_id=standard_shipping.pk,
                payment_method="bank_transfer",
                confirmed_total=Decimal("18.00"),  # what it would cost them (retail, FR)
                idempotency_key=f"key-for-{customer.pk}-" + "k" * 20,
                taken_by=manager,
            )
    assert not Order.objects.exists()


def test_the_customer_search_finds_customers_by_company_but_never_staff(client, manager, bistro):
    StaffUserFactory(email="bistro-staff@example.com", full_name="Bistro staff")

    response = client.get(reverse("admin:shop_order_take"), {"q": "Bistro"})

    found = {customer.email for customer in response.context["customers"]}
    assert found == {bistro["admin"].email, bistro["buyer"].email}
    assert take_url(bistro["admin"]) in response.content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_the_review_step_runs_a_constant_number_of_queries(
    client, manager, bistro, django_assert_num_queries, size
):
    products = [
        ProductFactory(category=bistro["pan"].category, sku=f"BULK-{n:02d}") for n in range(size)
    ]
    lines = "\n".join(f"{product.sku} 1" for product in products)
    admin = bistro["admin"]
    review(client, admin, lines)  # pricing data compiled once per process

    with django_assert_num_queries(REVIEW_QUERIES):
        response = review(client, admin, lines)

    assert len(response.context["rows"]) == size


REVIEW_QUERIES = 20
