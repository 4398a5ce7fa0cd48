"""The page cache's hit rate with personal prices: 50 groups, the demo's traffic mix.

Run from the repository root::

    .venv/bin/python bench/page_cache.py [--products 10000] [--requests 20000]

Builds (or reuses) a demo catalogue in its own SQLite database (bench/.data/page_cache.sqlite3),
adds 50 customer groups, each with price rules of its own (a discount on a root category, fixed
prices on some products), and 500 customers spread over them, of whom 5 % have rules of their
own and 10 % buy for one of 20 companies with negotiated prices. Then it replays, in-process
with the production settings and one cache shared by every worker (as Redis is), a day's mix:
- 60 % guests, 40 % logged-in customers (each visit by a random one);
- product pages 40 %, category pages 30 % (a tenth of them sorted by price, a fifth on a later
  page), home 15 %, search 15 %; products, categories and search words drawn by popularity
  (Zipf, s = 1), as a shop's traffic is;
- while it runs, a manager edits a product every 2,000 requests and changes a price rule every
  5,000, and an order sells a product out every 1,000.
  `--no-changes` leaves them out, to show what they cost.
Prints the hit rate overall, for guests and customers and per page kind, and the cache entries
written. Loopback only; prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import DATA, prepare_catalogue, production_environment  # noqa: E402

GROUPS = 50
CUSTOMERS = 500
COMPANIES = 20
SEARCH_WORDS = ["classic", "steel", "copper", "pan", "kettle", "blue", "oak", "pro", "set", "mug"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument(
        "--no-changes", action="store_true", help="no product, stock or rule change meanwhile"
    )
    return parser.parse_args()


def prepare(url: str, env, products: int) -> None:
    prepare_catalogue(url, env, products)
    os.environ.update(env)
    import django

    django.setup()


def add_groups_and_customers(rng: random.Random) -> list:
    """The bench's groups, rules, companies and customers (made once), as logged-in clients."""
    from django.test import Client

    from customers.models import Company, CompanyMember, CustomerGroup, CustomerProfile, User
    from pricing import services
    from pricing.models import PriceRule
    from shop.models import Category, Product

    roots = list(Category.objects.filter(parent=None, is_active=True))
    products = list(Product.objects.filter(is_active=True).values_list("pk", flat=True))
    if not CustomerGroup.objects.filter(slug="bench-group-0").exists():
        groups = [
            CustomerGroup.objects.create(
                name=f"Bench group {n}", slug=f"bench-group-{n}", prices_include_tax=n % 3 != 0
            )
            for n in range(GROUPS)
        ]
        rules = []
        for group in groups:
            rules.append(
                PriceRule(
                    name=f"{group.slug} category",
                    group=group,
                    category=rng.choice(roots),
                    kind="percent_off",
                    value=Decimal(rng.randint(3, 20)),
                )
            )
            for pk in rng.sample(products, 20):
                rules.append(
                    PriceRule(
                        name=f"{group.slug} product",
                        group=group,
                        product_id=pk,
                        kind="fixed_price",
                        value=Decimal(rng.randint(500, 9000)) / 100,
                    )
                )
        companies = [
            Company.objects.create(name=f"Bench company {n}", group=rng.choice(groups))
            for n in range(COMPANIES)
        ]
        for company in companies:
            for pk in rng.sample(products, 10):
                rules.append(
                    PriceRule(
                        name=f"company {company.pk}",
                        company=company,
                        product_id=pk,
                        kind="percent_off",
                        value=Decimal("12"),
                    )
                )
        for n in range(CUSTOMERS):
            user = User.objects.create_user(email=f"bench-{n}@example.com", password=None)
            CustomerProfile.objects.update_or_create(
                user=user, defaults={"group": rng.choice(groups)}
            )
            if n % 20 == 0:
                rules.append(
                    PriceRule(
                        name=f"own {n}",
                        customer=user,
                        product_id=rng.choice(products),
                        kind="fixed_price",
                        value=Decimal("9.99"),
                    )
                )
            elif n % 10 == 1:
                CompanyMember.objects.create(company=rng.choice(companies), user=user)
        PriceRule.objects.bulk_create(rules)
        services.rules_changed()
    clients = []
    for user in User.objects.filter(email__startswith="bench-").order_by("pk"):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def zipf(items: list, rng: random.Random):
    weights = list(itertools.accumulate(1 / rank for rank in range(1, len(items) + 1)))
    return lambda: rng.choices(items, cum_weights=weights)[0]


def replay(clients, *, requests: int, rng: random.Random, changes: bool) -> tuple[Counter, Counter]:
    from django.db.models import F
    from django.test import Client

    from pricing import services
    from pricing.models import PriceRule
    from shop.catalog.selectors import category_tree
    from shop.models import Product
    from shop.page_cache import pages

    everyones = Product.objects.filter(is_active=True, visible_to=None, category__visible_to=None)
    products = list(everyones.values_list("slug", "pk"))
    rng.shuffle(products)
    pick_product = zipf(products, rng)
    pick_category = zipf(sorted(c.slug for c in category_tree(group=None).by_id.values()), rng)
    pick_word = zipf(SEARCH_WORDS, rng)
    guest = Client()
    seen: Counter = Counter()
    hits: Counter = Counter()
    for n in range(1, requests + 1):
        if changes and n % 1000 == 0:
            Product.objects.filter(pk=pick_product()[1]).update(stock=0)
        if changes and n % 2000 == 0:
            Product.objects.filter(pk=pick_product()[1]).update(name=F("name"))
        if changes and n % 5000 == 0:
            rule = PriceRule.objects.order_by("?").first()
            PriceRule.objects.filter(pk=rule.pk).update(value=rule.value + 1)
            services.rules_changed()
        who = "customer" if rng.random() < 0.4 else "guest"
        client = rng.choice(clients) if who == "customer" else guest
        draw = rng.random()
        if draw < 0.40:
            kind, url = "product", f"/p/{pick_product()[0]}/"
        elif draw < 0.70:
            kind, url = "category", f"/c/{pick_category()}/"
            if rng.random() < 0.1:
                url += "?sort=price"
            elif rng.random() < 0.2:
                url += f"?page={rng.randint(2, 5)}"
        elif draw < 0.85:
            kind, url = "home", "/"
        else:
            kind, url = "search", f"/search/?q={pick_word()}"
        before = pages.statistics["hit"]
        status = client.get(url).status_code
        if status != 200:
            raise RuntimeError(f"{url}: {status}")
        hit = pages.statistics["hit"] > before
        for key in (("all",), (who,), (kind,)):
            seen[key] += 1
            hits[key] += hit
    return seen, hits


def main() -> None:
    args = parse_args()
    url = f"sqlite:///{DATA / 'page_cache.sqlite3'}"
    env = production_environment(url, CACHE_URL="locmemcache://bench-pages?max_entries=100000")
    prepare(url, env, args.products)
    rng = random.Random(args.seed)
    clients = add_groups_and_customers(rng)
    from django.core.cache import cache

    from shop.page_cache import pages

    cache.clear()
    started = time.monotonic()
    seen, hits = replay(clients, requests=args.requests, rng=rng, changes=not args.no_changes)
    elapsed = time.monotonic() - started
    print()
    print(
        f"page cache: {args.requests} requests, {GROUPS} groups, {len(clients)} customers, "
        f"{args.products} products, {'no' if args.no_changes else 'with'} changes meanwhile, "
        f"in {elapsed:.0f} s; entries written "
        f"{pages.statistics['miss']}, not kept {pages.statistics['not kept']}"
    )
    for key in [("all",), ("guest",), ("customer",), ("product",), ("category",), ("home",)]:
        print(f"{key[0]:>10}: {100 * hits[key] / seen[key]:5.1f} % hits of {seen[key]}")
    print(f"{'search':>10}: {100 * hits[('search',)] / seen[('search',)]:5.1f} % hits")


if __name__ == "__main__":
    main()
