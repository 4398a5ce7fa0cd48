"""End to end in Chromium on the demo shop: buyer@ (limit €500.00 per order) checks out a cart
over his limit, is told before he submits that it goes to his approvers and sends it with a
note; approver@ approves it in the portal; the order is the buyer's, with its approver."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from shop.models import OrderApproval

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "comptoir-demo"
ADDRESS = {
    "full_name": "Bruno Buyer",
    "company": "Bistro Lumière",
    "line1": "8 place Bellecour",
    "postal_code": "69002",
    "city": "Lyon",
}
SCREENSHOTS = os.environ.get("APPROVAL_SCREENSHOTS")  # a folder, to look at the pages


def log_in(page, email: str):
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def shoot(page, name: str):
    if not SCREENSHOTS:
        return
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_order_over_the_limit_is_approved_then_placed(
    page, browser, live_server, demo_shop, mailoutbox
):
    page.goto(live_server.url + "/portal/quick-order/")
    log_in(page, "buyer@example.com")
    page.wait_for_url("**/portal/quick-order/")
    page.get_by_label("SKU and quantity, one product per line").fill("KIT-101 12")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart/")
    page.get_by_role("link", name="Check out").click()
    page.wait_for_url("**/checkout/")
    new_billing = page.locator("input[type=radio][name=billing_choice][value=new]")
    if new_billing.count():  # the buyer has saved addresses: choose a new one
        new_billing.check()
    for name, value in ADDRESS.items():
        page.locator(f"#id_billing-{name}").fill(value)
    page.locator("#id_billing-country").select_option("FR")
    page.get_by_role("button", name="Continue to shipping and payment").click()
    page.wait_for_url("**/checkout/delivery/")
    page.get_by_label(re.compile("^Freight")).check()
    page.get_by_label(re.compile("^Bank transfer")).check()
    page.get_by_role("button", name="Review my order").click()

    page.wait_for_url("**/checkout/review/")
    expect(
        page.get_by_text(
            "This order exceeds your limit of €500.00: it will be sent to your approvers."
        )
    ).to_be_visible()
    page.get_by_label("Note for your approvers (optional)").fill("For the brunch launch")
    shoot(page, "review")
    page.get_by_role("button", name="Send for approval").click()

    page.wait_for_url(re.compile(r".*/portal/approvals/PA-\w+/$"))
    expect(page.get_by_text("Your order was sent to your approvers")).to_be_visible()
    number = page.url.rstrip("/").rsplit("/", 1)[-1]
    approval = OrderApproval.objects.get(number=number)
    assert approval.note == "For the brunch launch" and approval.order is None
    assert any(number in message.subject for message in mailoutbox)
    shoot(page, "request-buyer")

    approver_context = browser.new_context(viewport={"width": 1280, "height": 900})
    approver = approver_context.new_page()
    approver.set_default_timeout(10_000)
    approver.goto(live_server.url + "/portal/approvals/")
    log_in(approver, "approver@example.com")
    approver.wait_for_url("**/portal/approvals/")
    row = approver.locator("tbody tr").filter(has_text=number)
    expect(row).to_contain_text("For the brunch launch")
    expect(row).to_contain_text("Awaiting approval")
    shoot(approver, "approvals-list")
    row.get_by_role("link", name=number).click()
    approver.wait_for_url(f"**/portal/approvals/{number}/")
    shoot(approver, "request-approver")
    approver.get_by_role("button", name=re.compile(r"^Approve and place the order of €")).click()
    expect(approver.get_by_text(re.compile(r"Order CPT-\w+ is placed"))).to_be_visible()
    approver_context.close()

    approval.refresh_from_db()
    order = approval.order
    assert approval.state == "approved"
    assert order.user.email == "buyer@example.com"
    assert order.approved_by.email == "approver@example.com"
    assert order.approved_at is not None

    page.goto(live_server.url + "/accounts/orders/")
    page.get_by_role("link", name=order.number).click()
    expect(page.get_by_text("approver@example.com")).to_be_visible()
    shoot(page, "order")
