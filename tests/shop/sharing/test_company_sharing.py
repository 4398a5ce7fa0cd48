"""A cart shared inside a company: a colleague sees the company's negotiated price because it
is theirs too; anyone else sees their own price, never the sharer's; and the page names the
sharer only by the first name they chose to give."""

from decimal import Decimal

import pytest
from django.test import Client

from pricing.models import PriceRule
from tests.factories import (
    AddressFactory,
    CompanyFactory,
    CompanyMemberFactory,
    ProductFactory,
    UserFactory,
)
from tests.shop.conftest import add
from tests.shop.sharing.conftest import share

pytestmark = pytest.mark.django_db


@pytest.fixture
def bistro_pan():
    bistro = CompanyFactory(name="Bistro Lumière")
    pan = ProductFactory(sku="PAN-1", name="Copper pan", base_price=Decimal("80.00"), stock=100)
    PriceRule.objects.create(
        name="Bistro pans", company=bistro, product=pan, kind="fixed_price", value="61.00"
    )
    sharer = CompanyMemberFactory(
        company=bistro,
        user=UserFactory(full_name="Marie Curie", email="marie.curie@example.com"),
    ).user
    AddressFactory(user=sharer, full_name="Marie Curie", line1="12 rue Secrète", city="Lyon")
    return bistro, pan, sharer


def shared_path(sharer, product, **data) -> str:
    client = Client()
    client.force_login(sharer)
    add(client, product, 2)
    return share(client, **data)


def page_for(user, path) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_colleague_sees_the_companys_negotiated_price(bistro_pan):
    bistro, pan, sharer = bistro_pan
    colleague = CompanyMemberFactory(company=bistro).user
    body = page_for(colleague, shared_path(sharer, pan))
    assert "€61.00" in body and "€122.00" in body
    assert "€80.00" not in body


@pytest.mark.parametrize("who", ["rival", "retail", "guest"])
def test_anyone_else_sees_their_own_price_never_the_sharers(bistro_pan, who):
    _bistro, pan, sharer = bistro_pan
    rival_company = CompanyFactory(name="Café Noir")
    PriceRule.objects.create(
        name="Noir pans", company=rival_company, product=pan, kind="fixed_price", value="65.00"
    )
    recipient = {
        "rival": lambda: CompanyMemberFactory(company=rival_company).user,
        "retail": UserFactory,
        "guest": lambda: None,
    }[who]()
    body = page_for(recipient, shared_path(sharer, pan))
    assert "€61.00" not in body and "€122.00" not in body
    expected = "€65.00" if who == "rival" else "€80.00"
    assert expected in body


def test_a_colleague_who_adds_the_lines_pays_the_company_price_in_their_cart(bistro_pan):
    bistro, pan, sharer = bistro_pan
    colleague = CompanyMemberFactory(company=bistro).user
    path = shared_path(sharer, pan)
    client = Client()
    client.force_login(colleague)
    client.post(path.rstrip("/") + "/add/")
    (row,) = client.get("/cart/").context["page"].rows
    assert row.line.quantity == 2
    assert row.priced.quote.unit_price == Decimal("61.00")


@pytest.mark.parametrize("recipient_kind", ["colleague", "guest"])
def test_the_page_names_the_sharer_by_first_name_only(bistro_pan, recipient_kind):
    bistro, pan, sharer = bistro_pan
    recipient = CompanyMemberFactory(company=bistro).user if recipient_kind == "colleague" else None
    body = page_for(recipient, shared_path(sharer, pan, first_name="Marie"))
    assert "Marie shared a cart with you" in body
    for private in ("Curie", "marie.curie@example.com", "12 rue Secrète", "Lyon"):
        assert private not in body, private


def test_without_a_first_name_the_page_names_nobody(bistro_pan):
    bistro, pan, sharer = bistro_pan
    body = page_for(CompanyMemberFactory(company=bistro).user, shared_path(sharer, pan))
    assert "A cart shared with you" in body
    for private in ("Marie", "Curie", "marie.curie@example.com", "12 rue Secrète"):
        assert private not in body, private
