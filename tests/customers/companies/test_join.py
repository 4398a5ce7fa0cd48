"""The invitation's link: whoever opens it (a visitor without an account, the invited account,
someone else) is shown the company and the role and the one way forward; a link that no longer
works gets a clear page, never a 500."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.money import format_money
from customers.companies import services
from customers.companies.models import CompanyInvitation, CompanyMember
from customers.models import User
from tests.factories import (
    CompanyMemberFactory,
    PriceRuleFactory,
    ProductFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(company, admin):
    return services.company_invitation_create(
        company=company,
        by=admin,
        email="chef@example.com",
        role="buyer",
        spending_limit=Decimal("400.00"),
        site_url="http://testserver",
    )


@pytest.fixture
def link(sent):
    return f"/portal/company/join/{sent.token}/"


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def test_the_page_shows_the_company_and_the_role(client, link):
    response = client.get(link)
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Join Bistro Lumière" in page and "Buyer" in page and "€400.00" in page
    assert 'name="password"' in page and 'autocomplete="new-password"' in page


def test_a_visitor_opens_an_account_for_the_invited_address_and_joins(client, link, company):
    response = client.post(
        link, {"full_name": "  Camille   Chef ", "password": "pâte-feuilletée-9"}
    )
    assert response.status_code == 302 and response.url == "/portal/"
    user = User.objects.get(email="chef@example.com")
    assert user.full_name == "Camille Chef" and user.check_password("pâte-feuilletée-9")
    member = CompanyMember.objects.get(user=user)
    assert (member.company, member.role, member.spending_limit) == (
        company,
        "buyer",
        Decimal("400.00"),
    )
    portal = client.get("/portal/")
    assert portal.context["user"] == user  # logged in
    assert "Welcome to Bistro Lumière: you buy as Buyer." in messages_of(portal)
    assert "Bistro Lumière" in portal.content.decode()
    assert client.get(link).status_code == 410  # used up


def test_a_new_member_sees_the_companys_group_price(client, link, company):
    product = ProductFactory(name="Copper pan", base_price=Decimal("40.00"))
    PriceRuleFactory(
        group=company.group, product=product, kind="fixed_price", value=Decimal("27.50")
    )
    guest_page = client.get(f"/p/{product.slug}/").content.decode()
    assert format_money(Decimal("27.50")) not in guest_page

    client.post(link, {"full_name": "Camille Chef", "password": "pâte-feuilletée-9"})

    member_page = client.get(f"/p/{product.slug}/").content.decode()
    assert format_money(Decimal("27.50")) in member_page


def test_a_weak_password_keeps_the_name_and_says_why(client, link):
    response = client.post(link, {"full_name": "Camille Chef", "password": "12345678"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="Camille Chef"' in page
    assert "This password is too common." in page or "entirely numeric" in page
    assert 'aria-describedby="id_password_helptext id_password_error"' in page
    assert not User.objects.filter(email="chef@example.com").exists()


def test_the_invited_account_logged_in_joins_with_a_button(client, link, company):
    chef = UserFactory(email="Chef@Example.com")
    client.force_login(chef)
    page = client.get(link)
    assert page.status_code == 200 and "Join Bistro Lumière</button>" in page.content.decode()
    assert not CompanyMember.objects.filter(user=chef).exists()  # opening it joins nobody

    response = client.post(link)
    assert response.status_code == 302 and response.url == "/portal/"
    assert CompanyMember.objects.get(user=chef).company == company


def test_another_account_logged_in_is_told_to_log_out(client, link):
    other = UserFactory(email="someone@example.com")
    client.force_login(other)
    page = client.get(link).content.decode()
    assert "This invitation is for chef@example.com, and you are logged in as " in page
    assert 'action="/accounts/logout/"' in page
    assert client.post(link).status_code == 200
    assert not CompanyMember.objects.filter(user=other).exists()


def test_an_existing_account_not_logged_in_is_asked_to_log_in_first(client, link):
    UserFactory(email="chef@example.com", password="the-real-one-42")
    response = client.get(link)
    page = response.content.decode()
    assert f'href="/accounts/login/?next={link}"' in page
    assert 'name="password"' not in page
    client.post(link, {"full_name": "Impostor", "password": "pâte-feuilletée-9"})
    assert User.objects.get(email="chef@example.com").check_password("the-real-one-42")
    assert not CompanyMember.objects.filter(user__email="chef@example.com").exists()

    login = client.post(
        f"/accounts/login/?next={link}",
        {"username": "chef@example.com", "password": "the-real-one-42"},
    )
    assert login.url == link
    assert client.post(link).url == "/portal/"


def test_an_account_that_joined_another_company_meanwhile_is_refused(client, link, company):
    chef = UserFactory(email="chef@example.com")
    CompanyMemberFactory(user=chef)
    client.force_login(chef)
    response = client.post(link)
    assert response.status_code == 400
    assert "already belongs to another company" in response.content.decode()
    assert CompanyMember.objects.get(user=chef).company != company


def test_a_staff_account_cannot_join(client, link):
    staff = StaffUserFactory(email="chef@example.com")
    client.force_login(staff)
    response = client.post(link)
    assert response.status_code == 400
    assert not CompanyMember.objects.filter(user=staff).exists()


@pytest.mark.parametrize(
    ("change", "status", "says"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, 410, "has expired"),
        ({"revoked_at": timezone.now()}, 410, "was revoked"),
        ({"accepted_at": timezone.now()}, 410, "already been accepted"),
    ],
)
def test_an_expired_revoked_or_used_link_says_so(client, link, change, status, says):
    CompanyInvitation.objects.update(**change)
    for response in (client.get(link), client.post(link, {"password": "x"})):
        assert response.status_code == status
        assert says in response.content.decode()
    assert not User.objects.filter(email="chef@example.com").exists()


@pytest.mark.parametrize(
    "path",
    [
        "/portal/company/join/not-a-token/",
        "/portal/company/join/" + "A" * 43 + "/",
        "/portal/company/join/%00%27%22/",
    ],
)
def test_a_tampered_link_is_404(client, sent, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()
