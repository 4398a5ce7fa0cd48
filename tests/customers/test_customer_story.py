"""The customer's story on his page in the admin: company, orders, 12 months' spend, open
balance, applications, approvals, lists and alerts, as the viewer's permissions allow."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from shop.catalog.models import StockAlert
from shop.orders.models import Refund
from shop.reports.customers import StoryParts, customer_story
from shop.reports.selectors import shop_today
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    OrderApprovalFactory,
    OrderFactory,
    ProductFactory,
    SavedListFactory,
    StaffUserFactory,
    UserFactory,
    WholesaleApplicationFactory,
)

pytestmark = pytest.mark.django_db

# The whole page: session, accounts, permissions, the form, and 12 for the story.
STORY_PAGE_QUERIES = 24
ALL_PARTS = StoryParts(
    orders=True, applications=True, approvals=True, saved_lists=True, company=True
)


def page_url(user) -> str:
    return f"/admin/customers/customerprofile/{user.profile.pk}/change/"


def order(user, *, days_ago, net, **fields):
    net = Decimal(net)
    tax = (net * Decimal("0.2")).quantize(Decimal("0.01"))
    return OrderFactory(
        user=user,
        placed_at=timezone.now() - timedelta(days=days_ago),
        net_total=net,
        subtotal=net,
        tax_total=tax,
        total=net + tax,
        **fields,
    )


@pytest.fixture
def company():
    return CompanyFactory(name="Bistro Lumière")


@pytest.fixture
def buyer(company):
    member = CompanyMemberFactory(company=company, role="buyer", spending_limit=Decimal("500.00"))
    return member.user


@pytest.fixture
def story_data(buyer, company):
    """Two orders in the last days, one of them refunded €12.00, one cancelled, one not due
    yet and one 13 months ago; one of the on-account orders is overdue."""
    today = shop_today()
    orders = {
        "overdue": order(
            buyer,
            days_ago=2,
            net="100.00",
            company=company,
            payment_method="on_account",
            payment_due=today - timedelta(days=5),
        ),
        "refunded": order(buyer, days_ago=1, net="50.00", paid_at=timezone.now()),
        "cancelled": order(
            buyer, days_ago=3, net="1000.00", status="cancelled", payment_method="on_account"
        ),
        "not_due": order(
            buyer,
            days_ago=10,
            net="200.00",
            company=company,
            payment_method="on_account",
            payment_due=today + timedelta(days=10),
        ),
        "old": order(buyer, days_ago=400, net="30.00", paid_at=timezone.now()),
    }
    Refund.objects.create(
        order=orders["refunded"],
        net=Decimal("10.00"),
        tax=Decimal("2.00"),
        amount=Decimal("12.00"),
        method="bank_transfer",
    )
    other = UserFactory(email="someone-else@example.com")
    orders["other"] = order(
        other,
        days_ago=1,
        net="9999.00",
        number="CPT-OTHER999",
        payment_method="on_account",
        payment_due=today - timedelta(days=30),
    )
    Refund.objects.create(
        order=orders["other"],
        net=Decimal("99.00"),
        tax=Decimal("19.80"),
        amount=Decimal("118.80"),
        method="bank_transfer",
    )
    OrderApprovalFactory(company=company, buyer=buyer)
    OrderApprovalFactory(company=company, buyer=buyer, state="rejected")
    OrderApprovalFactory(company=company)  # a colleague's
    SavedListFactory(owner=buyer)
    SavedListFactory(owner=buyer)
    SavedListFactory(owner=other)
    StockAlert.objects.create(product=ProductFactory(), email=buyer.email, user=buyer)
    StockAlert.objects.create(product=ProductFactory(), email=other.email, user=other)
    WholesaleApplicationFactory(
        user=buyer,
        company_name="Bistro Lumière SARL",
        status="approved",
        decided_at=timezone.now() - timedelta(days=60),
    )
    return orders


# The figures ----------------------------------------------------------------------------------


def test_spend_leaves_out_cancelled_and_older_orders_and_subtracts_refunds(buyer, story_data):
    spend = customer_story(user=buyer, parts=ALL_PARTS).orders.spend

    assert spend.orders == 3
    assert spend.net == Decimal("340.00")  # 100 + 50 + 200 - 10 refunded
    assert spend.gross == Decimal("408.00")  # 120 + 60 + 240 - 12 refunded
    assert spend.refunded == Decimal("12.00")
    assert len(spend.months) == 12
    assert spend.months[-1].month == shop_today().replace(day=1)
    assert sum(m.orders for m in spend.months) == 3


def test_the_order_of_13_months_ago_counts_among_all_orders_only(buyer, story_data):
    orders = customer_story(user=buyer, parts=ALL_PARTS).orders

    assert orders.count == 5
    assert [o.number for o in orders.recent] == [
        story_data[name].number for name in ("refunded", "overdue", "cancelled", "not_due", "old")
    ]


def test_open_balance_flags_the_overdue_order(buyer, story_data):
    balance = customer_story(user=buyer, parts=ALL_PARTS).orders.balance

    assert balance.total == Decimal("360.00")  # the cancelled order owes nothing
    assert balance.unpaid_count == 2
    assert balance.overdue_count == 1
    assert balance.overdue_total == Decimal("120.00")
    assert [(row.order.number, row.overdue) for row in balance.unpaid] == [
        (story_data["overdue"].number, True),
        (story_data["not_due"].number, False),
    ]


def test_approvals_lists_and_alerts_are_the_customers_own(buyer, story_data):
    story = customer_story(user=buyer, parts=ALL_PARTS)

    assert (story.approvals.awaiting, story.approvals.rejected, story.approvals.submitted) == (
        1,
        1,
        2,
    )
    assert story.approvals.company_awaiting is None  # a buyer decides nothing
    assert story.saved_lists == 2
    assert (story.alerts.pending, story.alerts.notified) == (1, 0)
    assert [a.company_name for a in story.applications] == ["Bistro Lumière SARL"]


def test_an_approver_sees_the_company_requests_awaiting(company, story_data):
    approver = CompanyMemberFactory(company=company, role="approver").user

    approvals = customer_story(user=approver, parts=ALL_PARTS).approvals

    assert approvals.company_awaiting == 2  # the buyer's and the colleague's
    assert approvals.submitted == 0


# The page ---------------------------------------------------------------------------------


def test_the_managers_page_tells_the_story(manager_client, buyer, company, story_data):
    response = manager_client.get(page_url(buyer))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="customer-story"' in html
    assert f'href="/admin/customers/company/{company.pk}/change/"' in html
    assert "Bistro Lumière" in html and "Buyer" in html and "€500.00" in html
    assert f'href="/admin/shop/order/{story_data["old"].pk}/change/"' in html
    assert f"/admin/shop/order/?user__id__exact={buyer.pk}" in html
    assert "€340.00" in html and "€408.00" in html and "€12.00" in html
    assert "€360.00" in html
    assert '<th scope="col"' in html and '<th scope="row"' in html
    # Overdue is said in words, not only by colour.
    assert "Overdue</strong>" in html
    assert "Bistro Lumière SARL" in html
    assert "1 awaiting, 0 approved, 1 rejected, 0 cancelled" in html
    assert f"/admin/shop/savedlist/?owner__id__exact={buyer.pk}" in html
    assert "1 waiting, 0 sent" in html


def test_other_customers_data_stays_off_the_page(manager_client, buyer, story_data):
    html = manager_client.get(page_url(buyer)).content.decode()

    assert "CPT-OTHER999" not in html
    assert "someone-else@example.com" not in html
    assert "€11,998.80" not in html and "€118.80" not in html


def test_the_order_list_link_filters_to_the_customer(manager_client, buyer, story_data):
    response = manager_client.get(f"/admin/shop/order/?user__id__exact={buyer.pk}")

    assert response.status_code == 200
    html = response.content.decode()
    assert story_data["old"].number in html
    assert "CPT-OTHER999" not in html


def test_the_approval_and_saved_list_links_filter_to_the_customer(
    manager_client, buyer, story_data
):
    approvals = manager_client.get(f"/admin/shop/orderapproval/?buyer__id__exact={buyer.pk}")
    lists = manager_client.get(f"/admin/shop/savedlist/?owner__id__exact={buyer.pk}")

    assert approvals.status_code == lists.status_code == 200
    assert approvals.context["cl"].result_count == 2  # not the colleague's request
    assert lists.context["cl"].result_count == 2


def test_the_order_page_links_to_the_customers_story(manager_client, buyer, story_data):
    html = manager_client.get(
        f"/admin/shop/order/{story_data['overdue'].pk}/change/"
    ).content.decode()

    assert f'href="{page_url(buyer)}#customer-story"' in html


def test_staff_without_order_permission_see_no_order_figures(client, buyer, story_data):
    clerk = StaffUserFactory(email="clerk@example.com")
    clerk.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="customers",
            codename__in=["view_customerprofile", "change_customerprofile"],
        )
    )
    client.force_login(clerk)

    response = client.get(page_url(buyer))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="customer-story"' in html
    for figure in ("€340.00", "€360.00", "€120.00", story_data["overdue"].number, "Orders"):
        assert figure not in html
    assert "open on-account balance" not in html
    assert "Trade applications" not in html and "Saved lists" not in html
    assert "/admin/customers/company/" not in html


def test_the_page_reads_as_many_queries_for_3_orders_as_for_30(
    manager_client, buyer, django_assert_num_queries
):
    manager_client.get(page_url(buyer))  # per-process caches (content types) filled once
    for days in range(3):
        order(buyer, days_ago=days * 20, net="10.00", payment_method="on_account")
    with django_assert_num_queries(STORY_PAGE_QUERIES):
        assert manager_client.get(page_url(buyer)).status_code == 200

    for days in range(27):
        order(buyer, days_ago=days * 15, net="10.00", payment_method="on_account")
    with django_assert_num_queries(STORY_PAGE_QUERIES):
        response = manager_client.get(page_url(buyer))
    assert response.content.decode().count("/admin/shop/order/") > 10


def test_the_story_counts_the_customers_quotes_by_state(manager_client, buyer, story_data):
    from shop.quotes import services as quote_services

    product = ProductFactory()
    for _ in range(2):
        quote_services.quote_request_create(customer=buyer, lines={product.pk: 5})
    colleague = CompanyMemberFactory(company=buyer.company_membership.company).user
    quote_services.quote_request_create(customer=colleague, lines={product.pk: 5})

    page = manager_client.get(f"/admin/customers/customerprofile/{buyer.profile.pk}/change/")
    quotes = page.content.decode().split('class="story-quotes"')[1].split("</dd>")[0]
    assert "2 requested" in quotes
    listed = manager_client.get(f"/admin/shop/quote/?buyer__id__exact={buyer.pk}")
    assert listed.context["cl"].result_count == 2
