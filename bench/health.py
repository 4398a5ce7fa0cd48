"""Benchmark of the Pricing health check: every conflict of every active price rule, end to end.

Run from the repository root: ``.venv/bin/python bench/health.py [--database-url URL]``

Builds (once) its own database (default: SQLite at bench/.data/health.sqlite3) with the
synthetic shop of bench/engine.py: 10,000 products in a 3-level category tree (10 x 10 x 10),
3 groups (the first is the default group), 5,000 customers in those groups, 500 companies (one
customer in ten a member of one). For
1,000 and 10,000 price rules of bench/engine.py's realistic mix (broad rules, negotiated
customer and company prices, product tiers, sales, scheduled and expired rules) and for both
strategies it times what the "Pricing health" page computes: rules loaded from the database,
products, groups and customers read, every product surveyed per group and each customer's (and
company's) rules for that customer (their catalogue-wide ones against the group's and guest's
ladders), every finding worded
(``pricing.health.rule_set_warnings``). Prints the median of 3 runs (wall clock and CPU time,
one core: the machine may be shared) and the warning counts; asserts nothing.
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
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
sys.path.insert(0, str(ROOT))  # run as a script, bench/ would shadow the `pricing` package


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def build_shop(rng: random.Random) -> dict:
    """The synthetic catalogue and buyers as rows; ids of bench/engine.py mapped to rows."""
    from bench import engine as synthetic
    from customers.models import Company, CompanyMember, CustomerGroup, CustomerProfile, User
    from shop.models import Category, Product

    groups = [CustomerGroup.objects.get(is_default=True)]
    for name in ("Bench trade", "Bench VIP"):
        groups.append(
            CustomerGroup.objects.get_or_create(name=name, slug=name.lower().replace(" ", "-"))[0]
        )
    if not Product.objects.filter(sku__startswith="HB-").exists():
        snapshots, categories = synthetic.build_catalogue(rng)
        rows = {}
        for level in ("root", "mid", "leaf"):
            for synthetic_id in categories[level]:
                rows[synthetic_id] = Category(name=f"C{synthetic_id}", slug=f"hb-c{synthetic_id}")
        Category.objects.bulk_create(rows.values(), batch_size=500)
        by_slug = {c.slug: c for c in Category.objects.filter(slug__startswith="hb-c")}
        parents = {}
        for snapshot in snapshots:
            root, mid, leaf = snapshot.category_path
            parents[mid], parents[leaf] = root, mid
        for child, parent in parents.items():
            by_slug[f"hb-c{child}"].parent = by_slug[f"hb-c{parent}"]
        Category.objects.bulk_update(by_slug.values(), ["parent"], batch_size=500)
        Product.objects.bulk_create(
            [
                Product(
                    sku=f"HB-{s.id:05d}",
                    name=s.name,
                    slug=f"hb-{s.id}",
                    category=by_slug[f"hb-c{s.category_path[-1]}"],
                    base_price=s.base_price,
                    stock=100,
                )
                for s in snapshots
            ],
            batch_size=1000,
        )
        users = User.objects.bulk_create(
            [User(email=f"hb{i}@example.com") for i in range(1, synthetic.N_CUSTOMERS + 1)],
            batch_size=1000,
        )
        CustomerProfile.objects.bulk_create(
            [CustomerProfile(user=user, group=groups[i % 3]) for i, user in enumerate(users, 1)],
            batch_size=1000,
        )
    if not Company.objects.filter(name__startswith="HB company ").exists():
        Company.objects.bulk_create(
            [
                Company(name=f"HB company {i}", group=groups[i % 3])
                for i in range(1, synthetic.N_COMPANIES + 1)
            ],
            batch_size=1000,
        )
    if not CompanyMember.objects.filter(company__name__startswith="HB company ").exists():
        # One customer in ten buys for a company (two per company): their own rules are judged
        # against their company's, in the company's group.
        by_number = {
            int(c.name.rsplit(" ", 1)[1]): c
            for c in Company.objects.filter(name__startswith="HB company ")
        }
        by_email = {u.email: u for u in User.objects.filter(email__startswith="hb")}
        CompanyMember.objects.bulk_create(
            [
                CompanyMember(
                    company=by_number[i % synthetic.N_COMPANIES + 1],
                    user=by_email[f"hb{i}@example.com"],
                )
                for i in range(1, synthetic.N_CUSTOMERS + 1, 10)
            ],
            batch_size=1000,
        )
    companies = Company.objects.filter(name__startswith="HB company ").values_list("name", "pk")
    categories = {int(c.slug[4:]): c.pk for c in Category.objects.filter(slug__startswith="hb-c")}
    products = dict(Product.objects.filter(sku__startswith="HB-").values_list("slug", "pk"))
    customers = dict(User.objects.filter(email__startswith="hb").values_list("email", "pk"))
    return {
        "groups": {i + 1: group.pk for i, group in enumerate(groups)},
        "categories": categories,
        "products": {int(slug[3:]): pk for slug, pk in products.items()},
        "customers": {int(email[2:].split("@")[0]): pk for email, pk in customers.items()},
        "companies": {int(name.rsplit(" ", 1)[1]): pk for name, pk in companies},
    }


def set_rules(count: int, shop: dict) -> None:
    from bench import engine as synthetic
    from pricing.models import PriceRule, PricingVersion

    catalogue_rng = random.Random(0)
    _snapshots, categories = synthetic.build_catalogue(catalogue_rng)
    rules, _quantity_rules, _discounts = synthetic.build_rules(
        random.Random(count), count, categories
    )
    PriceRule.objects.all().delete()
    PriceRule.objects.bulk_create(
        [
            PriceRule(
                name=rule.name,
                kind=rule.kind,
                value=rule.value,
                priority=rule.priority,
                min_quantity=rule.min_quantity,
                group_id=shop["groups"].get(rule.group_id),
                customer_id=shop["customers"].get(rule.customer_id),
                company_id=shop["companies"].get(rule.company_id),
                product_id=shop["products"].get(rule.product_id),
                category_id=shop["categories"].get(rule.category_id),
                starts_at=rule.starts_at,
                ends_at=rule.ends_at,
            )
            for rule in rules
        ],
        batch_size=1000,
    )
    PricingVersion.bump()


def measure(at) -> tuple[float, float, Counter]:
    """(median wall clock, median CPU time, warning counts) of 3 runs."""
    from pricing import health, loaders, services

    services.pricing_data()  # the page's process has the compiled data already
    wall, cpu = [], []
    for _ in range(3):
        started, started_cpu = time.perf_counter(), time.process_time()
        warnings = health.rule_set_warnings(loaders.price_rules(), at=at)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    codes = Counter(warning.code for warning in warnings)
    return statistics.median(wall), statistics.median(cpu), codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=f"sqlite:///{DATA / 'health.sqlite3'}")
    parser.add_argument("--rules", type=int, nargs="*", default=[1_000, 10_000])
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, {0})  # one core
    migrate(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()
    from django.conf import settings

    from bench.engine import NOW

    shop = build_shop(random.Random(0))
    print("Pricing health, 10,000 products, 3 groups, 5,000 customers (median of 3)")
    for count in args.rules:
        set_rules(count, shop)
        for strategy in ("lowest", "priority"):
            settings.SHOP_PRICING_STRATEGY = strategy
            seconds, cpu_seconds, codes = measure(NOW)
            print(
                f"rules={count:>6}  strategy={strategy:<8}  {seconds:6.2f} s wall  "
                f"{cpu_seconds:6.2f} s CPU  "
                f"warnings={sum(codes.values()):>5}  {dict(sorted(codes.items()))}"
            )


if __name__ == "__main__":
    main()
