"""The colleagues page of the trade portal: who sees it, what a company admin changes there,
and the answers to bad input."""

from decimal import Decimal

import pytest
from django.core import mail

from customers.companies.models import CompanyInvitation, CompanyMember
from shop.models import Order
from tests.factories import (
    CompanyMemberFactory,
    OrderFactory,
    UserFactory,
)

from .conftest import join_link

pytestmark = pytest.mark.django_db

MEMBERS = "/portal/company/"
# Session, the user with the versions (one query; the menu is kept per version), membership
# with company and group, members, invitations.
QUERIES = 5


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def test_a_guest_is_sent_to_the_login_page(client):
    response = client.get(MEMBERS)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/portal/company/")


def test_a_customer_without_a_company_gets_404(customer_client):
    assert customer_client.get(MEMBERS).status_code == 404


def test_the_portal_links_to_the_colleagues(admin_client):
    response = admin_client.get("/portal/")
    assert f'href="{MEMBERS}"' in response.content.decode()


def test_a_buyer_sees_his_colleagues_and_the_invitations_but_cannot_change_them(
    client, company, admin
):
    buyer = CompanyMemberFactory(company=company, role="buyer", spending_limit=Decimal("500"))
    CompanyInvitation.objects.create(
        company=company,
        email="chef@example.com",
        token_hash="x" * 64,
        expires_at="2999-01-01T00:00Z",
    )
    client.force_login(buyer.user)
    response = client.get(MEMBERS)
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "wendy@example.com" in page and buyer.user.email in page
    assert "Company admin" in page and "€500.00" in page
    assert "chef@example.com" in page
    assert "Invite a colleague" not in page and "member_update" not in page
    assert "/remove/" not in page and "Send again" not in page
    for url in (
        "/portal/company/invite/",
        f"/portal/company/members/{buyer.pk}/",
        f"/portal/company/members/{admin.company_membership.pk}/remove/",
    ):
        assert client.post(url, {"email": "x@example.com", "role": "admin"}).status_code == 403
    buyer.refresh_from_db()
    assert buyer.role == "buyer" and CompanyInvitation.objects.count() == 1


def test_the_page_has_constant_queries_whatever_the_number_of_colleagues(
    admin_client, company, django_assert_num_queries
):
    def add(count):
        for _index in range(count):
            CompanyMemberFactory(company=company)
            CompanyInvitation.objects.create(
                company=company,
                email=f"invitee{CompanyInvitation.objects.count()}@example.com",
                token_hash=f"{CompanyInvitation.objects.count():064d}",
                expires_at="2999-01-01T00:00Z",
            )

    add(2)  # 3 members with the admin
    admin_client.get(MEMBERS)  # the site's frame is cached from then on
    with django_assert_num_queries(QUERIES) as small:
        assert admin_client.get(MEMBERS).status_code == 200
    add(27)  # 30 members
    with django_assert_num_queries(QUERIES):
        response = admin_client.get(MEMBERS)
    assert response.content.decode().count('class="member-row') == 30
    assert len(small.captured_queries) == QUERIES


def test_an_admin_invites_a_colleague_by_email(admin_client, company, commit):
    with commit():
        response = admin_client.post(
            "/portal/company/invite/",
            {"email": " Chef@Example.com ", "role": "buyer", "spending_limit": "250"},
            follow=True,
        )
    assert messages_of(response) == ["Invitation sent to chef@example.com."]
    invitation = CompanyInvitation.objects.get()
    assert (invitation.email, invitation.role, invitation.spending_limit) == (
        "chef@example.com",
        "buyer",
        Decimal("250.00"),
    )
    assert join_link("chef@example.com").startswith("/portal/company/join/")
    assert "chef@example.com" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "not-an-address", "role": "buyer"}, "Enter a valid email address."),
        ({"email": "chef@example.com", "role": "owner"}, "Select a valid choice."),
        (
            {"email": "chef@example.com", "role": "buyer", "spending_limit": "-5"},
            "greater than or equal to 0",
        ),
        (
            {"email": "chef@example.com", "role": "buyer", "spending_limit": "lots"},
            "Enter a number.",
        ),
    ],
)
def test_bad_input_keeps_what_was_typed(admin_client, data, error):
    response = admin_client.post("/portal/company/invite/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert error in page and "The invitation was not sent" in page
    assert f'value="{data["email"]}"' in page
    assert not CompanyInvitation.objects.exists() and mail.outbox == []


def test_a_member_of_another_company_is_refused_with_a_clear_message(admin_client):
    rival = CompanyMemberFactory(company__name="Rival Brasserie")
    response = admin_client.post(
        "/portal/company/invite/", {"email": rival.user.email, "role": "buyer"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "belongs to another company: it cannot be invited to yours" in page
    assert "Rival Brasserie" not in page
    assert not CompanyInvitation.objects.exists()


def test_invitations_are_rate_limited(admin_client, settings, commit):
    settings.SHOP_RATE_LIMITS = {**settings.SHOP_RATE_LIMITS, "company_invitation": "3/h"}
    for index in range(3):
        data = {"email": f"cook{index}@example.com", "role": "buyer"}
        with commit():
            assert admin_client.post("/portal/company/invite/", data).status_code == 302
    response = admin_client.post(
        "/portal/company/invite/", {"email": "cook9@example.com", "role": "buyer"}
    )
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert CompanyInvitation.objects.count() == 3 and len(mail.outbox) == 3


def test_an_admin_resends_and_revokes_an_invitation(admin_client, company, commit):
    with commit():
        admin_client.post("/portal/company/invite/", {"email": "chef@example.com", "role": "buyer"})
    first_link = join_link("chef@example.com")
    invitation = CompanyInvitation.objects.get()

    with commit():
        response = admin_client.post(
            f"/portal/company/invitations/{invitation.pk}/resend/", follow=True
        )
    assert "Invitation sent again to chef@example.com" in messages_of(response)[-1]
    second_link = join_link("chef@example.com")
    assert second_link != first_link
    assert admin_client.get(first_link).status_code == 404

    response = admin_client.post(
        f"/portal/company/invitations/{invitation.pk}/revoke/", follow=True
    )
    assert "is revoked" in messages_of(response)[0]
    assert admin_client.get(second_link).status_code == 410
    assert 'class="invitation-row"' not in response.content.decode()


def test_another_companys_invitation_or_member_is_404(admin_client):
    other = CompanyMemberFactory(role="admin")
    theirs = CompanyInvitation.objects.create(
        company=other.company,
        email="theirs@example.com",
        token_hash="y" * 64,
        expires_at="2999-01-01T00:00Z",
    )
    for url in (
        f"/portal/company/invitations/{theirs.pk}/resend/",
        f"/portal/company/invitations/{theirs.pk}/revoke/",
        f"/portal/company/members/{other.pk}/",
        f"/portal/company/members/{other.pk}/remove/",
    ):
        assert admin_client.post(url, {f"member-{other.pk}-role": "buyer"}).status_code == 404
    theirs.refresh_from_db()
    other.refresh_from_db()
    assert theirs.revoked_at is None and other.role == "admin"


def test_an_admin_changes_a_role_and_a_limit(admin_client, company):
    buyer = CompanyMemberFactory(company=company, role="buyer")
    response = admin_client.post(
        f"/portal/company/members/{buyer.pk}/",
        {f"member-{buyer.pk}-role": "approver", f"member-{buyer.pk}-spending_limit": "120.50"},
        follow=True,
    )
    assert "are saved" in messages_of(response)[0]
    buyer.refresh_from_db()
    assert (buyer.role, buyer.spending_limit) == ("approver", Decimal("120.50"))
    admin_client.post(
        f"/portal/company/members/{buyer.pk}/",
        {f"member-{buyer.pk}-role": "approver", f"member-{buyer.pk}-spending_limit": ""},
    )
    buyer.refresh_from_db()
    assert buyer.spending_limit is None  # empty: no limit


def test_a_bad_limit_keeps_what_was_typed(admin_client, company):
    buyer = CompanyMemberFactory(company=company, role="buyer", spending_limit=Decimal("50"))
    response = admin_client.post(
        f"/portal/company/members/{buyer.pk}/",
        {f"member-{buyer.pk}-role": "approver", f"member-{buyer.pk}-spending_limit": "12,5,0"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="12,5,0"' in page and "Enter a number." in page
    assert f'aria-describedby="id_member-{buyer.pk}-spending_limit_error"' in page
    assert '<option value="approver" selected>' in page
    buyer.refresh_from_db()
    assert (buyer.role, buyer.spending_limit) == ("buyer", Decimal("50.00"))


def test_the_last_admin_cannot_demote_himself(admin_client, admin):
    membership = admin.company_membership
    response = admin_client.post(
        f"/portal/company/members/{membership.pk}/", {f"member-{membership.pk}-role": "buyer"}
    )
    assert response.status_code == 400
    assert "must keep at least one company admin" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_removing_asks_first_and_the_orders_stay_with_the_company(admin_client, company):
    buyer = CompanyMemberFactory(company=company, role="buyer")
    order = OrderFactory(user=buyer.user, company=company)
    url = f"/portal/company/members/{buyer.pk}/remove/"
    confirm = admin_client.get(url)
    assert confirm.status_code == 200 and "Their past orders stay" in confirm.content.decode()
    assert CompanyMember.objects.filter(pk=buyer.pk).exists()

    response = admin_client.post(url, follow=True)
    assert "is no longer a member of Bistro Lumière" in messages_of(response)[0]
    assert not CompanyMember.objects.filter(pk=buyer.pk).exists()
    assert Order.objects.get(pk=order.pk).company == company


def test_the_last_admin_cannot_remove_himself(admin_client, admin):
    membership = admin.company_membership
    response = admin_client.post(f"/portal/company/members/{membership.pk}/remove/")
    assert response.status_code == 400
    assert "must keep at least one company admin" in response.content.decode()
    assert CompanyMember.objects.filter(pk=membership.pk).exists()


def test_an_admin_who_is_not_the_last_may_leave(admin_client, company, admin):
    CompanyMemberFactory(company=company, role="admin")
    membership = admin.company_membership
    response = admin_client.post(f"/portal/company/members/{membership.pk}/remove/")
    assert response.status_code == 302 and response.url == "/accounts/"
    assert admin_client.get(MEMBERS).status_code == 404
    assert UserFactory._meta.model.objects.filter(pk=admin.pk).exists()
