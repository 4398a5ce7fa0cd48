"""/portal/ is for customers whose group has portal access, and only for them: the company's
dashboard (terms and credit, open orders, invoices, saved lists, quick order)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from customers import services
from customers.companies.models import CompanyRole
from shop.models import SavedList
from shop.orders import services as order_services
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    OrderApprovalFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    SavedListFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(wholesale):
    user = UserFactory(email="wendy@example.com", group=wholesale)
    profile = user.profile
    profile.company_name = "Atelier Martin SARL"
    profile.vat_id = "FR40303265045"
    profile.payment_terms_days = 30
    profile.credit_limit = Decimal("5000.00")
    profile.save()
    return user


def test_guests_are_sent_to_log_in_and_back(client, retail):
    response = client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/portal/"


def test_retail_customers_are_sent_to_apply_with_an_explanation(customer_client):
    response = customer_client.get("/portal/", follow=True)
    assert response.redirect_chain == [("/wholesale/apply/", 302)]
    assert "The trade portal is for approved wholesale customers" in response.content.decode()


def test_a_trade_buyer_sees_company_group_terms_and_links(client, buyer):
    client.force_login(buyer)
    response = client.get("/portal/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        "Trade portal",
        "Atelier Martin SARL",
        "FR40303265045",
        '<dd class="customer-group">Wholesale</dd>',
        "30 days net",
        "€5,000.00",
        "€150.00 excluding VAT",  # the group's minimum order
        "Browse the catalogue",
    ]:
        assert text in body, text
    for url_name, label in [
        ("orders:list", "Order history"),
        ("cart:quick_order", "Quick order with a CSV file"),
        ("lists:index", "Create a saved list"),
    ]:
        assert f'<a href="{reverse(url_name)}">{label}</a>' in body


def test_the_header_links_to_the_portal_for_trade_buyers_only(client, buyer, customer):
    client.force_login(buyer)
    assert 'href="/portal/"' in client.get("/").content.decode()
    client.force_login(customer)
    header = client.get("/").content.decode().split("</header>")[0]
    assert 'href="/portal/"' not in header


def test_leaving_the_group_closes_the_portal_on_the_next_request(client, buyer, retail):
    client.force_login(buyer)
    assert client.get("/portal/").status_code == 200
    services.customer_move_to_group(user_ids=[buyer.pk], group=retail)
    assert client.get("/portal/")["Location"] == "/wholesale/apply/"


def test_logging_out_closes_the_portal(client, buyer):
    client.force_login(buyer)
    client.post("/accounts/logout/")
    assert client.get("/portal/")["Location"].startswith("/accounts/login/")


@pytest.fixture
def company(wholesale):
    return CompanyFactory(
        name="Bistro Lumière", group=wholesale, vat_id="FR40303265045", credit_limit=Decimal("1000")
    )


def member(company, role, email):
    user = UserFactory(email=email, full_name=email.split("@")[0].title(), group=company.group)
    CompanyMemberFactory(company=company, user=user, role=role)
    return user


@pytest.fixture
def admin(company):
    return member(company, CompanyRole.ADMIN, "alice@bistro.example")


@pytest.fixture
def colleague(company):
    return member(company, CompanyRole.BUYER, "bob@bistro.example")


def invoiced(order):
    OrderLineFactory(order=order)
    return order_services.order_mark_paid(order=order).invoice


def panel(body: str, heading_id: str) -> str:
    """The dashboard panel labelled by the heading `heading_id`."""
    start = body.index(f'aria-labelledby="{heading_id}"')
    return body[start : body.index("</section>", start)]


def test_the_dashboard_shows_the_company_terms_and_the_credit_bar(client, company, admin):
    OrderFactory(user=admin, company=company, payment_method="on_account", total=Decimal("250"))
    client.force_login(admin)
    body = client.get("/portal/").content.decode()
    terms = panel(body, "terms-heading")
    for text in [
        '<dd class="company-name">Bistro Lumière</dd>',
        '<dd class="company-role">Company admin</dd>',
        "FR40303265045",
        "alice@bistro.example",
        "30 days net",
        '<dd class="credit-used">€250.00</dd>',
        '<dd class="credit-available">€750.00</dd>',
        "€250.00 of €1,000.00 credit used (25 %)",
        'value="25"',
        'href="/portal/company/"',
    ]:
        assert text in terms, text


def test_open_orders_are_the_companys_not_shipped_ones_a_buyer_sees_their_own(
    client, company, admin, colleague
):
    theirs = OrderFactory(user=colleague, company=company)
    mine = OrderFactory(user=admin, company=company, status="paid")
    shipped = OrderFactory(user=admin, company=company, status="shipped")
    cancelled = OrderFactory(user=colleague, company=company, status="cancelled")
    other = OrderFactory(user=member(CompanyFactory(), CompanyRole.ADMIN, "eve@x.example"))
    client.force_login(admin)
    open_orders = panel(client.get("/portal/").content.decode(), "open-orders-heading")
    assert theirs.number in open_orders and mine.number in open_orders
    assert "Bob" in open_orders  # who placed a colleague's order
    for number in (shipped.number, cancelled.number, other.number):
        assert number not in open_orders
    assert 'href="/accounts/orders/?status=open"' in open_orders
    client.force_login(colleague)
    open_orders = panel(client.get("/portal/").content.decode(), "open-orders-heading")
    assert theirs.number in open_orders and mine.number not in open_orders


def test_recent_invoices_link_their_pdf_for_the_orders_the_viewer_sees(
    client, company, admin, colleague
):
    theirs = invoiced(OrderFactory(user=colleague, company=company))
    mine = invoiced(OrderFactory(user=admin, company=company))
    client.force_login(admin)
    invoices = panel(client.get("/portal/").content.decode(), "invoices-heading")
    for invoice in (theirs, mine):
        assert f"Invoice {invoice.number} (PDF)" in invoices
        assert f'href="/accounts/orders/{invoice.order.number}/invoice.pdf"' in invoices
    client.force_login(colleague)
    invoices = panel(client.get("/portal/").content.decode(), "invoices-heading")
    assert theirs.number in invoices and mine.number not in invoices


def test_the_five_latest_saved_lists_of_the_viewer(client, company, admin, colleague):
    lists = [SavedListFactory(owner=admin, name=f"List {index}") for index in range(7)]
    SavedList.objects.filter(pk=lists[0].pk).update(updated_at=timezone.now() + timedelta(hours=1))
    SavedListFactory(owner=colleague, name="Bob's list")
    client.force_login(admin)
    saved = panel(client.get("/portal/").content.decode(), "lists-heading")
    shown = re.findall(r'href="/accounts/lists/(\d+)/"', saved)
    assert [int(pk) for pk in shown] == [
        lists[0].pk,
        lists[6].pk,
        lists[5].pk,
        lists[4].pk,
        lists[3].pk,
    ]
    assert "Bob's list" not in saved and "See all saved lists" in saved


def test_each_panel_has_an_empty_state(client, admin):
    client.force_login(admin)
    body = client.get("/portal/").content.decode()
    assert "No open order" in panel(body, "open-orders-heading")
    assert "No invoice yet" in panel(body, "invoices-heading")
    assert "No saved list yet" in panel(body, "lists-heading")


def test_approvers_see_the_requests_awaiting_them_and_buyers_their_own(
    client, company, admin, colleague
):
    waiting = OrderApprovalFactory(company=company, buyer=colleague, total=Decimal("640.00"))
    decided = OrderApprovalFactory(company=company, buyer=colleague, state="rejected")
    rival = OrderApprovalFactory()
    for viewer in (admin, colleague):
        client.force_login(viewer)
        approvals = panel(client.get("/portal/").content.decode(), "approvals-heading")
        assert waiting.number in approvals and "€640.00" in approvals
        assert decided.number not in approvals and rival.number not in approvals
        assert "/portal/approvals/" in approvals
    client.force_login(rival.buyer)
    approvals = panel(client.get("/portal/").content.decode(), "approvals-heading")
    assert rival.number in approvals and waiting.number not in approvals


def test_the_quick_order_form_sends_skus_to_the_cart(client, admin):
    ProductFactory(sku="KIT-101", stock=20)
    client.force_login(admin)
    quick = panel(client.get("/portal/").content.decode(), "quick-order-heading")
    assert 'action="/portal/quick-order/"' in quick and 'name="lines"' in quick
    response = client.post("/portal/quick-order/", {"lines": "KIT-101 2"}, follow=True)
    assert "KIT-101" in client.get("/cart/").content.decode(), response.content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_the_dashboard_takes_a_constant_number_of_queries(
    client, company, admin, colleague, size, django_assert_num_queries
):
    for index in range(size):
        order = OrderFactory(user=colleague if index % 2 else admin, company=company)
        invoiced(order)
        SavedListFactory(owner=admin)
        OrderApprovalFactory(company=company, buyer=colleague)
    client.force_login(admin)
    client.get("/portal/")  # the session and the caches are warm
    # session, the user with the versions (its category menu is kept per catalogue version),
    # profile, application, credit (profile and used), open orders, invoices, saved lists,
    # approvals (membership and requests), and the header's profile
    with django_assert_num_queries(11):
        response = client.get("/portal/")
    assert response.status_code == 200


def test_managers_let_a_companys_buyers_see_its_orders_in_the_admin(manager_client, company, admin):
    url = f"/admin/customers/company/{company.pk}/change/"
    assert 'name="buyers_see_company_orders"' in manager_client.get(url).content.decode()
    data = {
        "name": company.name,
        "vat_id": company.vat_id,
        "group": company.group_id,
        "buyers_see_company_orders": "on",
        "members-TOTAL_FORMS": 1,
        "members-INITIAL_FORMS": 1,
        "members-MIN_NUM_FORMS": 0,
        "members-MAX_NUM_FORMS": 1000,
        "members-0-id": admin.company_membership.pk,
        "members-0-company": company.pk,
        "members-0-role": "admin",
        "members-0-spending_limit": "",
    }
    assert manager_client.post(url, data).status_code == 302
    company.refresh_from_db()
    assert company.buyers_see_company_orders
