"""The shop details in the admin: one row, managers edit all but the bank details, the
storefront shows a save at once."""

import pytest

from shop.seller.models import ShopDetails
from shop.seller.selectors import shop_details
from shop.seller.services import shop_details_save
from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/shop/shopdetails/1/change/"
IBAN = "FR7630006000011234567890189"


@pytest.fixture
def details(db):
    return shop_details_save(
        details=ShopDetails(
            legal_name="Comptoir SAS",
            address_line1="12 rue de la République",
            postal_code="69002",
            city="Lyon",
            iban=IBAN,
            bic="AGRIFRPP",
            bank_name="Crédit Agricole",
        )
    )


def form(**changes):
    data = {
        "legal_name": "Comptoir SAS",
        "legal_form": "",
        "registration_number": "",
        "vat_id": "",
        "address_line1": "12 rue de la République",
        "address_line2": "",
        "postal_code": "69002",
        "city": "Lyon",
        "email": "",
        "phone": "",
        "invoice_notes": "",
    }
    data.update(changes)
    return data


def test_the_list_opens_the_single_row(client, manager, details):
    response = client.get("/admin/shop/shopdetails/")
    assert response.status_code == 302 and response.url == URL


def test_the_list_opens_the_form_to_create_it_when_missing(client, manager):
    response = client.get("/admin/shop/shopdetails/")
    assert response.url == "/admin/shop/shopdetails/add/"
    assert client.get(response.url).status_code == 200


def test_a_manager_edits_the_details_but_cannot_touch_the_bank_fields(client, manager, details):
    page = client.get(URL).content.decode()
    assert 'name="legal_name"' in page and 'name="iban"' not in page and IBAN in page

    response = client.post(
        URL,
        form(legal_name="Comptoir Lyon SAS", iban="FR1420041010050500013M02606", bic="BNPAFRPP"),
    )
    assert response.status_code == 302
    saved = ShopDetails.objects.get()
    assert saved.legal_name == "Comptoir Lyon SAS"
    assert (saved.iban, saved.bic) == (IBAN, "AGRIFRPP")


def test_a_superuser_changes_the_bank_details_typed_with_spaces(client, details):
    client.force_login(StaffUserFactory(is_superuser=True))
    assert 'name="iban"' in client.get(URL).content.decode()
    response = client.post(
        URL,
        form(
            iban="fr14 2004 1010 0505 0001 3m02 606",
            bic="psst frpp par",
            bank_name="La Banque Postale",
            vat_id="fr 65 912345675",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = ShopDetails.objects.get()
    assert (saved.iban, saved.bic, saved.vat_id) == (
        "FR1420041010050500013M02606",
        "PSSTFRPPPAR",
        "FR65912345675",
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("iban", "FR7630006000011234567890188", "This IBAN is not valid"),
        ("bic", "AGRI", "This BIC is not valid"),
        ("vat_id", "FR00912345675", "This VAT number is not valid"),
    ],
)
def test_mistyped_numbers_are_refused_and_kept(client, details, field, value, message):
    client.force_login(StaffUserFactory(is_superuser=True))
    response = client.post(URL, form(**{"iban": IBAN, "bic": "AGRIFRPP", field: value}))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and value in body
    assert getattr(ShopDetails.objects.get(), field) != value


def test_saving_in_the_admin_updates_the_footer_at_once(client, manager, details):
    assert "Comptoir SAS" in client.get("/").content.decode()
    assert shop_details().legal_name == "Comptoir SAS"  # cached
    client.post(URL, form(legal_name="Comptoir Lyon SAS", email="hello@comptoir.example"))
    body = client.get("/").content.decode()
    footer = body[body.index('<footer class="site-footer">') :]
    assert "Comptoir Lyon SAS" in footer and "hello@comptoir.example" in footer


def test_nobody_deletes_the_details(client, details):
    client.force_login(StaffUserFactory(is_superuser=True))
    assert client.post("/admin/shop/shopdetails/1/delete/", {"post": "yes"}).status_code == 403
    assert ShopDetails.objects.exists()
