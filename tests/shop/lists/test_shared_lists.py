"""Saved lists shared with the owner's company: colleagues open them and order from them at
their own prices; only the owner changes them; leaving the company ends the sharing."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import Refusal
from shop.cart.lists import services
from shop.models import SavedList, SavedListLine
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    PriceRuleFactory,
    ProductFactory,
    SavedListFactory,
    SavedListLineFactory,
    UserFactory,
)
from tests.shop.conftest import messages_of

pytestmark = pytest.mark.django_db

LISTS = "/accounts/lists/"


@pytest.fixture
def bistro():
    return CompanyFactory(name="Bistro Lumière")


@pytest.fixture
def owner(bistro):
    return CompanyMemberFactory(
        company=bistro, user=UserFactory(full_name="Marie Curie", email="marie@example.com")
    ).user


@pytest.fixture
def colleague(bistro):
    return CompanyMemberFactory(company=bistro, user=UserFactory(full_name="Paul Chef")).user


@pytest.fixture
def pan():
    return ProductFactory(sku="PAN-1", name="Copper pan", base_price=Decimal("80.00"), stock=100)


@pytest.fixture
def shared_list(owner, bistro, pan):
    saved_list = SavedListFactory(owner=owner, name="Weekly pans", shared_with_company=bistro)
    SavedListLineFactory(saved_list=saved_list, product=pan, quantity=3, note="for the grill")
    return saved_list


def cart(client) -> dict[str, int]:
    return {r.line.product.sku: r.line.quantity for r in client.get("/cart/").context["page"].rows}


def test_the_owner_shares_a_list_and_stops_sharing_it(client, owner, bistro, pan):
    saved_list = SavedListFactory(owner=owner, name="Weekly pans")
    client.force_login(owner)
    page = client.get(f"{LISTS}{saved_list.pk}/").content.decode()
    assert "Share with my company" in page
    response = client.post(f"{LISTS}{saved_list.pk}/share/", {"shared": "1"}, follow=True)
    assert "Your colleagues can now see this list." in messages_of(response)
    saved_list.refresh_from_db()
    assert saved_list.shared_with_company == bistro
    assert "Stop sharing with my company" in response.content.decode()
    assert "shared with your company" in client.get(LISTS).content.decode()

    client.post(f"{LISTS}{saved_list.pk}/share/", {"shared": "0"})
    saved_list.refresh_from_db()
    assert saved_list.shared_with_company is None


def test_a_buyer_without_a_company_cannot_share(client):
    loner = UserFactory()
    saved_list = SavedListFactory(owner=loner)
    client.force_login(loner)
    assert "Share with my company" not in client.get(f"{LISTS}{saved_list.pk}/").content.decode()
    response = client.post(f"{LISTS}{saved_list.pk}/share/", {"shared": "1"}, follow=True)
    assert messages_of(response) == [
        "You do not buy for a company: there is nobody to share this list with."
    ]
    saved_list.refresh_from_db()
    assert saved_list.shared_with_company is None


def test_colleagues_see_shared_lists_in_their_own_section(client, owner, colleague, shared_list):
    SavedListFactory(owner=owner, name="Private list")
    SavedListFactory(owner=colleague, name="Paul's list")
    client.force_login(colleague)
    response = client.get(LISTS)
    assert [s.name for s in response.context["lists"]] == ["Paul's list"]
    assert [s.name for s in response.context["shared_lists"]] == ["Weekly pans"]
    body = response.content.decode()
    assert "Shared by colleagues" in body and "by Marie Curie" in body
    assert "Private list" not in body


def test_a_colleague_opens_the_list_at_their_own_prices(client, owner, colleague, shared_list, pan):
    PriceRuleFactory(customer=owner, product=pan, kind="fixed_price", value=Decimal("50.00"))
    PriceRuleFactory(customer=colleague, product=pan, kind="fixed_price", value=Decimal("70.00"))
    client.force_login(colleague)
    response = client.get(f"{LISTS}{shared_list.pk}/")
    assert response.status_code == 200
    assert response.context["page"].rows[0].priced.display_unit_price == Decimal("70.00")
    body = response.content.decode()
    assert "Shared by your colleague Marie Curie" in body
    assert "€50.00" not in body and "150.00" not in body
    assert f'action="{LISTS}{shared_list.pk}/update/"' not in body
    assert "Rename" not in body and "Delete" not in body and "Stop sharing" not in body
    assert "for the grill" in body


def test_a_colleague_adds_the_list_to_their_own_cart(client, owner, colleague, shared_list):
    client.force_login(colleague)
    response = client.post(f"{LISTS}{shared_list.pk}/to-cart/", {"scope": "all"})
    assert response.url == "/cart/"
    assert cart(client) == {"PAN-1": 3}
    client.force_login(owner)
    assert cart(client) == {}


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("update/", {}),
        ("rename/", {"name": "Mine now"}),
        ("delete/", {}),
        ("share/", {"shared": "0"}),
        ("import/", {}),
    ],
)
def test_only_the_owner_changes_a_shared_list(client, colleague, shared_list, path, data):
    client.force_login(colleague)
    assert client.post(f"{LISTS}{shared_list.pk}/{path}", data).status_code == 404
    assert client.get(f"{LISTS}{shared_list.pk}/rename/").status_code == 404
    shared_list.refresh_from_db()
    assert shared_list.name == "Weekly pans" and shared_list.shared_with_company is not None
    assert SavedListLine.objects.get(saved_list=shared_list).quantity == 3


def test_a_colleague_cannot_add_products_to_a_shared_list(client, colleague, shared_list, pan):
    client.force_login(colleague)
    response = client.post(
        f"{LISTS}add/", {"product": pan.pk, "quantity": 2, "saved_list": shared_list.pk}
    )
    assert response.status_code in (302, 404)
    assert SavedListLine.objects.get(saved_list=shared_list).quantity == 3


def test_other_companies_and_retail_shoppers_never_see_it(client, shared_list):
    rival = CompanyMemberFactory(company=CompanyFactory(name="Café Noir")).user
    for outsider in (rival, UserFactory()):
        client.force_login(outsider)
        assert client.get(f"{LISTS}{shared_list.pk}/").status_code == 404
        assert client.post(f"{LISTS}{shared_list.pk}/to-cart/", {"scope": "all"}).status_code == 404
        assert client.get(f"{LISTS}{shared_list.pk}/export/").status_code == 404
        assert client.get(LISTS).context["shared_lists"] == []


def test_an_unshared_list_stays_private_to_colleagues(client, owner, colleague):
    private = SavedListFactory(owner=owner)
    client.force_login(colleague)
    assert client.get(f"{LISTS}{private.pk}/").status_code == 404


def test_when_the_owner_leaves_the_company_the_list_is_no_longer_shared(
    client, owner, colleague, shared_list
):
    owner.company_membership.delete()
    client.force_login(colleague)
    assert client.get(f"{LISTS}{shared_list.pk}/").status_code == 404
    assert client.get(LISTS).context["shared_lists"] == []
    # Joining another company shares nothing with the new one either.
    newcomer_company = CompanyFactory(name="Café Noir")
    CompanyMemberFactory(company=newcomer_company, user=owner)
    new_colleague = CompanyMemberFactory(company=newcomer_company).user
    client.force_login(new_colleague)
    assert client.get(f"{LISTS}{shared_list.pk}/").status_code == 404
    client.force_login(owner)
    assert "Stop sharing" not in client.get(f"{LISTS}{shared_list.pk}/").content.decode()


def test_a_colleague_who_leaves_loses_the_shared_lists(client, colleague, shared_list):
    colleague.company_membership.delete()
    client.force_login(colleague)
    assert client.get(f"{LISTS}{shared_list.pk}/").status_code == 404


@pytest.mark.parametrize("sizes", [(3, 30)])
def test_shared_lists_cost_no_more_queries_with_more_lists(client, bistro, colleague, sizes):
    def grow_to(count):
        while SavedList.objects.exclude(owner=colleague).count() < count:
            member = CompanyMemberFactory(company=bistro).user
            SavedListFactory(owner=member, shared_with_company=bistro)
            SavedListFactory(owner=colleague)

    def queries(url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries), response

    client.force_login(colleague)
    small, large = sizes
    grow_to(small)
    few, _response = queries(LISTS)
    grow_to(large)
    many, response = queries(LISTS)
    assert len(response.context["shared_lists"]) == large
    assert len(response.context["lists"]) == large
    assert few == many, (few, many)
    print(f"lists index with shared lists: {few} queries at {small} and {large}")


@pytest.mark.parametrize("sizes", [(3, 30)])
def test_a_shared_list_page_costs_no_more_queries_with_more_lines(
    client, colleague, shared_list, sizes
):
    def grow_to(count):
        while shared_list.lines.count() < count:
            SavedListLineFactory(saved_list=shared_list, product=ProductFactory(), quantity=2)

    def queries(url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries), response

    client.force_login(colleague)
    url = f"{LISTS}{shared_list.pk}/"
    small, large = sizes
    grow_to(small)
    few, _response = queries(url)
    grow_to(large)
    many, response = queries(url)
    assert len(response.context["page"].rows) == large
    assert few == many, (few, many)
    print(f"shared list page for a colleague: {few} queries at {small} and {large}")


def test_the_share_service_refuses_anyone_but_the_owner(colleague, shared_list):
    with pytest.raises(Refusal, match="Only the list's owner"):
        services.saved_list_share(saved_list=shared_list, user=colleague, shared=False)
    shared_list.refresh_from_db()
    assert shared_list.shared_with_company is not None


def test_a_manager_sees_which_company_a_list_is_shared_with(client, manager, shared_list):
    listing = client.get("/admin/shop/savedlist/").content.decode()
    assert "Weekly pans" in listing and "Bistro Lumière" in listing
