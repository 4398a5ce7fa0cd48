"""The approvals list and the dashboard's selectors read a constant number of queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shop.orders.approvals import selectors
from tests.factories import (
    CompanyMemberFactory,
    OrderApprovalFactory,
    OrderApprovalLineFactory,
    OrderFactory,
)

pytestmark = pytest.mark.django_db

# Session, the user with the versions (pricing, and the catalogue's for the kept category
# menu), membership (view and selector), the request, its lines with their products, the
# buyer's profile (group, VAT buyer, shipping) and shipping methods.
DETAIL_QUERIES = 9


def requests_of(bistro, count):
    """`count` requests of the buyer: a third approved (with their order), the rest waiting."""
    for index in range(count):
        if index % 3 == 0:
            OrderApprovalFactory(
                company=bistro.company,
                buyer=bistro.buyer,
                state="approved",
                decided_by=bistro.approver,
                order=OrderFactory(user=bistro.buyer),
            )
        else:
            OrderApprovalFactory(company=bistro.company, buyer=bistro.buyer, note="Urgent")


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_page_queries_do_not_grow_with_requests(bistro, count, django_assert_num_queries):
    requests_of(bistro, count)
    client = Client()
    client.force_login(bistro.approver)
    client.get("/portal/approvals/")  # warm the session and caches
    # session, user, membership (view and selector), count, rows; the page's chrome: the
    # customer's group and the versions (the category menu is kept per catalogue version)
    with django_assert_num_queries(6):
        response = client.get("/portal/approvals/")
    assert len(response.context["page"].object_list) == count
    body = response.content.decode()
    assert body.count("Awaiting approval") == count - len(range(0, count, 3))


@pytest.mark.parametrize("count", [3, 30])
def test_the_dashboard_selectors_read_two_queries_each(bistro, count, django_assert_num_queries):
    requests_of(bistro, count)
    with django_assert_num_queries(2):
        rows = [
            (
                row.buyer.email,
                row.decided_by and row.decided_by.email,
                row.order_id and row.order.number,
            )
            for row in selectors.approvals_for(user=bistro.approver)
        ]
    assert len(rows) == count
    with django_assert_num_queries(2):
        awaiting = selectors.approvals_awaiting_count(bistro.approver)
    assert awaiting == count - len(range(0, count, 3))


def test_awaiting_counts_what_the_user_may_decide(bistro):
    OrderApprovalFactory(company=bistro.company, buyer=bistro.buyer)
    OrderApprovalFactory(company=bistro.company, buyer=bistro.approver)  # his own
    OrderApprovalFactory(company=bistro.company, buyer=bistro.buyer, state="rejected")
    OrderApprovalFactory()  # another company's
    assert selectors.approvals_awaiting_count(bistro.approver) == 1
    assert selectors.approvals_awaiting_count(bistro.admin) == 2
    assert selectors.approvals_awaiting_count(bistro.buyer) == 0
    assert selectors.approvals_awaiting_count(CompanyMemberFactory().user) == 0
    mine = [row.buyer for row in selectors.approvals_for(user=bistro.buyer)]
    assert mine == [bistro.buyer, bistro.buyer]
    states = [row.state for row in selectors.approvals_for(user=bistro.admin)]
    assert states == ["requested", "requested", "rejected"]  # awaiting first


def detail_queries(bistro, lines: int) -> int:
    approval = OrderApprovalFactory(
        company=bistro.company, buyer=bistro.buyer, shipping_method=bistro.freight
    )
    for _index in range(lines):
        OrderApprovalLineFactory(approval=approval, quantity=2)
    client = Client()
    client.force_login(bistro.approver)
    client.get(f"/portal/approvals/{approval.number}/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/portal/approvals/{approval.number}/")
    assert len(response.context["pricing"].quote.lines) == lines
    return len(queries)


def test_the_request_page_queries_do_not_grow_with_its_lines(bistro):
    assert detail_queries(bistro, 3) == detail_queries(bistro, 30) == DETAIL_QUERIES
