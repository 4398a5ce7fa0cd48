"""The order email and the order pages add up (every line, the cart discount, shipping, VAT
per rate, net total, VAT total, total) and say how to pay."""

import re
from decimal import Decimal

import pytest
from django.core import mail

from shop.models import Order
from shop.seller.models import ShopDetails
from shop.seller.services import shop_details_save
from tests.factories import CartDiscountFactory, UserFactory, WholesaleGroupFactory
from tests.shop.conftest import add, go_to_review, place

pytestmark = pytest.mark.django_db

IBAN = "FR7630006000011234567890189"
AMOUNT = re.compile(r"^(?P<label>.+): (?P<minus>−?)€(?P<amount>[\d,]+\.\d\d)$")


def amounts(body: str) -> list[tuple[str, Decimal]]:
    """(label, signed amount) for every line of the email ending in an amount."""
    rows = []
    for text in body.splitlines():
        match = AMOUNT.match(text.strip())
        if match:
            value = Decimal(match["amount"].replace(",", ""))
            rows.append((match["label"], -value if match["minus"] else value))
    return rows


def one(rows, prefix) -> Decimal:
    [value] = [value for label, value in rows if label.startswith(prefix)]
    return value


def with_bank_details(**extra):
    shop_details_save(
        details=ShopDetails(
            legal_name="Comptoir SAS",
            address_line1="12 rue du Commerce",
            postal_code="69002",
            city="Lyon",
            email="hello@comptoir.example",
            phone="+33 4 00 00 00 00",
            vat_id="FR40303265045",
            **extra,
        )
    )


def order_with_discount(
    client, shop_products, standard_shipping, capture, *, name="Spring 5 %", **review
):
    """3 pans at 20 % and 2 pots at 5.5 %, 5 % off the cart."""
    pan, pot = shop_products
    pot.tax_class = "reduced"
    pot.save()
    CartDiscountFactory(name=name, value=Decimal("5"))
    add(client, pan, 3)
    add(client, pot, 2)
    _review, key, total = go_to_review(client, shipping_method=standard_shipping, **review)
    with capture(execute=True):
        response = place(client, key, total)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Order.objects.get(), response.url


def check_email_adds_up(body: str, order: Order, *, gross: bool):
    rows = amounts(body)
    lines = [value for label, value in rows if " x " in label]
    assert len(lines) == 2
    discount = one(rows, "Cart discount")
    assert discount < 0
    [shipping] = re.findall(r"^Shipping: .* €([\d,.]+)$", body, flags=re.MULTILINE)
    shipping = Decimal(shipping.replace(",", ""))
    assert shipping == order.display_shipping
    goods_and_shipping = sum(lines) + discount + shipping
    vat_rows = [value for label, value in rows if label.startswith("VAT ") and " on " in label]
    assert len(vat_rows) == 2
    if gross:
        assert goods_and_shipping == one(rows, "Total") == order.total
        assert sum(vat_rows) == one(rows, "Of which VAT") == order.tax_total
    else:
        assert goods_and_shipping == one(rows, "Net total") == order.net_total
        assert sum(vat_rows) == one(rows, "VAT total") == order.tax_total
        assert one(rows, "Net total") + one(rows, "VAT total") == one(rows, "Total incl. VAT")
        assert one(rows, "Total incl. VAT") == order.total
    assert one(rows, "Subtotal") == sum(lines)


@pytest.mark.parametrize("name", ["Spring 5 %", ""])
def test_the_email_of_a_discounted_order_adds_up_for_a_gross_buyer(
    client, shop_products, standard_shipping, django_capture_on_commit_callbacks, name
):
    """The reported defect: the email's lines did not add up to its total: a discount without
    a name was left out."""
    with_bank_details(bank_name="Banque de Lyon", iban=IBAN, bic="AGRIFRPP")
    order, _url = order_with_discount(
        client, shop_products, standard_shipping, django_capture_on_commit_callbacks, name=name
    )
    [message] = mail.outbox
    check_email_adds_up(message.body, order, gross=True)
    label = f"Cart discount ({name})" if name else "Cart discount"
    assert f"{label}: −" in message.body


def test_the_email_of_a_discounted_order_adds_up_for_a_net_buyer(
    client, shop_products, standard_shipping, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(group=WholesaleGroupFactory(min_order_subtotal=None)))
    order, _url = order_with_discount(
        client, shop_products, standard_shipping, django_capture_on_commit_callbacks
    )
    [message] = mail.outbox
    check_email_adds_up(message.body, order, gross=False)
    html = message.alternatives[0][0]
    assert "VAT 5.5% on" in html and "Cart discount (Spring 5 %)" in html


def test_a_bank_transfer_says_where_to_pay_how_much_and_with_which_reference(
    client, shop_products, standard_shipping, django_capture_on_commit_callbacks
):
    """The reported defect: "please transfer" without any IBAN, BIC or reference."""
    with_bank_details(bank_name="Banque de Lyon", iban=IBAN, bic="AGRIFRPP")
    order, url = order_with_discount(
        client, shop_products, standard_shipping, django_capture_on_commit_callbacks
    )
    body = mail.outbox[0].body
    amount = f"€{order.total:,.2f}"
    for expected in (
        "IBAN: FR76 3000 6000 0112 3456 7890 189",
        "BIC: AGRIFRPP",
        "Bank: Banque de Lyon",
        "Account holder: Comptoir SAS",
        f"Amount: {amount}",
        f"Payment reference: {order.number}",
    ):
        assert expected in body
    # The shop's legal name and contact at the foot.
    foot = body.rsplit("-- \n", 1)[1]
    assert "Comptoir SAS" in foot and "hello@comptoir.example" in foot and "FR40303265045" in foot
    assert "12 rue du Commerce, 69002 Lyon" in foot

    # The guest link page (the confirmation) says the same while the transfer is awaited.
    page = client.get(url).content.decode()
    for expected in ("FR76 3000 6000 0112 3456 7890 189", "AGRIFRPP", order.number, amount):
        assert expected in page
    assert "VAT 5.5% on" in page

    Order.objects.filter(pk=order.pk).update(paid_at=order.placed_at)
    assert "FR76 3000" not in client.get(url).content.decode()


def test_without_an_iban_the_buyer_is_told_the_details_follow(
    client, shop_products, standard_shipping, django_capture_on_commit_callbacks
):
    with_bank_details()
    order, url = order_with_discount(
        client, shop_products, standard_shipping, django_capture_on_commit_callbacks
    )
    body = mail.outbox[0].body
    assert "IBAN" not in body
    assert "We will send you our bank details by email" in body and order.number in body
    assert "We will send you our bank details by email" in client.get(url).content.decode()


def test_the_customer_page_of_an_order_on_account_gives_its_due_date(
    client, shop_products, standard_shipping, django_capture_on_commit_callbacks
):
    from tests.factories import CheckoutPolicyFactory

    wholesale = WholesaleGroupFactory(min_order_subtotal=None)
    CheckoutPolicyFactory(group=wholesale, bank_transfer=True, pay_on_account=True)
    buyer = UserFactory(group=wholesale)
    buyer.profile.payment_terms_days = 30
    buyer.profile.credit_limit = Decimal("5000.00")
    buyer.profile.save()
    client.force_login(buyer)
    order, url = order_with_discount(
        client,
        shop_products,
        standard_shipping,
        django_capture_on_commit_callbacks,
        payment="on_account",
    )
    assert order.payment_due is not None
    due = f"{order.payment_due:%-d %B %Y}"
    assert f"is due by {due}" in mail.outbox[0].body
    page = client.get(url).content.decode()
    assert f"is due by {due}" in page and "IBAN" not in page
