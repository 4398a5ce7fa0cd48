"""`manage.py seed_demo`: a demo shop people can use at once, safe to run again, and a large
catalogue on demand with a progress display."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from PIL import Image

from customers.models import CustomerGroup, User
from customers.permissions import SHOP_MANAGERS
from shop.models import Category, Product, ProductImage, TaxRate

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DEMO_EMAILS = [
    "shopper@example.com",
    "wholesale@example.com",
    "vip@example.com",
    "manager@example.com",
    "buyer@example.com",
    "approver@example.com",
]


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [Category, Product, ProductImage, TaxRate, User, CustomerGroup, Group]
    return {model.__name__: model.objects.count() for model in models}


def test_demo_shop_is_complete_usable_and_a_second_run_changes_nothing(client):
    seed()
    first = counts()
    assert 50 <= first["Product"] <= 80
    assert Category.objects.filter(parent__isnull=True).count() >= 3
    assert Category.objects.filter(parent__parent__isnull=True, parent__isnull=False).exists()
    assert set(CustomerGroup.objects.values_list("slug", flat=True)) >= {
        "retail",
        "wholesale",
        "vip",
    }

    # Every product has a picture, with the renditions the pages use.
    assert not Product.objects.filter(images__isnull=True).exists()
    image = ProductImage.objects.first()
    with Image.open(Path(image.thumbnail.path)) as thumbnail:
        assert thumbnail.size == (400, 400)
    with Image.open(Path(image.detail.path)) as detail:
        assert detail.size == (800, 800)

    seed()
    assert counts() == first

    for email in DEMO_EMAILS:
        response = client.post("/accounts/login/", {"username": email, "password": "comptoir-demo"})
        assert response.status_code == 302, email
        client.post("/accounts/logout/")

    # The manager runs the catalogue admin but is no superuser.
    manager = User.objects.get(email="manager@example.com")
    assert manager.is_staff and not manager.is_superuser
    assert manager.groups.filter(name=SHOP_MANAGERS).exists()
    client.force_login(manager)
    assert client.get("/admin/shop/product/").status_code == 200
    assert client.get("/admin/auth/group/").status_code == 403


def test_every_demo_category_and_product_is_named_and_described_in_french_and_arabic(client):
    seed()
    demo = list(Category.objects.all()) + list(Product.objects.all())
    for language in ("fr", "ar"):
        for field in ("name", "description"):
            missing = [str(obj) for obj in demo if not getattr(obj, f"{field}_{language}")]
            assert not missing, (language, field, missing)
            english = [
                str(obj)
                for obj in demo
                if getattr(obj, f"{field}_{language}") == getattr(obj, f"{field}_en")
            ]
            assert not english, (language, field, english)
    skillet = Product.objects.get(sku="KIT-101")
    assert (skillet.name_en, skillet.name_fr, skillet.name_ar) == (
        "Classic cast-iron skillet",
        "Poêle en fonte classique",
        "مقلاة كلاسيكية من الحديد الزهر",
    )
    page = client.get(skillet.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Poêle en fonte classique" in page.content.decode()


def test_the_demo_companies_buy_together(client):
    from customers.models import Company, CompanyMember
    from customers.selectors import group_for

    seed()
    seed()  # again: nothing more
    lumiere = Company.objects.get(name="Bistro Lumière")
    members = {
        m.user.email: (m.role, m.spending_limit)
        for m in CompanyMember.objects.filter(company=lumiere).select_related("user")
    }
    assert members == {
        "wholesale@example.com": ("admin", None),
        "buyer@example.com": ("buyer", Decimal("500.00")),
        "approver@example.com": ("approver", None),
    }
    assert lumiere.group.slug == "wholesale" and lumiere.credit_limit == Decimal("5000.00")
    becker = CompanyMember.objects.select_related("company").get(user__email="buyer-de@example.com")
    assert becker.role == "admin" and becker.company.members.count() == 1
    assert becker.company.vat_id == "DE293817466"
    buyer = User.objects.get(email="buyer@example.com")
    assert group_for(buyer) == lumiere.group
    client.force_login(buyer)
    portal = client.get("/portal/").content.decode()
    assert "Bistro Lumière" in portal and "Buyer" in portal


def test_products_option_fills_a_large_catalogue_with_progress_and_is_idempotent(client):
    output = seed(products=180)
    assert Product.objects.count() == 180
    assert "generated" in output and "180 products" in output
    generated = Product.objects.filter(sku__startswith="GEN-")
    assert generated.exists()
    assert not generated.filter(images__isnull=True).exists()

    seed(products=180)
    assert Product.objects.count() == 180
    seed(products=200)
    assert Product.objects.count() == 200

    # Generated products are real catalogue entries: listed, and each with its own page.
    product = generated.order_by("sku").last()
    assert client.get(product.get_absolute_url()).status_code == 200
    assert client.get(f"/search/?q={product.sku}").content.decode().count(product.name) >= 1


def test_running_the_demo_again_keeps_what_a_manager_edited_unless_reset():
    from pricing.models import PriceRule

    seed()
    product = Product.objects.exclude(sku__startswith="GEN-").order_by("sku").first()
    demo_price = product.base_price
    Product.objects.filter(pk=product.pk).update(base_price=demo_price + 1, name="Renamed")
    rule = PriceRule.objects.order_by("pk").first()
    PriceRule.objects.filter(pk=rule.pk).update(priority=rule.priority + 7)
    TaxRate.objects.filter(country="DE", tax_class="standard").update(rate="0.1600")

    seed()
    product.refresh_from_db()
    assert (product.name, product.base_price) == ("Renamed", demo_price + 1)
    assert PriceRule.objects.get(pk=rule.pk).priority == rule.priority + 7
    assert str(TaxRate.objects.get(country="DE", tax_class="standard").rate) == "0.1600"

    seed(reset=True)
    product.refresh_from_db()
    assert product.base_price == demo_price and product.name != "Renamed"
    assert PriceRule.objects.get(pk=rule.pk).priority == rule.priority
    assert str(TaxRate.objects.get(country="DE", tax_class="standard").rate) == "0.1900"


def test_every_demo_cart_discount_can_win_for_someone():
    """No demo discount is beaten by another that every one of its buyers also gets from the
    same subtotal (the largest single discount wins): a dead rule teaches the wrong thing."""
    from pricing.models import CartDiscount

    seed()
    discounts = list(CartDiscount.objects.prefetch_related("groups"))
    for discount in discounts:
        own = {group.pk for group in discount.groups.all()}
        for other in discounts:
            others = {group.pk for group in other.groups.all()}
            serves_the_same_buyers = not others or (own and own <= others)
            assert not (
                other.pk != discount.pk
                and serves_the_same_buyers
                and other.kind == discount.kind
                and other.min_subtotal <= discount.min_subtotal
                and other.value >= discount.value
            ), f"{discount.name} never wins against {other.name}"


@pytest.mark.parametrize("strategy", ["lowest", "priority"])
def test_every_demo_price_rule_wins_somewhere(settings, strategy):
    """Each demo price rule is the winner for at least one of its buyers, one product in its
    scope and one quantity, under either strategy: the demo shows what every rule does."""
    from pricing import services as pricing_services
    from pricing.models import PriceRule

    settings.SHOP_PRICING_STRATEGY = strategy
    seed()
    rules = list(PriceRule.objects.filter(is_active=True))
    thresholds = sorted({1, *(rule.min_quantity for rule in rules)})
    buyers = [{"group": group} for group in CustomerGroup.objects.all()]
    buyers += [{"customer": user} for user in User.objects.filter(email__in=DEMO_EMAILS)]
    winners = set()
    for product in Product.objects.all():
        for buyer in buyers:
            for quantity in thresholds:
                rule = pricing_services.quote(product, quantity, **buyer).rule
                if rule is not None:
                    winners.add(rule.id)
    never = [rule.name for rule in rules if rule.pk not in winners]
    assert never == [], f"demo rules that never win under {strategy}: {never}"


def test_demo_group_buyers_never_pay_more_than_guests():
    """The defects the first version's order had, on the demo's own products: a VIP paid more
    for 100 gel pens than a guest, trade paid more for pens from 12 and for the garden sale."""
    from pricing import services as pricing_services

    seed()
    guest = CustomerGroup.objects.get(is_default=True)
    for product in Product.objects.filter(sku__in=["OFF-201", "KIT-101", "CLE-201"]):
        for quantity in (1, 6, 10, 12, 24, 100, 120):
            guest_price = pricing_services.quote(product, quantity, group=guest).unit_price
            for group in CustomerGroup.objects.exclude(pk=guest.pk):
                member = pricing_services.quote(product, quantity, group=group).unit_price
                assert member <= guest_price, (product.sku, quantity, group.name)
    for product in Product.objects.filter(category__slug="garden")[:3]:
        wholesale = CustomerGroup.objects.get(slug="wholesale")
        trade = pricing_services.quote(product, 1, group=wholesale)
        assert trade.unit_price == (product.base_price * 8 / 10).quantize(trade.unit_price)


VAT_DEMO = {
    "shopper@example.com": ("FR", "domestic"),
    "shopper-it@example.com": ("IT", "eu_consumer"),
    "buyer-de@example.com": ("DE", "reverse_charge"),
    "shopper-ch@example.com": ("CH", "export"),
}


def test_the_demo_seller_is_a_french_company_with_valid_numbers_shown_in_the_footer(client):
    from stdnum import bic, iban
    from stdnum.eu import vat

    from shop.seller.selectors import shop_details

    seed()
    details = shop_details()
    assert details.pk and details.city == "Lyon" and "SAS" in details.legal_name
    assert vat.is_valid(details.vat_id) and details.vat_id.startswith("FR")
    assert iban.is_valid(details.iban) and bic.is_valid(details.bic)
    assert details.registration_number.startswith("RCS Lyon")
    body = client.get("/").content.decode()
    footer = body[body.index('<footer class="site-footer">') :]
    assert details.legal_name in footer and details.vat_id in footer


def test_the_demo_publishes_one_page_of_each_legal_kind(client):
    from shop.pages.models import Page

    seed()
    pages = Page.objects.filter(is_published=True)
    assert sorted(pages.values_list("kind", flat=True)) == sorted(
        ["terms", "withdrawal", "privacy", "legal_notice", "delivery", "accessibility"]
    )
    for page in pages:
        response = client.get(page.get_absolute_url())
        assert response.status_code == 200 and "Demo text" in response.content.decode()
        assert page.versions.count() == 1


def test_demo_customers_show_every_vat_case(client, eu_vat_rates):
    from django.conf import settings

    from shop.tax import selectors as tax_selectors
    from shop.tax import vat

    seed()
    rates = tax_selectors.tax_rate_table()
    for email, (country, regime) in VAT_DEMO.items():
        user = User.objects.get(email=email)
        address = user.addresses.first()
        destination = address.country.code if address else settings.SHOP_DEFAULT_COUNTRY
        decision = vat.decide(
            seller_country=settings.SHOP_DEFAULT_COUNTRY,
            destination=destination,
            buyer=tax_selectors.vat_buyer(user),
            tax_class="standard",
            rates=rates,
        )
        assert (destination, decision.regime) == (country, regime), email
        response = client.post("/accounts/login/", {"username": email, "password": "comptoir-demo"})
        assert response.status_code == 302, email
        client.post("/accounts/logout/")
    assert User.objects.get(email="buyer-de@example.com").profile.group.slug == "wholesale"


def test_a_second_run_keeps_the_legal_demo_and_what_a_manager_edited_unless_reset():
    from shop.models import Address
    from shop.pages import services as page_services
    from shop.pages.models import Page, PageVersion
    from shop.seller.models import ShopDetails

    seed()
    before = (Page.objects.count(), PageVersion.objects.count(), Address.objects.count())
    terms = Page.objects.get(kind="terms")
    terms.body = "Our own terms."
    page_services.page_save(page=terms)
    ShopDetails.objects.update(legal_name="Manager's SAS")

    seed()
    terms.refresh_from_db()
    assert terms.body == "Our own terms." and terms.version == 2
    assert ShopDetails.objects.get().legal_name == "Manager's SAS"
    assert (Page.objects.count(), Address.objects.count()) == (before[0], before[2])

    seed(reset=True)
    terms.refresh_from_db()
    assert terms.body.startswith("Demo text") and terms.version == 3
    assert terms.versions.count() == 3  # every text a buyer may have accepted is kept
    assert ShopDetails.objects.get().legal_name == "Comptoir Démo SAS"
    assert (Page.objects.count(), Address.objects.count()) == (before[0], before[2])


def test_the_demo_shows_bistro_lumieres_negotiated_rules_and_shared_lists(client):
    from customers.models import Company
    from pricing import explain, services
    from pricing.models import PriceRule, QuantityRule
    from shop.models import SavedList, SavedListLine

    seed()
    rows = (PriceRule.objects.count(), QuantityRule.objects.count(), SavedListLine.objects.count())
    seed()  # again: nothing more
    assert rows == (
        PriceRule.objects.count(),
        QuantityRule.objects.count(),
        SavedListLine.objects.count(),
    )
    bistro = Company.objects.get(name="Bistro Lumière")
    buyer = User.objects.get(email="buyer@example.com")
    approver = User.objects.get(email="approver@example.com")
    skillet = Product.objects.get(sku="KIT-101")
    result = services.quote(skillet, customer=approver)
    assert result.unit_price == Decimal("39.00")
    assert "negotiated for Bistro Lumière" in " ".join(explain.render(result.reasons))
    outsider = User.objects.get(email="buyer-de@example.com")
    assert services.quote(skillet, customer=outsider).unit_price > Decimal("39.00")
    pens = Product.objects.get(sku="OFF-201")
    assert services.quantity_rule(pens, customer=approver).step == 6
    assert services.quantity_rule(pens, customer=outsider).step == 12

    lists = {s.name: s for s in SavedList.objects.filter(owner=buyer)}
    assert set(lists) == {"Weekly kitchen restock", "My desk"}
    assert lists["Weekly kitchen restock"].shared_with_company == bistro
    assert lists["My desk"].shared_with_company is None
    client.force_login(approver)
    index = client.get("/accounts/lists/")
    assert [s.name for s in index.context["shared_lists"]] == ["Weekly kitchen restock"]
    assert "by Bruno Buyer" in index.content.decode()
