"""VAT numbers are checked by their format and check digits (python-stdnum), not a regex."""

import pytest
from django import forms

from customers.forms import clean_vat_id
from customers.models import CustomerProfile


@pytest.mark.parametrize(
    "number",
    [
        pytest.param("XX12", id="no such country"),
        pytest.param("FR41303265045", id="French number with a wrong check digit"),
        pytest.param("DE136695977", id="German number with a wrong check digit"),
        pytest.param("FR4030326504", id="too short"),
        pytest.param("EU372000041", id="a one-stop-shop number is not a company's"),
        pytest.param("CHE116281710", id="Swiss, not an EU VAT number"),
    ],
)
def test_a_wrong_vat_number_is_refused(number):
    with pytest.raises(forms.ValidationError) as refused:
        clean_vat_id(number)
    assert "valid EU VAT number" in str(refused.value)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("FR40303265045", "FR40303265045"),
        ("fr 40 303 265 045", "FR40303265045"),
        ("DE-136.695.976", "DE136695976"),
        ("ATU57194903", "ATU57194903"),
        ("EL094259216", "EL094259216"),
        ("GR094259216", "EL094259216"),
        ("", ""),
    ],
)
def test_a_valid_vat_number_is_kept_compact(typed, stored):
    assert clean_vat_id(typed) == stored


def test_the_profile_form_refuses_a_wrong_check_digit():
    from customers.forms import ProfileForm

    form = ProfileForm(
        {"full_name": "Ann", "company_name": "Acme", "vat_id": "FR41303265045", "phone": ""}
    )
    assert not form.is_valid() and "vat_id" in form.errors


# Where a VAT number is typed, and what it means for checkout --------------------------------

PROFILES = "/admin/customers/customerprofile/"


def profile_post(profile, **overrides):
    data = {
        "group": profile.group_id,
        "company_name": profile.company_name,
        "vat_id": profile.vat_id,
        "phone": profile.phone,
        "payment_terms_days": profile.payment_terms_days,
        "credit_limit": profile.credit_limit,
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_a_manager_cannot_store_a_wrong_vat_number_in_the_profile_admin(manager_client, customer):
    """The profile admin stored any text as a VAT number (a wrong check digit included)."""
    profile = customer.profile
    response = manager_client.post(
        f"{PROFILES}{profile.pk}/change/",
        profile_post(profile, company_name="Acme", vat_id="FR41303265045"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "valid EU VAT number" in body and 'value="FR41303265045"' in body
    profile.refresh_from_db()
    assert profile.vat_id == ""

    response = manager_client.post(
        f"{PROFILES}{profile.pk}/change/",
        profile_post(profile, company_name="Acme", vat_id="fr 40 303 265 045"),
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.vat_id == "FR40303265045"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "stored",
    [
        pytest.param("FR41303265045", id="wrong check digit"),
        pytest.param("EU372000041", id="one-stop-shop number"),
    ],
)
def test_a_stored_number_that_is_not_a_valid_company_number_never_counts(customer, stored):
    from shop.tax import selectors, vat

    CustomerProfile.objects.filter(user=customer).update(company_name="Acme", vat_id=stored)
    assert selectors.vat_buyer(customer) == vat.CONSUMER
    assert selectors.vat_number_rejected(customer)


@pytest.mark.django_db
def test_a_number_vies_rejected_is_not_a_business_for_vat(customer):
    from shop.tax import selectors, vat

    CustomerProfile.objects.filter(user=customer).update(
        company_name="Müller GmbH", vat_id="DE136695976", vat_check_result="invalid"
    )
    assert selectors.vat_buyer(customer) == vat.CONSUMER
    assert selectors.vat_number_rejected(customer)
    CustomerProfile.objects.filter(user=customer).update(vat_check_result="unavailable")
    assert selectors.vat_buyer(customer) == vat.Buyer(vat_country="DE")
    assert not selectors.vat_number_rejected(customer)


# The online check (VIES), behind SHOP_VAT_VIES_CHECK ----------------------------------------

PROFILE = {
    "full_name": "Hans Müller",
    "company_name": "Müller GmbH",
    "vat_id": "de 136 695 976",
    "phone": "",
}


@pytest.fixture
def vies(monkeypatch, settings):
    """The VIES service, replaced: `answer` is what it returns, or an exception it raises."""
    settings.SHOP_VAT_VIES_CHECK = True
    calls = []
    state = {"answer": {"valid": True}}

    def check_vies(number, timeout=30, verify=True):
        calls.append((number, timeout))
        if isinstance(state["answer"], Exception):
            raise state["answer"]
        return state["answer"]

    monkeypatch.setattr("stdnum.eu.vat.check_vies", check_vies)
    state["calls"] = calls
    return state


@pytest.mark.django_db
def test_without_the_setting_no_online_check_is_made(customer_client, customer, vies, settings):
    settings.SHOP_VAT_VIES_CHECK = False
    customer_client.post("/accounts/profile/", PROFILE)
    customer.profile.refresh_from_db()
    assert vies["calls"] == [] and customer.profile.vat_id == "DE136695976"
    assert customer.profile.vat_check_result == "" and customer.profile.vat_checked_at is None


@pytest.mark.django_db
def test_the_profile_records_what_vies_answered(customer_client, customer, vies):
    response = customer_client.post("/accounts/profile/", PROFILE, follow=True)
    assert "Your details are saved." in response.content.decode()
    profile = CustomerProfile.objects.get(user=customer)
    assert vies["calls"] == [("DE136695976", 5.0)]
    assert profile.vat_check_result == "valid" and profile.vat_checked_at is not None

    # Saved again with the same number: not checked again.
    customer_client.post("/accounts/profile/", {**PROFILE, "phone": "+49 30 1234567"})
    assert len(vies["calls"]) == 1

    # A new number is checked; VIES does not know it.
    vies["answer"] = {"valid": False}
    response = customer_client.post(
        "/accounts/profile/", {**PROFILE, "vat_id": "FR40303265045"}, follow=True
    )
    body = response.content.decode()
    assert "does not list your VAT number as registered" in body
    profile.refresh_from_db()
    assert profile.vat_id == "FR40303265045" and profile.vat_check_result == "invalid"


@pytest.mark.django_db
def test_vies_down_never_fails_the_save(customer_client, customer, vies):
    vies["answer"] = ConnectionError("VIES is down")
    response = customer_client.post("/accounts/profile/", PROFILE, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your details are saved." in body and "could not be made just now" in body
    profile = CustomerProfile.objects.get(user=customer)
    assert profile.vat_id == "DE136695976" and profile.vat_check_result == "unavailable"
    # Unanswered numbers are checked again at the next save.
    vies["answer"] = {"valid": True}
    customer_client.post("/accounts/profile/", PROFILE)
    profile.refresh_from_db()
    assert profile.vat_check_result == "valid" and len(vies["calls"]) == 2


@pytest.mark.django_db
def test_an_application_records_the_check_and_the_approval_copies_it(
    customer_client, customer, wholesale, manager, vies
):
    from django.test import Client

    from customers import services
    from customers.models import WholesaleApplication

    application = {
        "company_name": "Müller GmbH",
        "vat_id": "DE136695976",
        "country": "DE",
        "phone": "+49 30 1234567",
        "monthly_volume": "1k-5k",
        "message": "",
    }
    customer_client.post("/wholesale/apply/", application)
    submitted = WholesaleApplication.objects.get()
    assert submitted.vat_check_result == "valid" and submitted.vat_checked_at is not None
    services.application_approve(application=submitted, decided_by=None, group=wholesale)
    profile = CustomerProfile.objects.get(user=customer)
    assert profile.vat_id == "DE136695976" and profile.vat_check_result == "valid"

    manager_client = Client()
    manager_client.force_login(manager)
    body = manager_client.get(f"{PROFILES}{profile.pk}/change/").content.decode()
    assert "online vat check (vies)" in body.lower() and "Valid (registered in VIES)" in body
