"""Wholesale applications: apply (logged in, or sign up and apply), one pending at a time,
approve and reject with emails, automatic approval, the status on /accounts/."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from core.errors import Refusal
from customers import selectors, services
from customers.models import CustomerProfile, User, WholesaleApplication
from tests.customers.emails import log_in_with_welcome_link
from tests.factories import UserFactory, WholesaleApplicationFactory

pytestmark = pytest.mark.django_db

APPLICATION = {
    "company_name": "Bistro  Lumière",
    "vat_id": "fr40 303 265 045",
    "country": "FR",
    "phone": "+33 1 23 45 67 89",
    "monthly_volume": "1k-5k",
    "message": "Two restaurants.",
}
GUEST = {
    "email": "Lucie@Bistro.example",
    "full_name": "Lucie Lumière",
    "password": "plum-tart-1984",
}


def submit(user, **overrides):
    data = {
        "company_name": "Bistro Lumière",
        "vat_id": "FR40303265045",
        "country": "FR",
        "phone": "+33 1 23 45 67 89",
        "monthly_volume": "1k-5k",
    }
    return services.application_submit(user=user, **{**data, **overrides})


# Applying ------------------------------------------------------------------------------------


def test_a_customer_applies_and_the_applicant_and_managers_are_emailed(
    customer_client, customer, wholesale, settings, commit
):
    settings.SHOP_MANAGER_EMAILS = ["boss@example.com", "sales@example.com"]
    form = customer_client.get("/wholesale/apply/").content.decode()
    for label in ["Company name", "VAT id", "Country", "Phone", "Expected monthly volume"]:
        assert label in form
    with commit():
        response = customer_client.post("/wholesale/apply/", APPLICATION)
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    application = WholesaleApplication.objects.get(user=customer)
    assert application.status == "pending"
    assert application.company_name == "Bistro Lumière"
    assert application.vat_id == "FR40303265045"
    assert selectors.group_for(customer).is_default  # nothing changes before approval
    to_applicant, to_managers = mail.outbox
    assert to_applicant.to == ["cleo@example.com"]
    assert to_applicant.subject == "We received your trade account application"
    assert "Bistro Lumière" in to_applicant.body and "€1,000 to €5,000" in to_applicant.body
    assert to_managers.to == ["boss@example.com", "sales@example.com"]
    assert "Bistro Lumière" in to_managers.subject
    assert f"/admin/customers/wholesaleapplication/{application.pk}/change/" in to_managers.body
    account = customer_client.get("/accounts/").content.decode()
    assert "Pending review" in account and "Bistro Lumière" in account


def test_the_form_is_prefilled_from_the_profile(customer_client, customer):
    CustomerProfile.objects.filter(user=customer).update(
        company_name="Cléo SARL", phone="0102030405"
    )
    body = customer_client.get("/wholesale/apply/").content.decode()
    assert 'value="Cléo SARL"' in body and 'value="0102030405"' in body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("vat_id", "123", "starts with the country code"),
        ("phone", "call me", "at least 6 digits"),
        ("country", "XX", "Select a valid choice"),
        ("monthly_volume", "", "This field is required"),
        ("company_name", "", "This field is required"),
    ],
)
def test_bad_input_is_answered_on_the_field_and_keeps_what_was_typed(
    customer_client, customer, field, value, message
):
    response = customer_client.post("/wholesale/apply/", {**APPLICATION, field: value})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body and message in body
    assert "Two restaurants." in body
    if field != "monthly_volume":
        assert 'value="1k-5k" selected' in body
    if field in ("vat_id", "phone"):
        assert f'value="{value}"' in body
    assert not WholesaleApplication.objects.exists()


def test_a_guest_signs_up_and_applies_in_one_form(client, retail, commit):
    body = client.get("/wholesale/apply/").content.decode()
    assert 'id="id_email"' in body and 'id="id_password"' in body and "Log in first" in body
    with commit():
        response = client.post("/wholesale/apply/", {**GUEST, **APPLICATION})
    assert response["Location"] == "/accounts/signup/sent/"
    user = User.objects.get(email="lucie@bistro.example")
    assert user.full_name == "Lucie Lumière" and user.check_password("plum-tart-1984")
    assert user.profile.group == retail and user.profile.company_name == "Bistro Lumière"
    assert WholesaleApplication.objects.get().user == user
    assert {m.subject for m in mail.outbox} >= {
        "We received your trade account application",
        "Your Comptoir account is ready",
    }
    log_in_with_welcome_link(client, "lucie@bistro.example")
    assert "Pending review" in client.get("/accounts/").content.decode()  # logged in


def test_a_guest_with_a_taken_email_sees_the_same_answer_and_nothing_is_created(client, customer):
    response = client.post(
        "/wholesale/apply/", {**GUEST, **APPLICATION, "email": "CLEO@example.com"}
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/sent/"
    assert User.objects.count() == 1 and not WholesaleApplication.objects.exists()


def test_sign_up_and_application_are_one_transaction(retail, monkeypatch):
    def broken(**kwargs):
        raise Refusal("boom")

    monkeypatch.setattr(services.applications, "application_submit", broken)
    with pytest.raises(Refusal):
        services.application_submit_with_signup(**GUEST, **APPLICATION)
    assert not User.objects.exists()


def test_one_pending_application_per_customer(customer_client, customer):
    submit(customer)
    with pytest.raises(Refusal, match="already have an application"):
        submit(customer, company_name="Again")
    page = customer_client.get("/wholesale/apply/").content.decode()
    assert (
        "Your application is being reviewed" in page
        and "<form method" not in page.split("<main")[1]
    )
    customer_client.post("/wholesale/apply/", {**APPLICATION, "company_name": "Again"})
    assert WholesaleApplication.objects.filter(user=customer).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        WholesaleApplication.objects.create(user=customer, company_name="Raw", status="pending")


def test_a_customer_already_in_a_portal_group_is_told_so(client, wholesale):
    buyer = UserFactory(group=wholesale)
    client.force_login(buyer)
    body = client.get("/wholesale/apply/").content.decode()
    assert "You already have a trade account" in body and 'href="/portal/"' in body
    client.post("/wholesale/apply/", APPLICATION)
    assert not WholesaleApplication.objects.exists()
    with pytest.raises(Refusal, match="already has trade access"):
        submit(buyer)


# Deciding -----------------------------------------------------------------------------------


def test_approval_moves_the_customer_with_the_groups_terms_and_records_who_and_when(
    customer, wholesale, manager, commit
):
    application = submit(customer)
    mail.outbox.clear()
    with commit():
        services.application_approve(application=application, decided_by=manager)
    application.refresh_from_db()
    assert application.status == "approved"
    assert application.group == wholesale
    assert application.decided_by == manager and application.decided_at is not None
    profile = CustomerProfile.objects.get(user=customer)
    assert profile.group == wholesale
    assert profile.payment_terms_days == 30 and profile.credit_limit == Decimal("5000.00")
    assert (profile.company_name, profile.vat_id) == ("Bistro Lumière", "FR40303265045")
    [email] = mail.outbox
    assert email.to == [customer.email]
    assert email.subject == "Your Comptoir trade account is open"
    assert "30 days net" in email.body and "€5,000.00" in email.body and "/portal/" in email.body
    with pytest.raises(Refusal, match="already been decided"):
        services.application_approve(application=application, decided_by=manager)


def test_the_manager_may_approve_into_another_group(customer, wholesale, vip, manager):
    vip.default_payment_terms_days = 60
    vip.save()
    application = submit(customer)
    services.application_approve(application=application, decided_by=manager, group=vip)
    profile = CustomerProfile.objects.get(user=customer)
    assert profile.group == vip and profile.payment_terms_days == 60


def test_the_marked_group_receives_applications_before_other_portal_groups(customer, wholesale):
    from tests.factories import CustomerGroupFactory

    trade = CustomerGroupFactory(name="Trade", portal_access=True, receives_applications=True)
    application = submit(customer)
    services.application_approve(application=application, decided_by=None)
    assert selectors.group_for(customer) == trade


def test_approval_without_any_target_group_asks_for_one(customer, manager):
    application = submit(customer)
    with pytest.raises(Refusal, match="Choose the customer group"):
        services.application_approve(application=application, decided_by=manager)
    application.refresh_from_db()
    assert application.status == "pending"


def test_rejection_needs_a_reason_emails_it_and_leaves_the_group(
    customer_client, customer, wholesale, manager, commit
):
    application = submit(customer)
    with pytest.raises(Refusal, match="reason"):
        services.application_reject(application=application, decided_by=manager, reason="  ")
    mail.outbox.clear()
    with commit():
        services.application_reject(
            application=application, decided_by=manager, reason="We only sell to EU companies."
        )
    application.refresh_from_db()
    assert application.status == "rejected" and application.decided_by == manager
    assert selectors.group_for(customer).is_default
    [email] = mail.outbox
    assert "We only sell to EU companies." in email.body
    account = customer_client.get("/accounts/").content.decode()
    assert "Rejected" in account and "We only sell to EU companies." in account
    # A rejected customer may apply again.
    assert "<form" in customer_client.get("/wholesale/apply/").content.decode()
    assert submit(customer).status == "pending"


def test_a_group_can_approve_applications_automatically(
    customer_client, customer, wholesale, commit
):
    wholesale.auto_approve_applications = True
    wholesale.save()
    with commit():
        response = customer_client.post("/wholesale/apply/", APPLICATION, follow=True)
    assert response.redirect_chain[-1][0] == "/portal/"
    assert "Your trade account is open" in response.content.decode()
    application = WholesaleApplication.objects.get()
    assert application.status == "approved" and application.decided_by is None
    assert selectors.group_for(customer) == wholesale
    assert [m.subject for m in mail.outbox] == ["Your Comptoir trade account is open"]


def test_the_account_page_shows_an_approved_application(customer_client, customer, wholesale):
    WholesaleApplicationFactory(user=customer)
    application = WholesaleApplication.objects.get()
    services.application_approve(application=application, decided_by=None)
    body = customer_client.get("/accounts/").content.decode()
    assert "Approved" in body and "You buy as a Wholesale customer." in body


def test_the_decision_email_is_in_the_applicants_language(customer, wholesale, manager, commit):
    from django.utils import translation

    CustomerProfile.objects.filter(user=customer).update(language="ar")
    application = submit(customer)
    mail.outbox.clear()
    with translation.override("en"), commit():
        services.application_approve(application=application, decided_by=manager)
    [email] = mail.outbox
    assert "تم فتح حسابك التجاري" in email.subject
