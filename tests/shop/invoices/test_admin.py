"""Invoices, credit notes and refunds in the admin, as the demo shop manager uses them."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.models import CreditNote, Invoice, Refund
from shop.orders import services as order_services
from tests.factories import StaffUserFactory

from .conftest import paid_order, pdf_text
from .test_refunds import sold

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_order_page_links_its_invoice_and_credit_notes(client, manager, seller):
    order = paid_order()
    order_services.order_set_status(order=order, status="cancelled")
    page = client.get(f"/admin/shop/order/{order.pk}/change/").content.decode()
    invoice, note = Invoice.objects.get(), CreditNote.objects.get()
    assert f"/admin/shop/invoice/{invoice.pk}/pdf/" in page and invoice.number in page
    assert f"/admin/shop/creditnote/{note.pk}/pdf/" in page and note.number in page
    response = client.get(f"/admin/shop/invoice/{invoice.pk}/pdf/")
    assert response.status_code == 200 and invoice.number in pdf_text(response.content)
    response = client.get(f"/admin/shop/creditnote/{note.pk}/pdf/")
    assert response.status_code == 200 and note.number in pdf_text(response.content)


def test_the_invoice_list_is_read_only_and_searchable_by_number(client, manager, seller):
    first, second = paid_order(), paid_order()
    response = client.get("/admin/shop/invoice/", {"q": second.invoice.number})
    assert [invoice.number for invoice in response.context["cl"].result_list] == [
        second.invoice.number
    ]
    response = client.get("/admin/shop/invoice/", {"q": first.number})  # by order number
    assert [invoice.pk for invoice in response.context["cl"].result_list] == [first.invoice.pk]
    invoice = first.invoice
    assert client.get("/admin/shop/invoice/add/").status_code == 403
    assert client.get(f"/admin/shop/invoice/{invoice.pk}/delete/").status_code == 403
    page = client.get(f"/admin/shop/invoice/{invoice.pk}/change/").content.decode()
    assert 'name="_save"' not in page  # nothing to save: read-only
    assert client.post(
        "/admin/shop/invoice/",
        {"action": "delete_selected", "_selected_action": [invoice.pk]},
    ).status_code in (200, 302)
    assert Invoice.objects.count() == 2


def test_the_invoice_list_runs_a_constant_number_of_queries(client, manager, seller):
    counts = []
    for extra in (1, 6):
        for _ in range(extra):
            paid_order()
        client.get("/admin/shop/invoice/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/shop/invoice/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_manager_refunds_units_through_the_admin_form(
    client, manager, seller, mailoutbox, django_capture_on_commit_callbacks
):
    order, (first, second) = sold()
    page = client.get(f"/admin/shop/order/{order.pk}/change/").content.decode()
    url = f"/admin/shop/order/{order.pk}/refund/"
    assert url in page
    form = client.get(url)
    assert form.status_code == 200 and first.name in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {f"line_{first.pk}": "1", f"line_{second.pk}": "0", "return_stock": "on"}
        )
    assert response.status_code == 302 and response.url.endswith(f"/{order.pk}/change/")
    refund = Refund.objects.get()
    assert refund.amount == Decimal("11.60") and refund.created_by == manager
    assert refund.return_stock and refund.credit_note is not None
    shown = " ".join(messages_of(client.get(response.url)))
    assert "Refunded €11.60" in shown and refund.credit_note.number in shown
    [email] = [message for message in mailoutbox if "refund" in message.subject]
    assert email.to == [order.email]
    assert f"http://testserver/orders/{order.number}/{order.access_token}/" in email.body


def test_the_refund_form_explains_what_is_wrong_and_keeps_what_was_typed(client, manager, seller):
    order, (first, second) = sold()
    url = f"/admin/shop/order/{order.pk}/refund/"
    response = client.post(url, {f"line_{first.pk}": "9", "reason": "Broken"})
    body = response.content.decode()
    assert response.status_code == 200 and "At most 3 units left to refund." in body
    assert 'value="Broken"' in body and 'value="9"' in body
    response = client.post(url, {f"line_{first.pk}": "0"})
    assert "Choose at least one unit or the shipping to refund." in response.content.decode()
    response = client.post(url, {f"line_{first.pk}": "two"})
    assert "Enter a whole number" in response.content.decode()
    assert not Refund.objects.exists()
    response = client.post(url, {"everything": "on"})
    assert response.status_code == 302
    assert Refund.objects.get().amount == order.total
    # Nothing left: the form says so.
    response = client.post(url, {"everything": "on"})
    assert "Choose at least one unit or the shipping to refund." in response.content.decode()


def test_an_unpaid_order_has_no_refund_button(client, manager, seller):
    order, _lines = sold(paid=False)
    page = client.get(f"/admin/shop/order/{order.pk}/change/").content.decode()
    assert f"/admin/shop/order/{order.pk}/refund/" not in page
    response = client.get(f"/admin/shop/order/{order.pk}/refund/")
    assert response.status_code == 302
    assert "Only a paid order can be refunded" in " ".join(messages_of(client.get(response.url)))


def test_refunds_need_their_own_permission(client, seller):
    staff = StaffUserFactory()
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="shop", codename__in=["view_order", "change_order"]
        )
    )
    client.force_login(staff)
    order, lines = sold()
    page = client.get(f"/admin/shop/order/{order.pk}/change/").content.decode()
    assert f"/admin/shop/order/{order.pk}/refund/" not in page
    url = f"/admin/shop/order/{order.pk}/refund/"
    assert client.get(url).status_code == 403
    assert client.post(url, {f"line_{lines[0].pk}": "1"}).status_code == 403
    assert not Refund.objects.exists()


def test_shop_managers_are_granted_refunds_and_read_only_documents(manager):
    assert manager.has_perm("shop.add_refund") and manager.has_perm("shop.view_invoice")
    assert manager.has_perm("shop.view_creditnote")
    assert not manager.has_perm("shop.delete_invoice")
    assert not manager.has_perm("shop.change_invoice")
