"""Account erasure: a customer's personal data goes, their orders and invoices stay."""

from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.test import Client

from core.errors import Refusal
from customers import services
from customers.models import CustomerProfile, User, WholesaleApplication
from shop.addresses.models import Address
from shop.cart.models import Cart, CartLine
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
        return services.customer_erase(user=user)


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
        services.customer_erase(user=user)
    user.refresh_from_db()
    assert user.email == "staff@example.com" and user.is_active


def test_erasing_twice_changes_nothing_more(person, commit):
    erase(person, commit)
    erase(User.objects.get(pk=person.pk), commit)
    assert User.objects.get(pk=person.pk).email == f"erased-{person.pk}@erased.invalid"
