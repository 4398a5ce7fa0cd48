"""The emails after an order: payment received, shipped (carrier and tracking number),
cancelled, refunded; each sent once, after the change commits, in the order's language, with
a plain-text and an HTML part and the link to the order (guests: its secret link); a manager
resends them from the order's page, and every email sent is logged there."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import transaction
from django.utils import timezone, translation

from core import emails as core_emails
from core.errors import Refusal
from shop.models import Order, OrderEmail
from shop.orders import emails
from shop.orders import services as order_services
from shop.payments import services as payment_services
from shop.seller.models import ShopDetails
from shop.seller.services import shop_details_save
from tests.factories import (
    CardPaymentFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    StaffUserFactory,
    UserFactory,
)
from tests.mail import DOWN
from tests.shop.conftest import add, go_to_review, place
from tests.shop.orders.test_admin import change_url, messages_of, run_action, status_form

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def sent(kind: str) -> list[OrderEmail]:
    return list(OrderEmail.objects.filter(kind=kind))


@pytest.fixture
def paid_order():
    """A guest's order paid by bank transfer: 2 pans at €10.00 + 20 % VAT, €24.00."""
    pan = ProductFactory(sku="PAN-1", name="Pan", base_price=Decimal("10.00"))
    order = OrderFactory(
        status="paid",
        paid_at=timezone.now(),
        subtotal=Decimal("20.00"),
        net_total=Decimal("20.00"),
        display_subtotal=Decimal("24.00"),
        tax_total=Decimal("4.00"),
        total=Decimal("24.00"),
    )
    OrderLineFactory(order=order, product=pan, quantity=2)
    return order


@pytest.fixture
def seller():
    shop_details_save(
        details=ShopDetails(
            legal_name="Comptoir SAS",
            address_line1="12 rue du Commerce",
            postal_code="69002",
            city="Lyon",
            email="hello@comptoir.example",
            vat_id="FR40303265045",
        )
    )


# --- shipped --------------------------------------------------------------------------------


def test_shipping_from_the_order_page_emails_the_carrier_and_tracking_number_once(
    client, manager, paid_order, seller, django_capture_on_commit_callbacks
):
    form = status_form(paid_order, "shipped", carrier="colissimo", tracking_number="6A12345678")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(paid_order), form)
    assert response.status_code == 302
    paid_order.refresh_from_db()
    assert paid_order.status == "shipped" and paid_order.shipped_at is not None
    assert paid_order.carrier == "Colissimo" and paid_order.tracking_number == "6A12345678"
    link = "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678"
    assert paid_order.tracking_url == link

    [message] = mail.outbox
    assert message.to == ["guest@example.com"]
    assert message.subject == f"Your Comptoir order {paid_order.number} has shipped"
    assert "Carrier: Colissimo" in message.body
    assert "Tracking number: 6A12345678" in message.body
    assert link in message.body
    # The guest's secret link, and the seller's footer like the order confirmation.
    assert f"{SITE}/orders/{paid_order.number}/{paid_order.access_token}/" in message.body
    assert "Comptoir SAS" in message.body and "VAT number: FR40303265045" in message.body
    html = html_of(message)
    assert f'href="{link}"' in html and "6A12345678" in html
    assert [(row.kind, row.to, row.sent_by_email) for row in OrderEmail.objects.all()] == [
        ("shipped", "guest@example.com", "")
    ]


def test_a_customer_s_email_links_the_order_in_the_account_not_the_secret(
    paid_order, django_capture_on_commit_callbacks
):
    customer = UserFactory(email="lucie@example.com")
    Order.objects.filter(pk=paid_order.pk).update(user=customer, email=customer.email)
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_ship(order=paid_order, site_url=SITE)
    [message] = mail.outbox
    assert f"{SITE}/accounts/orders/{paid_order.number}/" in message.body
    assert paid_order.access_token not in message.body + html_of(message)
    assert "Tracking number" not in message.body  # none entered: no empty line about it


def test_another_carrier_s_tracking_link_is_kept_only_as_a_web_address(
    client, manager, paid_order, django_capture_on_commit_callbacks
):
    form = status_form(
        paid_order, "shipped", tracking_number="AB-1", tracking_url="javascript:alert(1)"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(paid_order), form)
    assert response.status_code == 200
    assert "Enter the tracking link as a web address starting with https://." in (
        response.content.decode()
    )
    assert 'value="AB-1"' in response.content.decode()  # what was typed is kept
    paid_order.refresh_from_db()
    assert paid_order.status == "paid" and mail.outbox == []

    with pytest.raises(Refusal):
        order_services.order_ship(order=paid_order, tracking_url="ftp://example.com/1")
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_ship(
            order=paid_order, tracking_number="AB-1", tracking_url="https://track.example/AB-1"
        )
    assert "https://track.example/AB-1" in mail.outbox[0].body


def test_no_email_when_the_change_rolls_back(paid_order, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        order_services.order_ship(order=paid_order, tracking_number="6A1")
        raise RuntimeError("a later step failed")
    assert callbacks == [] and mail.outbox == [] and OrderEmail.objects.count() == 0
    paid_order.refresh_from_db()
    assert paid_order.status == "paid" and paid_order.tracking_number == ""


def test_the_mail_server_down_does_not_stop_the_order_from_shipping(
    client, manager, settings, paid_order, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(paid_order), status_form(paid_order, "shipped"))
    assert response.status_code == 302
    paid_order.refresh_from_db()
    assert paid_order.status == "shipped"


# --- payment received -------------------------------------------------------------------------


def test_a_bank_transfer_marked_paid_is_acknowledged_once(
    client, manager, django_capture_on_commit_callbacks
):
    order = OrderFactory()
    with django_capture_on_commit_callbacks(execute=True):
        run_action(client, "mark_paid", [order])
        run_action(client, "mark_paid", [order])  # a second click
    [message] = mail.outbox
    invoice = order.invoice
    assert message.subject == f"Your Comptoir order {order.number}: payment received"
    assert f"We received your payment of €12.00 for your order {order.number}." in message.body
    assert "Payment: Bank transfer" in message.body
    assert f"Your invoice {invoice.number} is available with your order." in message.body
    assert "€12.00" in html_of(message)
    assert len(sent("paid")) == 1


def test_a_replayed_card_callback_sends_no_second_email(django_capture_on_commit_callbacks):
    payment = CardPaymentFactory(status="input")

    def confirm(payment):
        payment.change_status("confirmed")

    with django_capture_on_commit_callbacks(execute=True):
        for _replay in range(3):
            payment_services.card_payment_process(
                payment=payment, step=confirm, mark_paid=order_services.order_mark_paid
            )
    [message] = mail.outbox
    assert "Payment: Card" in message.body
    # Without a page, the links start with the payment provider's public address.
    assert "http://127.0.0.1:8000/orders/" in message.body
    assert len(sent("paid")) == 1


# --- cancelled and refunded -------------------------------------------------------------------


def test_a_cancelled_unpaid_order_says_there_is_nothing_to_pay(
    client, manager, django_capture_on_commit_callbacks
):
    order = OrderFactory()
    with django_capture_on_commit_callbacks(execute=True):
        run_action(client, "cancel", [order])
    [message] = mail.outbox
    assert message.subject == f"Your Comptoir order {order.number} is cancelled"
    assert "You have nothing to pay for this order." in message.body
    assert "nothing to pay" in html_of(message)


def test_a_cancelled_paid_order_says_the_money_comes_back(
    paid_order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_set_status(order=paid_order, status="cancelled")
    [message] = mail.outbox
    assert "We are refunding the €24.00 you paid" in message.body
    assert "nothing to pay" not in message.body


def test_the_refund_email_is_logged_with_the_order_s_footer(
    paid_order, seller, django_capture_on_commit_callbacks
):
    [line] = paid_order.lines.all()
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_refund(order=paid_order, quantities={line.pk: 1}, site_url=SITE)
    [message] = mail.outbox
    assert f"We refunded €12.00 on your order {paid_order.number}." in message.body
    assert "1 x Pan (PAN-1): €12.00" in message.body
    assert "Comptoir SAS" in message.body and "Comptoir SAS" in html_of(message)
    assert len(sent("refunded")) == 1


# --- the customer's language ------------------------------------------------------------------


def test_an_order_placed_in_french_gets_its_emails_in_french(
    client, shop_products, standard_shipping, monkeypatch, django_capture_on_commit_callbacks
):
    client.cookies["django_language"] = "fr"
    pan, _pot = shop_products
    assert add(client, pan, 1).status_code == 302
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    with django_capture_on_commit_callbacks(execute=True):
        assert place(client, key, total).status_code == 302
    order = Order.objects.get()
    assert order.language == "fr"

    languages = []
    real = emails.send_templated

    def recording(**kwargs):
        languages.append(translation.get_language())
        return real(**kwargs)

    monkeypatch.setattr(emails, "send_templated", recording)
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        order_services.order_mark_paid(order=order)  # a manager working in English
        order_services.order_set_status(order=order, status="cancelled")
    assert languages == ["fr", "fr"]
    assert all('<html lang="fr" dir="ltr">' in html_of(message) for message in mail.outbox)
    assert all(message.subject.startswith("Votre commande") for message in mail.outbox)


# --- resending from the order page ------------------------------------------------------------


def resend_url(order) -> str:
    return f"/admin/shop/order/{order.pk}/resend-email/"


def test_the_page_offers_the_emails_that_apply_and_resends_one(
    client, manager, paid_order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_ship(order=paid_order, carrier="dhl", tracking_number="JD0142")
    mail.outbox.clear()
    page = client.get(change_url(paid_order))
    assert resend_url(paid_order) in page.content.decode()
    form = client.get(resend_url(paid_order)).context["form"]
    assert [value for value, _label in form.fields["kind"].choices] == [
        "placed",
        "paid",
        "shipped",
    ]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(paid_order), {"kind": "shipped"}, follow=True)
    assert "“Shipped” sent again to guest@example.com." in messages_of(response)
    [message] = mail.outbox
    assert "JD0142" in message.body and "Carrier: DHL" in message.body
    log = [(row.kind, row.sent_by_email) for row in OrderEmail.objects.order_by("id")]
    assert log == [("shipped", ""), ("shipped", "manager@example.com")]
    # The log shows on the order's page.
    body = client.get(change_url(paid_order)).content.decode()
    assert "emails sent to the customer" in body.lower() and "manager@example.com" in body


def test_the_confirmation_is_resent_as_it_was_sent(
    client, manager, paid_order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(resend_url(paid_order), {"kind": "placed"})
    [message] = mail.outbox
    assert f"Thank you for your order {paid_order.number}." in message.body
    assert "2 x Pan (PAN-1), VAT 20%: €24.00" in message.body
    assert [row.kind for row in OrderEmail.objects.all()] == ["placed"]


def test_an_email_that_does_not_apply_is_refused_in_the_form(
    client, manager, django_capture_on_commit_callbacks
):
    order = OrderFactory()  # placed, unpaid, not shipped
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(order), {"kind": "shipped"})
    assert response.status_code == 200
    assert "This email does not apply to the order now" in response.content.decode()
    assert mail.outbox == [] and OrderEmail.objects.count() == 0


def test_staff_without_the_change_permission_cannot_resend(
    client, paid_order, django_capture_on_commit_callbacks
):
    clerk = StaffUserFactory(email="clerk@example.com")
    clerk.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(clerk)
    assert client.get(change_url(paid_order)).status_code == 200
    assert resend_url(paid_order) not in client.get(change_url(paid_order)).content.decode()
    assert client.get(resend_url(paid_order)).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(resend_url(paid_order), {"kind": "placed"}).status_code == 403
    assert mail.outbox == [] and OrderEmail.objects.count() == 0


@pytest.mark.parametrize("rows", [3, 30])
def test_the_order_page_s_queries_do_not_grow_with_its_emails(
    client, manager, paid_order, rows, django_assert_num_queries
):
    assert client.get(change_url(paid_order)).status_code == 200  # content types cached
    OrderEmail.objects.bulk_create(
        OrderEmail(order=paid_order, kind="placed", to=paid_order.email) for _ in range(rows)
    )
    with django_assert_num_queries(12):
        response = client.get(change_url(paid_order))
    assert response.content.decode().count("guest@example.com</") >= rows


# --- the confirmation, rendered off the request -----------------------------------------------


def test_placing_an_order_queues_its_confirmation_unrendered_then_a_worker_renders_it_in_french(
    client,
    shop_products,
    standard_shipping,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from django_tasks_db.models import DBTaskResult

    from shop.orders.services.confirmation import order_confirmation_send_later

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.cookies["django_language"] = "fr"
    pan, _pot = shop_products
    assert add(client, pan, 1).status_code == 302
    _review, key, total = go_to_review(client, shipping_method=standard_shipping)
    with django_capture_on_commit_callbacks(execute=True):
        assert place(client, key, total).status_code == 302
    order = Order.objects.get()
    # The request queued the task that renders: nothing was rendered or delivered yet.
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == order_confirmation_send_later.module_path
    assert queued.args_kwargs["kwargs"] == {"order_id": order.pk, "site_url": SITE}
    assert mail.outbox == []

    languages = []
    real = core_emails._render_and_queue

    def recording(**kwargs):
        languages.append(translation.get_language())
        return real(**kwargs)

    monkeypatch.setattr(core_emails, "_render_and_queue", recording)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with translation.override("en"):  # the worker's own language does not matter
        order_confirmation_send_later.call(**queued.args_kwargs["kwargs"])
    [message] = mail.outbox
    assert order.number in message.subject and order.number in html_of(message)
    assert languages == ["fr"]
