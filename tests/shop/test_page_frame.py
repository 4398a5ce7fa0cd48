"""The page frame (header, menu, footer, language forms) is kept per process as fragments: every
content, seller or category change shows on the next page, each group sees its own menu,
each visitor their own language, token and return path. Tested on the cart page, which the
page cache never keeps, so only the frame's own fragments are warm."""

import re
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from shop.models import Category
from shop.pages import services as page_services
from shop.seller.models import ShopDetails
from shop.seller.services import shop_details_save
from tests.factories import (
    CategoryFactory,
    PageFactory,
    TermsPageFactory,
    UserFactory,
    WholesaleGroupFactory,
)

pytestmark = pytest.mark.django_db

LANGUAGE_FORM = re.compile(
    r'<form class="language-form language-form-(\w+)".*?name="csrfmiddlewaretoken" '
    r'value="([^"]+)".*?name="next" value="([^"]*)"',
    re.S,
)


def footer(client, path="/cart/") -> str:
    body = client.get(path).content.decode()
    return body[body.index('<footer class="site-footer">') :]


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def menu(client, path="/cart/") -> list[str]:
    body = client.get(path).content.decode()
    nav = body[body.index('<nav class="category-nav"') : body.index("</header>")]
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav)


def test_content_pages_and_the_sellers_details_show_at_once_with_the_frame_warm(client):
    terms = TermsPageFactory()
    assert "Terms of sale" in footer(client)
    assert "Terms of sale" in footer(client)  # from the kept fragment

    terms.title = "General terms"
    page_services.page_save(page=terms)
    PageFactory(title="Privacy notice", slug="privacy")
    shown = footer(client)
    assert "General terms" in shown and "Privacy notice" in shown

    shop_details_save(details=ShopDetails(legal_name="Comptoir SAS", city="Lyon"))
    assert "Comptoir SAS" in footer(client)

    terms.is_published = False
    page_services.page_save(page=terms)
    assert "General terms" not in footer(client)


def test_every_category_change_shows_in_the_menu_at_once(client):
    kitchen = CategoryFactory(name_en="Kitchen", position=1)
    CategoryFactory(name_en="Garden", position=2)
    assert menu(client) == menu(client) == ["Kitchen", "Garden"]

    Category.objects.filter(pk=kitchen.pk).update(name_en="Cookware")
    assert menu(client) == ["Cookware", "Garden"]
    Category.objects.filter(pk=kitchen.pk).update(is_active=False)
    assert menu(client) == ["Garden"]


def test_each_group_sees_its_own_menu_whoever_came_first(client):
    trade = WholesaleGroupFactory()
    CategoryFactory(name_en="Open", position=1)
    CategoryFactory(name_en="Trade only", position=2).visible_to.set([trade])
    buyer = Client()
    buyer.force_login(UserFactory(group=trade))

    assert menu(buyer) == ["Open", "Trade only"]
    assert menu(client) == ["Open"]
    assert menu(buyer) == ["Open", "Trade only"]


def test_the_frame_is_in_each_visitors_language(client):
    CategoryFactory(name_en="Kitchen", name_fr="Cuisine")
    english = footer(client)
    french = Client(headers={"accept-language": "fr"})
    assert 'value="fr" lang="fr" selected' in footer(french)
    assert menu(french) == ["Cuisine"]
    assert menu(client) == ["Kitchen"]
    assert without_tokens(footer(client)) == without_tokens(english)


def test_the_language_forms_carry_each_visitors_own_token_and_page():
    tokens = []
    for path in ("/cart/", "/search/?q=tea"):
        visitor = Client(enforce_csrf_checks=True)
        visitor.get("/")  # sets the visitor's CSRF cookie
        forms = LANGUAGE_FORM.findall(visitor.get(path).content.decode())
        assert [place for place, _token, _next in forms] == ["header", "footer"]
        assert {next_path for _place, _token, next_path in forms} == {path}
        token = forms[1][1]
        answer = visitor.post(
            "/language/", {"language": "fr", "next": path, "csrfmiddlewaretoken": token}
        )
        assert answer.status_code == 302 and answer["Location"] == path
        tokens.append((visitor, token))

    (first, first_token), (second, second_token) = tokens
    for visitor, token in ((first, second_token), (second, first_token)):
        refused = visitor.post("/language/", {"language": "ar", "csrfmiddlewaretoken": token})
        assert refused.status_code == 403


def test_only_the_content_page_shown_is_marked_current(client):
    TermsPageFactory()
    PageFactory(title="Privacy notice", slug="privacy")
    current = re.compile(r'<a href="([^"]+)" aria-current="page">')
    assert current.findall(footer(client, "/pages/privacy/")) == ["/pages/privacy/"]
    assert current.findall(footer(client, "/pages/terms-of-sale/")) == ["/pages/terms-of-sale/"]
    assert current.findall(footer(client)) == []


def header(client, path="/cart/") -> str:
    body = client.get(path).content.decode()
    return body[body.index('<header class="site-header">') : body.index("</header>")]


def account_links(client, path="/cart/") -> list[str]:
    nav = header(client, path)
    nav = nav[nav.index('<nav class="account-nav"') : nav.index("</nav>")]
    return re.findall(r"<a [^>]*>([^<]+)</a>|<button[^>]*>([^<]+)</button>", nav)


def test_the_header_shows_each_kind_of_visitor_their_own_links_with_the_bar_warm(client):
    guest = [("Log in", ""), ("Sign up", ""), ("Cart", "")]
    customer = [("My account", ""), ("", "Log out"), ("Cart", "")]
    portal = [("Trade portal", ""), *customer]
    shopper, trade_buyer = Client(), Client()
    shopper.force_login(UserFactory())
    buyer = UserFactory(group=WholesaleGroupFactory())
    trade_buyer.force_login(buyer)
    for _warm in range(2):
        assert account_links(client) == guest
        assert account_links(shopper) == customer
        assert account_links(trade_buyer) == portal

    group = buyer.profile.group
    group.portal_access = False
    group.save()
    assert account_links(trade_buyer) == customer


def test_the_search_box_shows_each_visitors_query_as_typed_escaped():
    typed = 'kept-header-csrf-input <b>"tea"</b> kept-header-language-form'
    shown = "kept-header-csrf-input &lt;b&gt;&quot;tea&quot;&lt;/b&gt; kept-header-language-form"
    for query, value in ((typed, shown), ("tea", "tea"), ("", "")):
        bar = header(Client(), f"/search/?{urlencode({'q': query})}")
        assert f'name="q" value="{value}"' in bar
        assert bar.count("<form") == 2  # the search form and the language form, no other
    assert 'name="q" value=""' in header(Client(), "/cart/?q=tea")  # only search fills it


def test_the_logout_form_carries_each_customers_own_token():
    tokens = []
    for _customer in range(2):
        visitor = Client(enforce_csrf_checks=True)
        visitor.force_login(UserFactory())
        visitor.get("/")  # sets the visitor's CSRF cookie
        bar = header(visitor)
        logout = bar[bar.index('<form action="/accounts/logout/"') :]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', logout).group(1)
        tokens.append((visitor, token))
    (first, first_token), (second, second_token) = tokens

    def log_out(visitor, token) -> int:
        return visitor.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code

    assert log_out(first, second_token) == 403
    assert log_out(first, first_token) == 302
    assert account_links(first)[0] == ("Log in", "")
    assert log_out(second, second_token) == 302


def test_the_header_is_in_each_visitors_language(client):
    french = Client(headers={"accept-language": "fr"})
    assert "Rechercher dans le catalogue" in header(french)
    assert ("Se connecter", "") in account_links(french)
    assert "Search the catalogue" in header(client)
    assert ("Log in", "") in account_links(client)


def test_the_header_shows_a_new_shop_name_at_once(client, settings):
    header(client)
    settings.SHOP_NAME = "Épicerie Lumière"
    assert "<span>Épicerie Lumière</span>" in header(client)


def test_the_footer_shows_the_year_in_the_shops_time_zone(client, monkeypatch):
    # New Year's Eve at 23:30 in London is already the new year in Paris, the shop's zone.
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: late)
    assert "© 2027 Comptoir." in footer(client)
