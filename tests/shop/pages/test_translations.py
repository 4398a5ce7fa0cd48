"""Pages in English, French and Arabic: each reader sees their language, else the English text
(marked as English); kept versions hold every language, so accepted terms stay readable in the
language the buyer read them."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from shop.pages import services
from shop.pages.admin import accepted_terms
from shop.pages.models import Page, PageVersion
from tests.factories import OrderFactory, PageFactory, TermsPageFactory
from tests.shop.conftest import add, go_to_review

pytestmark = pytest.mark.django_db

TITLES = {"en": "Terms of sale", "fr": "Conditions générales de vente", "ar": "الشروط العامة للبيع"}
BODIES = {"en": "Prices include VAT.", "fr": "Les prix sont TTC.", "ar": "الأسعار شاملة الضريبة."}


def read_in(client, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def footer(body: str) -> str:
    return body[body.index('<footer class="site-footer">') :]


@pytest.fixture
def terms():
    return TermsPageFactory(
        **{f"title_{code}": title for code, title in TITLES.items()},
        **{f"body_{code}": body for code, body in BODIES.items()},
    )


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_page_and_the_footer_show_the_readers_language(client, terms, language):
    body = read_in(client, language).get("/pages/terms-of-sale/").content.decode()
    assert f'<h1 id="page-title">{TITLES[language]}</h1>' in body
    assert f'<div class="prose"><p>{BODIES[language]}</p></div>' in body
    assert f'<a href="/pages/terms-of-sale/" aria-current="page">{TITLES[language]}</a>' in footer(
        body
    )
    for other in set(TITLES) - {language}:
        assert TITLES[other] not in body and BODIES[other] not in body


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_missing_translation_falls_back_to_english_marked_as_english(client, language):
    PageFactory(
        slug="about", title_en="About us", body_en="We sell pans.", title_fr="", body_fr=None
    )
    body = read_in(client, language).get("/pages/about/").content.decode()
    assert '<h1 id="page-title" lang="en" dir="ltr">About us</h1>' in body
    assert '<div class="prose" lang="en" dir="ltr"><p>We sell pans.</p></div>' in body
    assert '<a href="/pages/about/" aria-current="page" lang="en">About us</a>' in footer(body)


def test_a_french_title_with_an_english_text_marks_only_the_text(client):
    PageFactory(slug="about", title_en="About us", title_fr="À propos", body_en="We sell pans.")
    body = read_in(client, "fr").get("/pages/about/").content.decode()
    assert '<h1 id="page-title">À propos</h1>' in body
    assert '<div class="prose" lang="en" dir="ltr">' in body


def test_the_footer_follows_each_readers_language_from_one_cached_list(client, terms):
    read_in(client, "en").get("/")
    for language in ("fr", "ar", "en"):
        with CaptureQueriesContext(connection) as context:
            body = read_in(client, language).get("/").content.decode()
        assert f">{TITLES[language]}</a>" in footer(body)
        assert not [query for query in context.captured_queries if "shop_page" in query["sql"]]


LABELS = {
    "fr": "J'ai lu et j'accepte les <a href=\"/pages/terms-of-sale/\">conditions générales de",
    "ar": 'لقد قرأت <a href="/pages/terms-of-sale/">شروط البيع</a> وأوافق عليها.',
}


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_checkout_asks_to_accept_the_terms_in_the_readers_language(
    client, terms, shop_products, standard_shipping, language
):
    add(read_in(client, language), shop_products[0], 1)
    review, _key, _total = go_to_review(client, shipping_method=standard_shipping)
    body = review.content.decode()
    assert LABELS[language] in body and "I have read and accept" not in body
    assert f'<a href="/pages/terms-of-sale/">{TITLES[language]}</a>' in footer(body)


def test_a_version_published_in_three_languages_reads_back_in_each(terms):
    version = terms.versions.get()
    for language in ("en", "fr", "ar"):
        with translation.override(language):
            version = PageVersion.objects.get(pk=version.pk)
            assert (version.title, version.body) == (TITLES[language], BODIES[language])
    with translation.override("fr"):
        terms.body = "Les prix s'entendent toutes taxes comprises."  # the French text only
        services.page_save(page=terms)
    assert terms.version == 2
    first, second = terms.versions.order_by("number")
    assert (first.body_fr, first.body_en) == (BODIES["fr"], BODIES["en"])
    assert (second.body_fr, second.body_en, second.title_ar) == (
        "Les prix s'entendent toutes taxes comprises.",
        BODIES["en"],
        TITLES["ar"],
    )


def test_a_new_arabic_text_is_a_new_version_and_unchanged_languages_are_not():
    page = TermsPageFactory(body_en="Our terms.")
    page.title_ar = ""  # empty as before (missing)
    services.page_save(page=page)
    assert page.version == 1
    page.body_ar = "شروطنا."
    services.page_save(page=page)
    assert page.version == 2
    with translation.override("ar"):
        assert PageVersion.objects.get(page=page, number=2).body == "شروطنا."
        assert PageVersion.objects.get(page=page, number=1).body == "Our terms."  # fallback


def test_the_orders_accepted_terms_are_titled_in_the_managers_language(terms):
    version = terms.versions.get()
    order = OrderFactory(terms_version=version, terms_accepted_at=version.published_at)
    order.language = "ar"
    with translation.override("en"):
        shown = accepted_terms(order)
        assert f">{TITLES['en']}, version 1</a>" in shown and "read in Arabic" in shown
    with translation.override("fr"):
        assert f">{TITLES['fr']}, version 1</a>" in accepted_terms(order)


def test_the_admin_edits_and_shows_the_three_languages(client, manager, terms):
    body = client.get(f"/admin/shop/page/{terms.pk}/change/").content.decode()
    for field in ("title_en", "title_fr", "title_ar", "body_en", "body_fr", "body_ar"):
        assert f'name="{field}"' in body
    assert 'name="title"' not in body
    assert re.search(r'<textarea name="body_ar"[^>]* lang="ar" dir="rtl"', body)
    assert re.search(r'<input type="text" name="title_fr"[^>]* lang="fr" dir="ltr"', body)
    assert "ajax.googleapis.com" not in body  # no CDN script: the CSP forbids it
    version = terms.versions.get()
    kept = client.get(f"/admin/shop/pageversion/{version.pk}/change/").content.decode()
    for text in (*TITLES.values(), *BODIES.values()):
        assert text in kept
    found = client.get("/admin/shop/page/", {"q": "الشروط"}).context["cl"].result_list
    assert list(found) == [terms]


def test_the_admin_requires_the_english_title_and_text(client, manager):
    response = client.post(
        "/admin/shop/page/add/",
        {"title_fr": "CGV", "body_fr": "Nos conditions.", "slug": "cgv", "kind": "other",
         "position": "0", "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"title_en", "body_en"}
    assert 'value="CGV"' in response.content.decode()  # what was typed is kept
    assert not Page.objects.exists()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_existing_texts_and_versions_as_the_english_ones():
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("shop", "0027_catalogue_translations")], [("shop", "0028_page_translations")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    page = old.get_model("shop", "Page").objects.create(
        slug="old-terms", title="Old terms", body="Old text.", kind="terms", version=1
    )
    old.get_model("shop", "PageVersion").objects.create(
        page_id=page.pk, number=1, title="Old terms", body="Old text."
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    page = Page.objects.get(slug="old-terms")
    assert (page.title_en, page.body_en, page.title_fr, page.body_ar) == (
        "Old terms",
        "Old text.",
        None,
        None,
    )
    with translation.override("ar"):
        version = PageVersion.objects.get(page=page)
        assert (version.title, version.body) == ("Old terms", "Old text.")
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())  # as it was


@pytest.mark.slow
def test_the_demo_seeds_the_legal_pages_in_three_languages_and_keeps_edits(client):
    call_command("seed_demo", products=0, stdout=None)
    terms = Page.objects.get(kind="terms")
    assert (terms.title_en, terms.title_fr, terms.title_ar) == tuple(TITLES.values())
    for page in Page.objects.all():
        for language, note in (("en", "Demo text"), ("fr", "Texte de démonstration"),
                               ("ar", "نص تجريبي")):  # fmt: skip
            assert getattr(page, f"body_{language}").startswith(note), (page.slug, language)
        assert page.versions.get().title_ar == page.title_ar
    body = read_in(client, "ar").get("/pages/privacy/").content.decode()
    article = body[body.index("<article") : body.index("</article>")]
    assert "إشعار الخصوصية" in article and "lang=" not in article  # no English fallback

    with translation.override("fr"):
        terms.title = "Nos conditions générales"
    services.page_save(page=terms)
    call_command("seed_demo", products=0, stdout=None)
    terms.refresh_from_db()
    assert terms.title_fr == "Nos conditions générales" and terms.version == 2
    call_command("seed_demo", products=0, reset=True, stdout=None)
    terms.refresh_from_db()
    assert terms.title_fr == TITLES["fr"]
