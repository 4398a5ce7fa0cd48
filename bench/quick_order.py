"""Benchmark of a large quick order: 1,000 SKU lines typed into the trade portal at once.

Run from the repository root::

    .venv/bin/python bench/quick_order.py
    .venv/bin/python bench/quick_order.py --lines 500 --database-url postgres://postgres@127.0.0.1:5432/comptoir_bench_quick

Builds (once) its own database (default: SQLite at bench/.data/quick_order.sqlite3; a
``postgres://`` URL on loopback gets its own database) with a trade group, 2,000 products in
20 categories, tier prices for the group on every category and pack sizes on one product in
ten. Then a trade buyer posts --lines lines (one line in fifty refused: an unknown SKU or a
wrong pack size) to /portal/quick-order/ through Django's test client, on an empty cart and
again on a cart already holding them (every line then an update), and opens the cart page
they make. Prints the median and best milliseconds of 5 runs and the queries of one;
asserts nothing. The target: under 2 s for 1,000 lines, queries independent of the lines.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
sys.path.insert(0, str(ROOT))

PRODUCTS = 2_000
CATEGORIES = 20
PREFIX = "QO-"
BUYER = "bench-quick-order@example.com"


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def setup_django(database_url: str, sqlite_name: str) -> None:
    """Migrate the bench's database and set Django up in this process (DEBUG off)."""
    DATA.mkdir(parents=True, exist_ok=True)
    url = database_url or f"sqlite:///{DATA / sqlite_name}"
    if url.startswith(("postgres://", "postgresql://")):
        from bench.harness import ensure_postgres_database

        ensure_postgres_database(url)
    migrate(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # As under pytest: one connection across requests (the wrapper counting queries stays).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)


def build_shop():
    """The trade group, its buyer and the catalogue (once); returns (buyer, products)."""
    from django.db import transaction

    from customers.models import CustomerGroup, CustomerProfile, User
    from pricing import services as pricing_services
    from pricing.models import PriceRule, QuantityRule
    from shop.models import Category, Product, TaxRate

    trade, _ = CustomerGroup.objects.get_or_create(
        slug="bench-quick-trade",
        defaults={"name": "Bench trade", "portal_access": True, "prices_include_tax": False},
    )
    buyer = User.objects.filter(email=BUYER).first()
    if buyer is None:
        print("building the shop (once) ...", flush=True)
        with transaction.atomic():
            TaxRate.objects.get_or_create(
                country="FR", tax_class="standard", defaults={"rate": Decimal("0.2000")}
            )
            categories = Category.objects.bulk_create(
                Category(name=f"Quick category {n}", slug=f"qo-category-{n}")
                for n in range(CATEGORIES)
            )
            products = Product.objects.bulk_create(
                Product(
                    sku=f"{PREFIX}{n:05d}",
                    name=f"Quick product {n}",
                    slug=f"qo-product-{n}",
                    category=categories[n % CATEGORIES],
                    base_price=Decimal(100 + n % 900) / 10,
                    stock=1_000_000,
                )
                for n in range(PRODUCTS)
            )
            PriceRule.objects.bulk_create(
                PriceRule(
                    name=f"Trade tier {n}",
                    group=trade,
                    category=category,
                    min_quantity=minimum,
                    kind="percent_off",
                    value=Decimal(percent),
                )
                for n, category in enumerate(categories)
                for minimum, percent in ((1, 5), (10, 10), (100, 15))
            )
            QuantityRule.objects.bulk_create(
                QuantityRule(
                    name=f"Packs of 6, {product.sku}", product=product, min_quantity=6, step=6
                )
                for product in products[::10]
            )
            buyer = User.objects.create_user(email=BUYER, password="comptoir-bench")
            CustomerProfile.objects.create(user=buyer, group=trade)
            pricing_services.rules_changed()
    products = list(Product.objects.filter(sku__startswith=PREFIX).order_by("sku"))
    return buyer, products


def order_text(products, lines: int) -> str:
    """`lines` lines: packs of 6 where a rule asks for them; one line in fifty refused."""
    rows = []
    for index, product in enumerate(products[:lines]):
        pack = int(product.sku[len(PREFIX) :]) % 10 == 0
        if index % 50 == 49:
            rows.append(f"NOPE-{index} 3" if index % 100 == 99 else f"{product.sku} 5")
        else:
            rows.append(f"{product.sku.lower()} {12 if pack else 7}")
    return "\n".join(rows)


def measure(work, runs: int = 5, before=None) -> tuple[float, float, int]:
    """Median and best milliseconds of `runs` calls of `work` (each after `before`), and the
    queries of one call."""
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    if before:
        before()
    with connection.execute_wrapper(count):
        work()
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), len(executed)


def logged_in_client(buyer):
    from django.test import Client

    client = Client()
    client.force_login(buyer)
    return client


def empty_cart(buyer) -> None:
    from shop.cart.models import CartLine

    CartLine.objects.filter(cart__user=buyer).delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, {0})  # one core
    setup_django(args.database_url, "quick_order.sqlite3")
    from django.db import connection

    buyer, products = build_shop()
    client = logged_in_client(buyer)
    text = order_text(products, args.lines)

    def post():
        response = client.post("/portal/quick-order/", {"lines": text})
        assert response.status_code == 200, response.status_code  # the refused lines shown
        assert b"Unknown SKU" in response.content

    def cart_page():
        response = client.get("/cart/")
        assert response.status_code == 200, response.status_code

    empty_cart(buyer)
    post()  # the process's caches (compiled rules, categories) warm, as in a running shop
    print(f"Quick order of {args.lines:,} lines ({connection.vendor}), median and best of 5")
    for label, work, before in (
        ("into an empty cart", post, lambda: empty_cart(buyer)),
        ("every line already in the cart", post, None),
    ):
        median, best, queries = measure(work, args.runs, before)
        print(f"  {label:34s} {median:8.1f} ms  (best {best:7.1f})  {queries:4d} queries")
    from shop.cart.models import CartLine

    empty_cart(buyer)
    post()
    lines = CartLine.objects.filter(cart__user=buyer).count()
    median, best, queries = measure(cart_page, args.runs)
    label = f"the cart page they make ({lines:,} lines)"
    print(f"  {label:34s} {median:8.1f} ms  (best {best:7.1f})  {queries:4d} queries")


if __name__ == "__main__":
    main()
