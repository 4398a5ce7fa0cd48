"""Pages about one visitor are never stored by a cache or the browser's history."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from customers import urls as customer_urls
from customers.companies import services as company_services
from customers.tokens import welcome_token_for
from tests.factories import (
    AddressFactory,
    CompanyMemberFactory,
    OrderFactory,
    UserFactory,
    WholesaleGroupFactory,
)

pytestmark = pytest.mark.django_db

PRIVATE_NAMESPACES = ("orders", "addresses", "checkout", "company")


def assert_private(response, url):
    header = response.get("Cache-Control", "")
    directives = {part.strip() for part in header.split(",")}
    assert {"private", "no-store"} <= directives, f"{url}: Cache-Control {header!r}"


@pytest.fixture
def buyer(db):
    return UserFactory(email="buyer@example.com")


@pytest.fixture
def buyer_client(buyer):
    client = Client()
    client.force_login(buyer)
    return client


def _customer_urls(buyer):
    order = OrderFactory(user=buyer)
    guest_order = OrderFactory()
    address = AddressFactory(user=buyer)
    uid = urlsafe_base64_encode(force_bytes(buyer.pk))
    token = default_token_generator.make_token(buyer)
    signed_in = [
        ("get", reverse("account")),
        ("get", reverse("profile_edit")),
        ("get", reverse("password_change")),
        ("get", reverse("account_erase")),
        ("get", reverse("wholesale_apply")),
        ("get", reverse("portal")),
        ("get", reverse("orders:list")),
        ("get", reverse("orders:detail", args=[order.number])),
        ("get", reverse("orders:invoice", args=[order.number])),
        ("post", reverse("orders:reorder", args=[order.number])),
        ("get", reverse("addresses:list")),
        ("get", reverse("addresses:create")),
        ("get", reverse("addresses:edit", args=[address.pk])),
        ("post", reverse("addresses:delete", args=[address.pk])),
        ("get", reverse("checkout:details")),
        ("get", reverse("checkout:delivery")),
        ("get", reverse("checkout:review")),
        ("post", reverse("checkout:place")),
        ("post", reverse("logout")),
    ]
    anonymous = [
        ("get", reverse("login")),
        ("get", reverse("signup")),
        ("get", reverse("signup_sent")),
        ("get", reverse("account_erased")),
        ("get", reverse("signup_welcome", args=[welcome_token_for(buyer)])),
        ("get", reverse("wholesale_apply")),
        ("get", reverse("password_reset")),
        ("get", reverse("password_reset_done")),
        ("get", reverse("password_reset_confirm", args=[uid, token])),
        ("get", reverse("password_reset_complete")),
        ("get", reverse("orders:guest", args=[guest_order.number, guest_order.access_token])),
        (
            "get",
            reverse("orders:guest_invoice", args=[guest_order.number, guest_order.access_token]),
        ),
    ]
    return signed_in + _company_urls(buyer), anonymous + [_join_url(buyer)]


def _invitation(buyer, email):
    return company_services.company_invitation_create(
        company=buyer.company_membership.company, by=buyer, email=email, role="buyer"
    )


def _company_urls(buyer) -> list:
    """The colleagues pages, for `buyer` made the admin of a company."""
    CompanyMemberFactory(user=buyer, role="admin")
    colleague = CompanyMemberFactory(company=buyer.company_membership.company)
    invitation = _invitation(buyer, "invitee@example.com").invitation
    return [
        ("get", reverse("company:members")),
        ("post", reverse("company:settings")),
        ("post", reverse("company:invite")),
        ("post", reverse("company:invitation_resend", args=[invitation.pk])),
        ("post", reverse("company:invitation_revoke", args=[invitation.pk])),
        ("post", reverse("company:member_update", args=[colleague.pk])),
        ("get", reverse("company:member_remove", args=[colleague.pk])),
    ]


def _join_url(buyer) -> tuple[str, str]:
    return ("get", reverse("company:join", args=[_invitation(buyer, "new@example.com").token]))


def test_every_account_order_address_and_checkout_page_is_private_and_not_stored(
    buyer, buyer_client
):
    signed_in, anonymous = _customer_urls(buyer)
    for method, url in signed_in:
        assert_private(getattr(buyer_client, method)(url), url)
    for method, url in anonymous:
        assert_private(getattr(Client(), method)(url), url)


def test_the_trade_portal_itself_is_private_and_not_stored(buyer, buyer_client):
    buyer.profile.group = WholesaleGroupFactory()
    buyer.profile.save()
    response = buyer_client.get(reverse("portal"))
    assert response.status_code == 200
    assert_private(response, "/portal/")


def test_the_walk_above_covers_every_such_url(buyer):
    """A new page under /accounts/, /portal/, /wholesale/ or in the orders, addresses and
    checkout namespaces is added to the walk."""
    signed_in, anonymous = _customer_urls(buyer)
    walked = {get_resolver().resolve(url).view_name for _, url in signed_in + anonymous}
    expected = {
        pattern.name
        for pattern in customer_urls.urlpatterns
        + customer_urls.wholesale_patterns
        + customer_urls.portal_patterns
        if isinstance(pattern, URLPattern)
    }
    for namespace in PRIVATE_NAMESPACES:
        _prefix, sub = get_resolver().namespace_dict[namespace]
        expected |= {f"{namespace}:{name}" for name in sub.reverse_dict if isinstance(name, str)}
    assert expected - walked == set()
