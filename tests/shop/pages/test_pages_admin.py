"""Managers write the pages in the admin; the kept versions are read only."""

import pytest

from shop.pages.models import Page, PageVersion
from tests.factories import PageFactory, TermsPageFactory

pytestmark = pytest.mark.django_db


def footer(client) -> str:
    body = client.get("/").content.decode()
    return body[body.index('<footer class="site-footer">') :]


def page_form(**changes):
    data = {
        "title": "Terms of sale",
        "slug": "terms-of-sale",
        "kind": "terms",
        "is_published": "on",
        "position": "0",
        "body": "Our terms.",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    # The admin edits every language: the English title and text are the required ones.
    for field in ("title", "body"):
        data.setdefault(f"{field}_en", data.pop(field))
    return {key: value for key, value in data.items() if value is not None}


def test_a_manager_writes_and_edits_a_page_and_each_text_is_kept(client, manager):
    response = client.post("/admin/shop/page/add/", page_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    page = Page.objects.get()
    assert page.version == 1 and client.get("/pages/terms-of-sale/").status_code == 200

    client.post(
        f"/admin/shop/page/{page.pk}/change/",
        page_form(
            **{"body": "New terms.", "versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "1"}
        ),
    )
    page.refresh_from_db()
    assert page.version == 2
    assert list(page.versions.order_by("number").values_list("body", flat=True)) == [
        "Our terms.",
        "New terms.",
    ]
    assert "New terms." in client.get("/pages/terms-of-sale/").content.decode()


def test_a_second_published_terms_page_is_refused_with_a_message(client, manager):
    TermsPageFactory()
    response = client.post(
        "/admin/shop/page/add/", page_form(slug="other-terms", title="Other terms")
    )
    assert response.status_code == 200
    assert "Another published page already has this kind" in response.content.decode()
    assert Page.objects.count() == 1


def test_kept_versions_are_read_only_for_managers(client, manager):
    version = TermsPageFactory().versions.get()
    url = f"/admin/shop/pageversion/{version.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200 and 'name="_save"' not in response.content.decode()
    client.post(url, {"title": "Changed", "body": "Changed"})
    version.refresh_from_db()
    assert version.body == TermsPageFactory._meta.declarations["body"]
    assert client.post(f"/admin/shop/pageversion/{version.pk}/delete/").status_code == 403


def test_published_pages_are_unpublished_not_deleted_and_drafts_can_go(client, manager):
    page = PageFactory(title="About us", slug="about-us")
    draft = PageFactory(title="Draft", slug="draft", is_published=False)
    assert "About us" in footer(client)
    assert client.get(f"/admin/shop/page/{page.pk}/delete/").status_code == 403
    response = client.post(
        f"/admin/shop/page/{page.pk}/change/",
        page_form(
            title="About us",
            slug="about-us",
            kind="other",
            body=page.body,
            is_published=None,
            **{"versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "1"},
        ),
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert "About us" not in footer(client)
    assert PageVersion.objects.filter(page=page).count() == 1

    client.post(
        "/admin/shop/page/",
        {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"},
    )
    assert list(Page.objects.all()) == [page]


def test_managers_are_warned_while_no_terms_of_sale_are_published(client, manager):
    warning = "No terms of sale are published"
    assert warning in client.get("/admin/shop/page/").content.decode()
    assert warning in client.get("/admin/shop/shopdetails/", follow=True).content.decode()
    TermsPageFactory()
    assert warning not in client.get("/admin/shop/page/").content.decode()
