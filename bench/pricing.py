"""Benchmark of pricing on real rows: rule loading, quotes per second, and what the engine
adds to a category page.

Run from the repository root: ``.venv/bin/python bench/pricing.py [--database-url URL]``

Builds (or reuses) a 10,000-product demo catalogue in its own database (default: SQLite at
bench/.data/pricing.sqlite3), then for 1,000 and for 10,000 active price rules prints:
- the time to load and index the rules from the database (pricing.loaders);
- engine quotes per second on one core, pricing real product snapshots for a wholesale buyer;
- the median render time of a 20-product category page with every price from the engine, and
  of the same page with base prices only, measured side by side (alternating) in one run, and
  their ratio.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
# Run as a script, bench/ would come first on sys.path and this file would shadow the
# `pricing` package: put the repository root first.
sys.path.insert(0, str(ROOT))


def prepare_database(url: str, products: int) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [python, "manage.py", "seed_demo", "--products", str(products)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


BROAD_RULES = 40


def set_rule_count(count: int, rng: random.Random, *, uniform: bool = False) -> None:
    """Replace the bench rules so exactly `count` generated price rules are active.

    Realistic mix (default): a fixed 40 broad rules (whole catalogue or a category, for a group
    or everyone), the rest specific: product prices and tiers for groups, negotiated
    customer prices, product sales for everyone. `uniform=True` spreads every rule evenly over
    all scopes (worst case: thousands of rules target every product, and a quote's cost is
    proportional to the candidates it lists in its explanation)."""
    from customers.models import CustomerGroup, User
    from pricing.models import PriceRule, PricingVersion
    from shop.models import Category, Product

    PriceRule.objects.filter(name__startswith="bench ").delete()
    groups = list(CustomerGroup.objects.values_list("id", flat=True))
    customers = list(User.objects.values_list("id", flat=True))
    categories = list(Category.objects.values_list("id", flat=True))
    product_ids = list(Product.objects.values_list("id", flat=True))
    rules = []
    for i in range(count):
        broad = uniform and rng.random() < 0.3 or not uniform and i < BROAD_RULES
        if broad:
            fields = {"category_id": rng.choice(categories)} if rng.random() < 0.8 else {}
            if rng.random() < 0.7:
                fields["group_id"] = rng.choice(groups)
        else:
            fields = {"product_id": rng.choice(product_ids)}
            who = rng.random()
            if who < 0.3:
                fields["customer_id"] = rng.choice(customers)
            elif who < 0.9:
                fields["group_id"] = rng.choice(groups)
        kind = rng.choice(["percent_off", "amount_off", "fixed_price"])
        value = Decimal(rng.randrange(1, 30)) if kind != "fixed_price" else Decimal("9.99")
        rules.append(
            PriceRule(
                name=f"bench {i}",
                kind=kind,
                value=value,
                min_quantity=rng.choice([1, 1, 1, 6, 12, 24]),
                priority=rng.choice([0, 0, 0, 1]),
                **fields,
            )
        )
    PriceRule.objects.bulk_create(rules, batch_size=1000)
    PricingVersion.bump()


def measure_load(repeat: int = 5) -> float:
    from pricing.loaders import load_pricing_data

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        load_pricing_data("bench")
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure_quotes(seconds: float = 3.0) -> tuple[float, int]:
    """Quotes per second through the engine on real snapshots (one thread, one core)."""
    from django.utils import timezone

    from customers.models import User
    from pricing import engine, services
    from shop.models import Product

    data = services.pricing_data()
    buyer_user = User.objects.get(email="wholesale@example.com")
    buyer, _group = services.buyer_for(customer=buyer_user)
    snapshots = [
        services.snapshot_of(product, data)
        for product in Product.objects.only("id", "base_price", "category_id", "name")
    ]
    at = timezone.now()
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for snapshot in snapshots[:2000]:
            engine.quote(data.rules, snapshot, buyer, 12, at)
        count += 2000
    return count / (time.perf_counter() - started), len(snapshots)


def base_price_display(products, *, customer=None, group=None, at=None):
    """Stand-in for pricing.display.display_prices: base prices, no engine (the baseline)."""
    from pricing.display import DisplayPrice

    return {
        p.pk: DisplayPrice(amount=p.base_price, base_amount=p.base_price, includes_tax=False)
        for p in products
    }


def measure_pages(rounds: int = 60) -> tuple[float, float, int]:
    """Median ms of the category page with the engine and with base prices, alternating."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from customers.models import User
    from pricing import display as pricing_display

    client = Client()
    client.force_login(User.objects.get(email="wholesale@example.com"))
    url = "/c/kitchen/?page=3"
    engine_display = pricing_display.display_prices
    for _ in range(5):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    queries = len(ctx.captured_queries)  # now: the next request clears the query log
    with_engine, base_only = [], []
    for _ in range(rounds):
        for display, sink in ((engine_display, with_engine), (base_price_display, base_only)):
            pricing_display.display_prices = display
            started = time.perf_counter()
            response = client.get(url)
            sink.append(time.perf_counter() - started)
            assert response.status_code == 200
    pricing_display.display_prices = engine_display
    return (
        statistics.median(with_engine) * 1000,
        statistics.median(base_only) * 1000,
        queries,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=f"sqlite:///{DATA / 'pricing.sqlite3'}")
    parser.add_argument("--products", type=int, default=10_000)
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, {0})  # one core
    print(f"Preparing {args.products} products in {args.database_url.split('://')[0]} ...")
    prepare_database(args.database_url, args.products)

    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    from shop.models import Product

    print(f"Catalogue: {Product.objects.count()} products (DEBUG={settings.DEBUG})")
    rng = random.Random(5)
    rows = []
    for count, uniform in ((1_000, False), (10_000, False), (10_000, True)):
        set_rule_count(count, rng, uniform=uniform)
        load = measure_load()
        qps, priced = measure_quotes()
        engine_ms, base_ms, queries = measure_pages()
        rows.append((count, uniform, load, qps, engine_ms, base_ms, queries))

    print()
    print(
        f"{'rules':>17} {'load+index':>11} {'quotes/s':>10} {'page engine':>12} "
        f"{'page base':>10} {'ratio':>6} {'queries':>8}"
    )
    for count, uniform, load, qps, engine_ms, base_ms, queries in rows:
        label = f"{count:,} {'uniform' if uniform else 'realistic'}"
        print(
            f"{label:>17} {load * 1000:>9.0f}ms {qps:>10,.0f} {engine_ms:>10.2f}ms "
            f"{base_ms:>8.2f}ms {engine_ms / base_ms:>6.2f} {queries:>8}"
        )
    slowdown = rows[0][3] / rows[1][3]
    print(f"\nQuote slowdown from 1,000 to 10,000 rules (realistic mix): {slowdown:.2f}x")
    print("Page times: 20-product category page, wholesale buyer, in-process test client.")


if __name__ == "__main__":
    main()
