"""Account erasure: a customer's personal data goes, their orders and invoices stay."""

import re
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.sessions.models import Session
from django.test import Client

from core.errors import Refusal
from customers.models import CustomerProfile, User, WholesaleApplication
from shop.addresses.models import Address
from shop.cart.models import Cart, CartLine
from shop.erasure import account_erase
from shop.orders.models import Order
from tests.factories import (
    DEFAULT_PASSWORD,
    AddressFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    StaffUserFactory,
    UserFactory,
    WholesaleApplicationFactory,
)

pytestmark = pytest.mark.django_db

EMAIL = "erin.erased@example.com"
NAME = "Erin Erasmus"
PHONE = "+33 6 12 34 56 78"
COMPANY = "Erasmus Outils SARL"
VAT_ID = "FR40303265045"

PROFILES = "/admin/customers/customerprofile/"


@pytest.fixture
def person(retail):
    user = UserFactory(email=EMAIL, full_name=NAME)
    CustomerProfile.objects.filter(user=user).update(
        company_name=COMPANY, vat_id=VAT_ID, phone=PHONE
    )
    AddressFactory(user=user, full_name=NAME, phone=PHONE)
    cart = Cart.objects.create(user=user)
    CartLine.objects.create(cart=cart, product=ProductFactory(), quantity=2)
    order = OrderFactory(user=user, company_name=COMPANY, vat_id=VAT_ID, total=Decimal("36.00"))
    OrderLineFactory(order=order)
    WholesaleApplicationFactory(
        user=user, company_name=COMPANY, vat_id=VAT_ID, phone=PHONE, message=f"Call {NAME}"
    )
    return user


def customers_tables_text() -> str:
    """Everything the customers tables hold, as one string."""
    rows = [
        *User.objects.values_list("email", "full_name"),
        *CustomerProfile.objects.values_list("company_name", "vat_id", "phone"),
        *WholesaleApplication.objects.values_list(
            "company_name", "vat_id", "phone", "message", "rejection_reason"
        ),
    ]
    return " ".join(str(value) for row in rows for value in row)


def erase(user, commit):
    with commit():
        return account_erase(user=user)


# The service --------------------------------------------------------------------------------


def test_erasure_removes_the_personal_data_from_the_customers_tables(person, commit):
    erase(person, commit)
    text = customers_tables_text().lower()
    for value in (EMAIL, NAME, PHONE, COMPANY, VAT_ID):
        assert value.lower() not in text
    person.refresh_from_db()
    assert person.email == f"erased-{person.pk}@erased.invalid"
    assert person.full_name == ""
    assert not person.is_active and not person.has_usable_password()


def test_erasure_deletes_the_address_book_the_cart_and_the_pending_application(person, commit):
    erase(person, commit)
    assert not Address.objects.filter(user=person).exists()
    assert not Cart.objects.filter(user=person).exists()
    assert not CartLine.objects.filter(cart__user=person).exists()
    assert not WholesaleApplication.objects.filter(user=person).exists()


def test_a_decided_application_keeps_only_its_decision(person, commit, wholesale):
    application = WholesaleApplication.objects.get(user=person)
    application.status = WholesaleApplication.Status.REJECTED
    application.rejection_reason = f"Sorry {NAME}"
    application.save()
    erase(person, commit)
    application.refresh_from_db()
    assert application.status == WholesaleApplication.Status.REJECTED
    assert (application.company_name, application.vat_id, application.phone) == ("", "", "")
    assert application.rejection_reason == "" and application.message == ""


def test_orders_are_kept_with_their_snapshots_and_totals(person, commit):
    before = list(Order.objects.filter(user=person).values())
    erase(person, commit)
    after = list(Order.objects.filter(user=person).values())
    assert after == before
    assert after[0]["total"] == Decimal("36.00") and after[0]["email"] == EMAIL
    assert Order.objects.get().lines.count() == 1


def test_the_erased_customer_cannot_log_in(person, commit, client):
    erase(person, commit)
    response = client.post("/accounts/login/", {"username": EMAIL, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_the_customers_sessions_end_and_are_deleted(person, commit):
    elsewhere, other = Client(), Client()
    elsewhere.force_login(person)
    other.force_login(UserFactory())
    assert elsewhere.get("/accounts/").status_code == 200
    erase(person, commit)
    assert elsewhere.get("/accounts/").status_code == 302  # back to the log-in page
    assert other.get("/accounts/").status_code == 200
    owners = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(person.pk) not in owners


def test_log_in_records_of_the_address_go(person, commit):
    AccessAttempt.objects.create(
        username=EMAIL, ip_address="203.0.113.5", user_agent="x", failures_since_start=1
    )
    AccessLog.objects.create(username=EMAIL, ip_address="203.0.113.5", user_agent="x")
    AccessLog.objects.create(username="keep@example.com", ip_address="203.0.113.5")
    erase(person, commit)
    assert not AccessAttempt.objects.filter(username=EMAIL).exists()
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["keep@example.com"]


def test_other_customers_are_left_alone(person, commit):
    other = UserFactory(email="olga@example.com", full_name="Olga Other")
    AddressFactory(user=other)
    erase(person, commit)
    other.refresh_from_db()
    assert other.email == "olga@example.com" and other.is_active
    assert Address.objects.filter(user=other).count() == 1


@pytest.mark.parametrize("flags", [{"is_staff": True}, {"is_staff": True, "is_superuser": True}])
def test_staff_and_superuser_accounts_are_refused(retail, flags):
    user = StaffUserFactory(email="staff@example.com", **flags)
    with pytest.raises(Refusal):
        account_erase(user=user)
    user.refresh_from_db()
    assert user.email == "staff@example.com" and user.is_active


def test_erasing_twice_changes_nothing_more(person, commit):
    erase(person, commit)
    erase(User.objects.get(pk=person.pk), commit)
    assert User.objects.get(pk=person.pk).email == f"erased-{person.pk}@erased.invalid"


# The customer's own page --------------------------------------------------------------------

ERASE_PAGE = "/accounts/delete/"


@pytest.fixture
def person_client(client, person):
    client.force_login(person)
    return client


def test_the_account_page_links_to_the_erasure_page(person_client):
    assert f'href="{ERASE_PAGE}"' in person_client.get("/accounts/").content.decode()


def test_the_erasure_page_has_labelled_fields_and_a_csrf_token(person_client):
    page = person_client.get(ERASE_PAGE)
    body = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert '<label for="id_password">Your password' in body
    assert '<label for="id_confirm">' in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert "<script" not in body.split("<main", 1)[-1].split("</main>", 1)[0]


def test_a_wrong_password_is_a_form_error_and_erases_nothing(person_client, person):
    response = person_client.post(ERASE_PAGE, {"confirm": "on", "password": "not-my-password"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in body and "This is not your password" in body
    assert re.search(r'<input type="checkbox" name="confirm"[^>]* checked', body)  # still ticked
    person.refresh_from_db()
    assert person.email == EMAIL and person.is_active
    assert person_client.get("/accounts/").status_code == 200  # still logged in


def test_the_confirmation_box_is_required(person_client, person):
    response = person_client.post(ERASE_PAGE, {"password": DEFAULT_PASSWORD})
    body = response.content.decode()
    assert response.status_code == 200 and 'id="id_confirm_error"' in body
    assert "Tick this box" in body
    person.refresh_from_db()
    assert person.is_active


def test_the_right_password_erases_the_account_and_logs_out(person_client, person, commit):
    with commit():
        response = person_client.post(ERASE_PAGE, {"confirm": "on", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/deleted/"
    page = person_client.get("/accounts/deleted/")
    assert page.status_code == 200 and "Your account is deleted" in page.content.decode()
    assert "_auth_user_id" not in person_client.session
    assert person_client.get("/accounts/").status_code == 302
    person.refresh_from_db()
    assert not person.is_active and person.email != EMAIL
    assert Order.objects.filter(user=person).count() == 1


def test_the_erasure_needs_a_log_in_and_the_csrf_token(person):
    guest = Client()
    response = guest.post(ERASE_PAGE, {"confirm": "on", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(person)
    response = checked.post(ERASE_PAGE, {"confirm": "on", "password": DEFAULT_PASSWORD})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.is_active and person.email == EMAIL


def test_another_customer_erases_only_their_own_account(client, person, commit):
    other = UserFactory(email="olga@example.com")
    client.force_login(other)
    with commit():
        client.post(ERASE_PAGE, {"confirm": "on", "password": DEFAULT_PASSWORD})
    person.refresh_from_db()
    other.refresh_from_db()
    assert person.is_active and person.email == EMAIL
    assert not other.is_active


def test_a_staff_account_is_refused_on_its_own_page(client, retail):
    staff = StaffUserFactory(email="staff@example.com")
    client.force_login(staff)
    response = client.post(ERASE_PAGE, {"confirm": "on", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert "Staff and superuser accounts cannot be erased" in response.content.decode()
    staff.refresh_from_db()
    assert staff.is_active


# The admin ----------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, retail):
    client.force_login(StaffUserFactory(email="root@example.com", is_superuser=True))
    return client


def erase_page(profile):
    return f"{PROFILES}{profile.pk}/erase/"


def test_a_superuser_erases_a_customer_from_their_page(superuser_client, person, commit):
    profile = person.profile
    page = superuser_client.get(f"{PROFILES}{profile.pk}/change/").content.decode()
    assert f'href="{erase_page(profile)}"' in page
    confirm = superuser_client.get(erase_page(profile))
    assert confirm.status_code == 200 and EMAIL in confirm.content.decode()
    person.refresh_from_db()
    assert person.is_active  # the confirmation page changes nothing
    with commit():
        response = superuser_client.post(erase_page(profile), {"apply": "Erase"})
    assert response.status_code == 302
    assert response["Location"] == f"{PROFILES}{profile.pk}/change/"
    person.refresh_from_db()
    assert not person.is_active and person.email == f"erased-{person.pk}@erased.invalid"
    assert superuser_client.get(response["Location"]).status_code == 200


def test_a_superuser_erases_customers_with_the_action(superuser_client, person, commit):
    other = UserFactory(email="olga@example.com")
    data = {"action": "erase_customers", ACTION_CHECKBOX_NAME: [person.profile.pk]}
    confirm = superuser_client.post(PROFILES, data)
    assert confirm.status_code == 200 and EMAIL in confirm.content.decode()
    with commit():
        response = superuser_client.post(PROFILES, {**data, "apply": "Erase"})
    assert response.status_code == 302
    person.refresh_from_db()
    other.refresh_from_db()
    assert not person.is_active and other.is_active


def test_the_admin_delete_page_leads_superusers_to_the_erasure(superuser_client, person):
    response = superuser_client.get(f"{PROFILES}{person.profile.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == erase_page(person.profile)


def test_staff_accounts_are_not_erased_from_the_admin(superuser_client, retail):
    staff = StaffUserFactory(email="staff@example.com")
    page = superuser_client.get(f"{PROFILES}{staff.profile.pk}/change/").content.decode()
    assert erase_page(staff.profile) not in page
    superuser_client.post(erase_page(staff.profile), {"apply": "Erase"})
    data = {"action": "erase_customers", ACTION_CHECKBOX_NAME: [staff.profile.pk], "apply": "1"}
    superuser_client.post(PROFILES, data)
    staff.refresh_from_db()
    assert staff.is_active and staff.email == "staff@example.com"


def test_a_manager_cannot_erase(manager_client, person):
    profile = person.profile
    page = manager_client.get(f"{PROFILES}{profile.pk}/change/").content.decode()
    assert erase_page(profile) not in page
    assert "erase_customers" not in manager_client.get(PROFILES).content.decode()
    assert manager_client.get(erase_page(profile)).status_code == 403
    assert manager_client.post(erase_page(profile), {"apply": "Erase"}).status_code == 403
    data = {"action": "erase_customers", ACTION_CHECKBOX_NAME: [profile.pk], "apply": "1"}
    manager_client.post(PROFILES, data)
    assert manager_client.get(f"{PROFILES}{profile.pk}/delete/").status_code == 403
    person.refresh_from_db()
    assert person.is_active and person.email == EMAIL


def test_the_order_page_of_an_erased_customer_still_opens(superuser_client, person, commit):
    order = Order.objects.get(user=person)
    erase(person, commit)
    response = superuser_client.get(f"/admin/shop/order/{order.pk}/change/")
    assert response.status_code == 200
    assert order.number in response.content.decode()
    assert superuser_client.get("/admin/shop/order/").status_code == 200


def test_an_erased_customers_page_offers_no_second_erasure(superuser_client, person, commit):
    erase(person, commit)
    page = superuser_client.get(f"{PROFILES}{person.profile.pk}/change/").content.decode()
    assert erase_page(person.profile) not in page


def test_the_accounts_admin_leads_to_the_erasure_instead_of_deleting(superuser_client, person):
    accounts = "/admin/customers/user/"
    page = superuser_client.get(f"{accounts}{person.pk}/change/").content.decode()
    assert f"{accounts}{person.pk}/delete/" not in page
    response = superuser_client.get(f"{accounts}{person.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == erase_page(person.profile)
    superuser_client.post(f"{accounts}{person.pk}/delete/", {"post": "yes"})
    assert "delete_selected" not in superuser_client.get(accounts).content.decode()
    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [person.pk], "post": "yes"}
    superuser_client.post(accounts, data)
    assert User.objects.filter(pk=person.pk, is_active=True).exists()
