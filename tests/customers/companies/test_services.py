"""The company services: invitations (create, replace, resend, revoke, accept) and members'
roles and limits, with the rules a company admin relies on."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from core.errors import Refusal
from customers.companies import selectors, services
from customers.companies.models import CompanyInvitation, CompanyMember
from customers.companies.tokens import token_hash
from tests.factories import CompanyMemberFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def invite(company, admin, email="chef@example.com", role="buyer", limit=None):
    return services.company_invitation_create(
        company=company,
        by=admin,
        email=email,
        role=role,
        spending_limit=limit,
        site_url="http://shop.test",
    )


def test_an_invitation_stores_only_the_hash_of_a_long_random_token(company, admin, commit):
    with commit():
        sent = invite(company, admin, email="Chef@Example.com", limit=Decimal("250.00"))
    invitation = CompanyInvitation.objects.get()
    assert invitation.email == "chef@example.com"
    assert invitation.token_hash == token_hash(sent.token) != sent.token
    assert len(sent.token) >= 43  # 256 bits in URL-safe base64
    assert sent.token not in str(CompanyInvitation.objects.values().get())
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    (message,) = mail.outbox
    assert message.to == ["chef@example.com"]
    assert "Bistro Lumière" in message.subject
    assert f"http://shop.test/portal/company/join/{sent.token}/" in message.body
    assert "Wendy Admin invites you to buy for Bistro Lumière" in message.body
    assert f"/portal/company/join/{sent.token}/" in message.alternatives[0][0]


def test_the_invitation_life_comes_from_the_setting(company, admin, settings):
    settings.COMPANY_INVITATION_DAYS = 2
    invitation = invite(company, admin).invitation
    assert invitation.expires_at - invitation.created_at == timedelta(days=2)


def test_a_refused_invitation_emails_nobody(company, admin, commit):
    with commit(), pytest.raises(Refusal):
        invite(company, admin, email=admin.email)
    assert mail.outbox == []


def test_reinviting_an_address_replaces_its_pending_invitation(company, admin):
    first = invite(company, admin, role="buyer")
    second = invite(company, admin, email="CHEF@example.com", role="approver")
    first.invitation.refresh_from_db()
    assert first.invitation.revoked_at is not None
    assert selectors.invitation_for_token(second.token).role == "approver"
    assert [i.pk for i in selectors.members_page(company_id=company.pk).invitations] == [
        second.invitation.pk
    ]


def test_a_member_of_another_company_is_refused_without_naming_it(company, admin):
    rival = CompanyMemberFactory(company__name="Rival Brasserie")
    with pytest.raises(Refusal) as refusal:
        invite(company, admin, email=rival.user.email.upper())
    assert "another company" in str(refusal.value.message)
    assert "Rival" not in str(refusal.value.message)
    assert not CompanyInvitation.objects.exists()


def test_a_member_of_the_company_or_a_staff_account_is_refused(company, admin):
    colleague = CompanyMemberFactory(company=company)
    with pytest.raises(Refusal, match="already a member"):
        invite(company, admin, email=colleague.user.email)
    staff = StaffUserFactory()
    with pytest.raises(Refusal, match="cannot be invited"):
        invite(company, admin, email=staff.email)
    assert not CompanyInvitation.objects.exists()


def test_only_an_admin_of_the_company_invites(company):
    buyer = CompanyMemberFactory(company=company, role="buyer").user
    outsider_admin = CompanyMemberFactory(role="admin").user
    for who in (buyer, outsider_admin):
        with pytest.raises(Refusal, match="Only a company admin"):
            invite(company, who)
    assert not CompanyInvitation.objects.exists()


def test_accepting_adds_the_account_with_the_invited_role_and_limit_once(company, admin):
    sent = invite(company, admin, role="buyer", limit=Decimal("300.00"))
    user = UserFactory(email="chef@example.com")
    member = services.company_invitation_accept(invitation=sent.invitation, user=user)
    assert (member.company, member.role, member.spending_limit) == (
        company,
        "buyer",
        Decimal("300.00"),
    )
    sent.invitation.refresh_from_db()
    assert sent.invitation.accepted_at is not None
    with pytest.raises(Refusal, match="no longer valid"):
        services.company_invitation_accept(invitation=sent.invitation, user=user)


def test_accepting_is_refused_for_another_address_an_expired_or_revoked_link(company, admin):
    sent = invite(company, admin)
    with pytest.raises(Refusal, match="another email address"):
        services.company_invitation_accept(invitation=sent.invitation, user=UserFactory())
    CompanyInvitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    chef = UserFactory(email="chef@example.com")
    with pytest.raises(Refusal, match="no longer valid"):
        services.company_invitation_accept(invitation=sent.invitation, user=chef)
    revoked = invite(company, admin)  # a new one replaces the expired invitation
    services.company_invitation_revoke(invitation=revoked.invitation, by=admin)
    with pytest.raises(Refusal, match="no longer valid"):
        services.company_invitation_accept(invitation=revoked.invitation, user=chef)
    assert not CompanyMember.objects.filter(user=chef).exists()


def test_accepting_is_refused_when_the_account_joined_another_company_meanwhile(company, admin):
    sent = invite(company, admin)
    chef = UserFactory(email="chef@example.com")
    CompanyMemberFactory(user=chef)  # another company, after the invitation
    with pytest.raises(Refusal, match="another company"):
        services.company_invitation_accept(invitation=sent.invitation, user=chef)
    sent.invitation.refresh_from_db()
    assert sent.invitation.accepted_at is None
    assert CompanyMember.objects.get(user=chef).company != company


def test_accepting_with_signup_creates_the_account_for_the_invited_address(company, admin):
    sent = invite(company, admin, email="chef@example.com")
    member = services.company_invitation_accept_with_signup(
        invitation=sent.invitation, full_name="Camille Chef", password="a-long-pass-phrase"
    )
    user = member.user
    assert (user.email, user.full_name) == ("chef@example.com", "Camille Chef")
    assert user.check_password("a-long-pass-phrase")
    assert member.company == company


def test_accepting_with_signup_is_refused_when_the_address_has_an_account(company, admin):
    sent = invite(company, admin, email="chef@example.com")
    UserFactory(email="CHEF@example.com")
    with pytest.raises(Refusal, match="log in"):
        services.company_invitation_accept_with_signup(
            invitation=sent.invitation, full_name="Impostor", password="a-long-pass-phrase"
        )
    assert not CompanyMember.objects.filter(company=company, user__email="chef@example.com")


def test_resending_sends_a_new_link_and_kills_the_old_one(company, admin, commit):
    sent = invite(company, admin)
    CompanyInvitation.objects.update(expires_at=timezone.now() - timedelta(days=1))
    with commit():
        again = services.company_invitation_resend(
            invitation=sent.invitation, by=admin, site_url="http://shop.test"
        )
    assert selectors.invitation_for_token(sent.token) is None
    renewed = selectors.invitation_for_token(again.token)
    assert renewed.pk == sent.invitation.pk and renewed.is_pending()
    assert again.token in mail.outbox[-1].body


def test_a_revoked_invitation_cannot_be_resent(company, admin):
    sent = invite(company, admin)
    services.company_invitation_revoke(invitation=sent.invitation, by=admin)
    with pytest.raises(Refusal, match="no longer valid"):
        services.company_invitation_resend(invitation=sent.invitation, by=admin)


def test_an_admin_changes_a_role_and_limit(company, admin):
    buyer = CompanyMemberFactory(company=company, role="buyer")
    services.company_member_update(
        member=buyer, role="approver", spending_limit=Decimal("80.00"), by=admin
    )
    buyer.refresh_from_db()
    assert (buyer.role, buyer.spending_limit) == ("approver", Decimal("80.00"))


def test_the_last_admin_is_never_demoted_nor_removed(company, admin):
    membership = admin.company_membership
    with pytest.raises(Refusal, match="at least one company admin"):
        services.company_member_update(
            member=membership, role="buyer", spending_limit=None, by=admin
        )
    with pytest.raises(Refusal, match="at least one company admin"):
        services.company_member_remove(member=membership, by=admin)
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_a_buyer_cannot_change_roles_even_his_own(company, admin):
    buyer = CompanyMemberFactory(company=company, role="buyer")
    with pytest.raises(Refusal, match="Only a company admin"):
        services.company_member_update(
            member=buyer, role="admin", spending_limit=None, by=buyer.user
        )
    buyer.refresh_from_db()
    assert buyer.role == "buyer"
