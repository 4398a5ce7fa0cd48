"""Content and legal pages at /pages/<slug>/, their kept versions, the footer's links and the
seller's identity on every storefront page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.pages import services
from shop.pages.models import Page, PageVersion
from shop.seller.models import ShopDetails
from shop.seller.services import shop_details_save
from tests.factories import PageFactory, TermsPageFactory

pytestmark = pytest.mark.django_db


def test_a_published_page_shows_its_paragraphs_and_escapes_html(client):
    PageFactory(
        title="Privacy notice",
        slug="privacy",
        kind="privacy",
        body="We keep your orders.\n\nWe never sell data.\n<script>alert(1)</script>",
    )
    response = client.get("/pages/privacy/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="page-title">Privacy notice</h1>' in body
    assert "<p>We keep your orders.</p>" in body and "We never sell data.<br>" in body
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_unpublished_and_unknown_pages_are_not_found(client):
    PageFactory(slug="draft", is_published=False)
    assert client.get("/pages/draft/").status_code == 404
    assert client.get("/pages/nothing-here/").status_code == 404
    assert client.get("/pages/bad%00slug/").status_code == 404


def test_the_legal_notice_names_the_seller(client):
    shop_details_save(
        details=ShopDetails(
            legal_name="Comptoir SAS",
            legal_form="SAS au capital de 10 000 €",
            address_line1="12 rue de la République",
            postal_code="69002",
            city="Lyon",
            vat_id="FR65912345675",
            registration_number="RCS Lyon 912 345 675",
        )
    )
    PageFactory(title="Legal notice", slug="legal-notice", kind="legal_notice", body="Host: X.")
    body = client.get("/pages/legal-notice/").content.decode()
    assert "SAS au capital de 10 000 €" in body and "RCS Lyon 912 345 675" in body


def page_view_queries(client, slug) -> int:
    client.get(f"/pages/{slug}/")  # warm the caches (footer)
    with CaptureQueriesContext(connection) as context:
        assert client.get(f"/pages/{slug}/").status_code == 200
    return len(context.captured_queries)


def test_page_views_make_the_same_few_queries_however_many_pages_and_versions(client):
    page = PageFactory(slug="about")
    PageFactory.create_batch(2)
    small = page_view_queries(client, "about")
    PageFactory.create_batch(20)
    for number in range(10):
        page.body = f"Edited {number}"
        services.page_save(page=page)
    large = page_view_queries(client, "about")
    assert small == large <= 4  # the page, and the category menu of every page (3)


def test_the_footer_links_published_pages_and_names_the_seller(client):
    shop_details_save(
        details=ShopDetails(
            legal_name="Comptoir SAS",
            address_line1="12 rue de la République",
            postal_code="69002",
            city="Lyon",
            email="hello@comptoir.example",
            phone="+33 4 72 00 00 00",
            vat_id="FR65912345675",
        )
    )
    TermsPageFactory()
    PageFactory(title="Secret draft", slug="secret-draft", is_published=False)
    body = client.get("/").content.decode()
    footer = body[body.index('<footer class="site-footer">') :]
    assert '<a href="/pages/terms-of-sale/">Terms of sale</a>' in footer
    assert "Secret draft" not in footer
    for text in (
        "Comptoir SAS",
        "12 rue de la République",
        "69002 Lyon",
        "hello@comptoir.example",
        "+33 4 72 00 00 00",
        "FR65912345675",
    ):
        assert text in footer, text


def test_the_footer_reads_no_page_table_once_warm_and_follows_every_save(client):
    page = TermsPageFactory()
    client.get("/")
    with CaptureQueriesContext(connection) as context:
        client.get("/")
    assert not [q for q in context.captured_queries if "shop_page" in q["sql"]]

    page.title = "General terms of sale"
    services.page_save(page=page)
    assert "General terms of sale" in client.get("/").content.decode()
    page.is_published = False
    services.page_save(page=page)
    assert "General terms of sale" not in client.get("/").content.decode()
    services.pages_delete(pages=Page.objects.all())
    assert "/pages/" not in client.get("/").content.decode()


def test_each_published_text_is_a_new_kept_version():
    page = TermsPageFactory(body="Version one.")
    assert page.version == 1
    assert list(page.versions.values_list("number", "body")) == [(1, "Version one.")]

    page.position = 3
    page.is_published = False
    services.page_save(page=page)
    assert page.version == 1  # neither title nor text changed

    page.body = "Version two, a draft."
    services.page_save(page=page)
    page.body = "Version three."
    services.page_save(page=page)
    assert page.version == 3
    assert page.versions.count() == 1  # drafts are not kept: no buyer saw them

    page.is_published = True
    services.page_save(page=page)
    assert list(page.versions.order_by("number").values_list("number", "body")) == [
        (1, "Version one."),
        (3, "Version three."),
    ]
    assert PageVersion.objects.get(page=page, number=1).body == "Version one."
