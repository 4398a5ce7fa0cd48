"""Build the demo shop: groups, a two-level catalogue with generated images, tax rates, the
shop's details and legal pages, and the demo users (one for each VAT case). Safe to run again:
existing rows are updated, nothing is duplicated."""

import random
import time
from decimal import Decimal

from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify

from customers import services as customer_services
from customers.models import Company, CustomerGroup, CustomerProfile, User, WholesaleApplication
from customers.permissions import SHOP_MANAGERS, grant_to_shop_managers
from pricing import services as pricing_services
from pricing.demo import demo_company_rules_seed, demo_rules_seed
from shop.addresses import services as address_services
from shop.catalog import services as catalog_services
from shop.catalog.demo import ADJECTIVES, CATALOGUE, DEMO_PRICES, DEMO_STOCK, PALETTE, demo_image
from shop.catalog.demo_texts import category_texts, product_descriptions, product_names
from shop.management.demo_approvals import seed_approval_request
from shop.management.demo_bulk import seed_bulk_products
from shop.management.demo_lists import seed_saved_lists
from shop.management.demo_people import SHOP_DETAILS, VAT_CUSTOMERS, seed_companies
from shop.management.demo_quotes import seed_offered_quote
from shop.models import (
    Category,
    CheckoutPolicy,
    Page,
    Product,
    ShippingMethod,
    ShopDetails,
    TaxRate,
)
from shop.pages import services as page_services
from shop.pages.demo import LEGAL_PAGES
from shop.seller import services as seller_services

DEMO_PASSWORD = "comptoir-demo"

TAX_RATES = {
    "FR": ("0.2000", "0.0550", "0"),
    "DE": ("0.1900", "0.0700", "0"),
    "BE": ("0.2100", "0.0600", "0"),
    "NL": ("0.2100", "0.0900", "0"),
    "IT": ("0.2200", "0.1000", "0"),
}


class Command(BaseCommand):
    help = "Create (or refresh) the demo shop. --products N adds a large generated catalogue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--products", type=int, default=0, help="Total products wanted (e.g. 10000)."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Put every demo object back as it was, undoing what a manager edited.",
        )

    def upsert(self, model, *, defaults: dict, **lookup):
        """The demo row, created when missing. What a manager edited stays unless --reset."""
        if self.reset:
            return model.objects.update_or_create(defaults=defaults, **lookup)
        return model.objects.get_or_create(defaults=defaults, **lookup)

    def handle(self, *args, products: int, reset: bool, **options):
        started = time.monotonic()
        self.reset = reset
        with transaction.atomic():
            groups = self.seed_groups()
            leaves = self.seed_catalogue(groups)
            self.seed_tax_rates()
            self.seed_seller()
            self.seed_users(groups)
            self.seed_vat_customers(groups)
            seed_companies(groups, upsert=self.upsert, demo_user=self.demo_user)
            self.seed_pricing(groups)
            self.seed_checkout(groups)
            pricing_services.rules_changed()  # the demo request is priced with these rules
            seed_approval_request()
            seed_offered_quote()
        if products:
            seed_bulk_products(wanted=products, leaves=leaves, out=self.stdout)
        # Categories, tax rates and rules were written directly: every process recompiles.
        pricing_services.rules_changed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo shop ready: {Product.objects.count()} products in "
                f"{time.monotonic() - started:.1f}s."
            )
        )

    def seed_groups(self) -> dict[str, CustomerGroup]:
        retail = CustomerGroup.objects.filter(is_default=True).first()
        if retail is None:
            retail, _ = CustomerGroup.objects.get_or_create(
                slug="retail", defaults={"name": "Retail", "is_default": True}
            )
        wholesale, _ = self.upsert(
            CustomerGroup,
            slug="wholesale",
            defaults={
                "name": "Wholesale",
                "prices_include_tax": False,
                "portal_access": True,
                "requires_approval": True,
                "min_order_subtotal": Decimal("150.00"),
                "default_payment_terms_days": 30,
                "default_credit_limit": Decimal("5000.00"),
                "receives_applications": True,
            },
        )
        vip, _ = self.upsert(
            CustomerGroup, slug="vip", defaults={"name": "VIP", "prices_include_tax": True}
        )
        return {"retail": retail, "wholesale": wholesale, "vip": vip}

    def seed_catalogue(self, groups) -> list[Category]:
        rng = random.Random(7)
        leaves = []
        for root_position, (root_name, children) in enumerate(CATALOGUE.items()):
            root = self.category(root_name, None, root_position)
            for child_position, (child_name, nouns) in enumerate(children.items()):
                child = self.category(child_name, root, child_position)
                leaves.append(child)
                color = PALETTE[(root_position * 3 + child_position) % len(PALETTE)]
                for index, noun in enumerate(nouns):
                    sku = f"{root_name[:3].upper()}-{child_position + 1}{index + 1:02d}"
                    self.product(
                        sku=sku,
                        names=product_names(noun, ADJECTIVES[index % len(ADJECTIVES)]),
                        category=child,
                        price=Decimal(
                            DEMO_PRICES.get(sku, Decimal(rng.randrange(199, 8999)) / 100)
                        ),
                        stock=DEMO_STOCK.get(
                            sku, rng.choice([0, 3, 12, 40, 120, 500]) if index != 1 else 60
                        ),
                        featured=index == 0,
                        color=color,
                    )
        early = self.category("Early access", None, 99)
        early.visible_to.set([groups["vip"]])
        for index, noun in enumerate(["Limited print", "Copper kettle", "Walnut board"]):
            self.product(
                sku=f"VIP-{index + 1:03d}",
                names=product_names(noun),
                category=early,
                price=Decimal("49.00") + index * 20,
                stock=5,
                featured=False,
                color="#7a2e3b",
            )
        return leaves

    def category(self, name, parent, position) -> Category:
        category, _ = self.upsert(
            Category,
            slug=slugify(name),
            defaults={
                **category_texts(name),
                "parent": parent,
                "position": position,
                "is_active": True,
            },
        )
        return category

    def product(self, *, sku, names, category, price, stock, featured, color) -> Product:
        """`names`: the name fields in every language (`demo_texts.product_names`)."""
        name = names["name_en"]
        product, created = self.upsert(
            Product,
            sku=sku,
            defaults={
                **names,
                **product_descriptions(names, category_texts(category.name_en)),
                "slug": slugify(f"{name}-{sku}"),
                "category": category,
                "base_price": price,
                "stock": stock,
                "track_stock": True,
                "is_active": True,
                "is_featured": featured,
            },
        )
        if not product.images.exists():
            catalog_services.product_image_add(
                product=product,
                content=demo_image(name, color),
                filename=f"{slugify(sku)}.png",
                alt_text=name,
            )
        return product

    def seed_tax_rates(self):
        for country, rates in TAX_RATES.items():
            for tax_class, rate in zip(("standard", "reduced", "zero"), rates, strict=True):
                self.upsert(
                    TaxRate, country=country, tax_class=tax_class, defaults={"rate": Decimal(rate)}
                )

    def seed_seller(self):
        """The shop's details and its legal pages, through their services (caches dropped)."""
        if self.reset or not ShopDetails.objects.exists():
            seller_services.shop_details_save(details=ShopDetails(**SHOP_DETAILS))
        for slug, kind, position, titles, bodies in LEGAL_PAGES:
            page = Page.objects.filter(slug=slug).first()
            if page is not None and not self.reset:
                continue
            others = Page.objects.filter(kind=kind, is_published=True).exclude(slug=slug)
            if self.reset:
                for other in others:
                    other.is_published = False
                    page_services.page_save(page=other)
            page = page or Page(slug=slug)
            page.kind, page.position = kind, position
            for language, title in titles.items():
                setattr(page, f"title_{language}", title)
                setattr(page, f"body_{language}", bodies[language])
            # A manager's own published page of this kind stays the one in use.
            page.is_published = not others.exists()
            page_services.page_save(page=page)

    def seed_vat_customers(self, groups):
        for email, full_name, group, profile_fields, address in VAT_CUSTOMERS:
            user = self.demo_user(email, full_name)
            self.upsert(
                CustomerProfile, user=user, defaults={"group": groups[group], **profile_fields}
            )
            if self.reset:
                address_services.address_book_erase(user=user)
            if not user.addresses.exists():
                address_services.address_create(user=user, data=address)

    def demo_user(self, email: str, full_name: str) -> User:
        """The demo account, created when missing, with the demo password."""
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, full_name=full_name)
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user

    def seed_users(self, groups):
        people = [
            ("shopper@example.com", "Sam Shopper", groups["retail"], {}),
            (
                "wholesale@example.com",
                "Wendy Wholesale",
                groups["wholesale"],
                {
                    "company_name": "Bistro Lumière",
                    "vat_id": "FR40303265045",
                    "payment_terms_days": 30,
                    "credit_limit": Decimal("5000.00"),
                },
            ),
            ("vip@example.com", "Victor Vip", groups["vip"], {}),
            ("manager@example.com", "Morgan Manager", groups["retail"], {}),
        ]
        for email, full_name, group, profile_fields in people:
            user = self.demo_user(email, full_name)
            self.upsert(CustomerProfile, user=user, defaults={"group": group, **profile_fields})
        manager = User.objects.get(email="manager@example.com")
        manager.is_staff = True
        manager.is_superuser = False
        manager.save(update_fields=["is_staff", "is_superuser"])
        grant_to_shop_managers(django_apps)
        manager.groups.add(Group.objects.get(name=SHOP_MANAGERS))
        self.seed_application()

    def seed_application(self):
        """One pending wholesale application for the manager to review (once only)."""
        user = User.objects.filter(email__iexact="applicant@example.com").first()
        if user is None:
            user = customer_services.user_create(
                email="applicant@example.com",
                password=DEMO_PASSWORD,
                full_name="Paul Applicant",
                company_name="Boulangerie Durand",
            )
        if not WholesaleApplication.objects.filter(user=user).exists():
            WholesaleApplication.objects.create(
                user=user,
                company_name="Boulangerie Durand",
                vat_id="FR83404833048",
                country="FR",
                phone="+33 4 78 00 00 00",
                monthly_volume="1k-5k",
                message="Three bakeries in Lyon; we buy tableware and cleaning supplies monthly.",
            )

    def seed_pricing(self, groups):
        demo_rules_seed(
            reset=self.reset,
            groups=groups,
            customers={"wholesale": User.objects.get(email="wholesale@example.com")},
            products={p.sku: p for p in Product.objects.exclude(sku__startswith="GEN-")},
            categories={c.slug: c for c in Category.objects.all()},
        )
        products = {p.sku: p for p in Product.objects.exclude(sku__startswith="GEN-")}
        bistro = Company.objects.get(name="Bistro Lumière")
        demo_company_rules_seed(
            reset=self.reset, companies={bistro.name: bistro}, products=products
        )
        seed_saved_lists(
            upsert=self.upsert,
            owner=User.objects.get(email="buyer@example.com"),
            company=bistro,
            products=products,
        )

    # --- checkout: shipping methods and payment per group --------------------------

    def seed_checkout(self, groups):
        """Shipping methods (free above a goods total; freight for trade buyers only) and how
        each group may pay: bank transfer for everyone, on account for wholesale too."""
        methods = [
            # name, description, net price, free above, offered from, groups, countries
            ("Standard", "Delivered in 3 to 5 working days.", "5.90", "60.00", None, [], ""),
            ("Express", "Next working day.", "14.90", None, None, [], "BE, DE, FR, NL"),
            (
                "Freight",
                "Pallet delivery for trade orders in 2 to 4 working days.",
                "35.00",
                "750.00",
                "150.00",
                ["wholesale"],
                "",
            ),
        ]
        for position, row in enumerate(methods):
            name, description, price, free_above, offered_from, slugs, countries = row
            method, created = self.upsert(
                ShippingMethod,
                name=name,
                defaults={
                    "description": description,
                    "price": Decimal(price),
                    "free_above": Decimal(free_above) if free_above else None,
                    "min_subtotal": Decimal(offered_from) if offered_from else None,
                    "countries": countries,
                    "position": position,
                    "is_active": True,
                },
            )
            if created or self.reset:
                method.groups.set([groups[slug] for slug in slugs])
        policies = {
            "retail": {"guest_checkout": True, "bank_transfer": True, "pay_on_account": False},
            "vip": {"guest_checkout": False, "bank_transfer": True, "pay_on_account": False},
            "wholesale": {"guest_checkout": False, "bank_transfer": True, "pay_on_account": True},
        }
        for slug, policy in policies.items():
            self.upsert(CheckoutPolicy, group=groups[slug], defaults=policy)
