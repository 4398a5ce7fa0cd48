"""End to end in Chromium on the demo shop: Bistro Lumière's admin invites a colleague from
the trade portal; the colleague opens the emailed link in another browser, sets a password,
lands in the portal as a buyer of the company and adds a product to the cart at the
company's price."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from core.money import format_money
from customers.models import CompanyMember, CustomerGroup
from shop.models import Product
from tests.browser.test_checkout_journeys import log_in
from tests.customers.companies.conftest import join_link
from tests.factories import PriceRuleFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COMPANY_PRICE = Decimal("13.37")


def test_an_admin_invites_a_colleague_who_joins_and_buys_at_the_company_price(
    page, browser, live_server, demo_shop, mailoutbox
):
    skillet = Product.objects.get(sku="KIT-102")
    PriceRuleFactory(
        group=CustomerGroup.objects.get(slug="wholesale"),
        product=skillet,
        kind="fixed_price",
        value=COMPANY_PRICE,
        priority=100,
    )

    page.goto(live_server.url + "/accounts/login/?next=/portal/")
    log_in(page, "wholesale@example.com")
    page.wait_for_url("**/portal/")
    page.get_by_role("link", name="Colleagues").click()
    page.wait_for_url("**/portal/company/")
    expect(page.get_by_role("heading", name="Colleagues")).to_be_visible()
    expect(page.locator(".invitations-table")).to_contain_text("chef@example.com")

    invite = page.locator(".company-invite")
    invite.get_by_label("Email address").fill("Sous-Chef@Example.com")
    invite.get_by_label("Role").select_option("buyer")
    invite.get_by_label("Spending limit per order").fill("300")
    invite.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to sous-chef@example.com.")).to_be_visible()
    expect(page.locator(".invitations-table")).to_contain_text("sous-chef@example.com")

    link = live_server.url + join_link("sous-chef@example.com")
    assert re.fullmatch(rf"{re.escape(live_server.url)}/portal/company/join/[\w-]{{43}}/", link)

    invitee_context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        invitee = invitee_context.new_page()
        invitee.set_default_timeout(10_000)
        invitee.goto(link)
        expect(invitee.get_by_role("heading", name="Join Bistro Lumière")).to_be_visible()
        expect(invitee.locator(".company-role")).to_have_text("Buyer")
        invitee.get_by_label("Your name").fill("Sacha Sous-Chef")
        invitee.get_by_label("Password").fill("123")
        invitee.get_by_role("button", name="Create my account and join").click()
        expect(invitee.locator(".error").first).to_be_visible()  # too short: typed again
        expect(invitee.get_by_label("Your name")).to_have_value("Sacha Sous-Chef")
        invitee.get_by_label("Password").fill("brigade-de-cuisine-7")
        invitee.get_by_role("button", name="Create my account and join").click()

        invitee.wait_for_url("**/portal/")
        expect(invitee.get_by_text("Welcome to Bistro Lumière: you buy as Buyer.")).to_be_visible()
        expect(invitee.locator(".company-name")).to_have_text("Bistro Lumière")
        expect(invitee.locator(".company-role")).to_have_text("Buyer")

        invitee.goto(f"{live_server.url}/p/{skillet.slug}/")
        expect(invitee.locator("main")).to_contain_text(format_money(COMPANY_PRICE))
        invitee.get_by_label("Quantity", exact=True).fill("2")
        invitee.get_by_role("button", name="Add to cart").click()
        expect(invitee.get_by_text(f"Added to your cart: {skillet.name}")).to_be_visible()
        invitee.goto(live_server.url + "/cart/")
        expect(invitee.locator(".cart-table")).to_contain_text(format_money(COMPANY_PRICE))
        expect(invitee.locator(".cart-table")).to_contain_text(format_money(COMPANY_PRICE * 2))
    finally:
        invitee_context.close()

    member = CompanyMember.objects.select_related("company").get(
        user__email="sous-chef@example.com"
    )
    assert (member.company.name, member.role, member.spending_limit) == (
        "Bistro Lumière",
        "buyer",
        Decimal("300.00"),
    )
    page.reload()
    expect(page.locator(".members-table")).to_contain_text("Sacha Sous-Chef")
    expect(page.locator(".invitations-table")).not_to_contain_text("sous-chef@example.com")
