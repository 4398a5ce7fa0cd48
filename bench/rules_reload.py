"""Benchmark of what a rule change costs a worker: compile time, the wait of the first request
after a one-rule change, and the memory a worker holds, at 1,000 / 10,000 / 100,000 rules.

Run from the repository root: ``.venv/bin/python bench/rules_reload.py [--database-url URL]``

Builds (or reuses) a demo catalogue (default 10,000 products) in its own database (default:
SQLite at bench/.data/rules_reload.sqlite3), then for each rule count replaces the bench rules
with a realistic mix (per group, per customer, per company, per category, per product, tiers
by min_quantity, time windows) and, in a fresh process per count, prints:
- the full compile time (the first ``pricing_data()`` of a process: a cold start);
- the wait of the first request after a one-rule change made by another process (an update,
  a new rule, a deleted rule, a rule moved to another product), the worst of them and the
  median;
- the memory that process then holds: RSS after the compile minus RSS before it, the whole
  RSS, and what tracemalloc counts as still allocated by the compile (a separate run).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
# Run as a script, bench/ would come first on sys.path and this file would shadow the
# `pricing` package: put the repository root first.
sys.path.insert(0, str(ROOT))
COUNTS = (1_000, 10_000, 100_000)


def environment(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only"),
        "PYTHONPATH": str(ROOT),
    }


def prepare_database(url: str, products: int) -> None:
    env = environment(url)
    if url.startswith(("postgres://", "postgresql://")):
        from harness import ensure_postgres_database

        ensure_postgres_database(url)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [python, "manage.py", "seed_demo", "--products", str(products)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def setup_django(url: str) -> None:
    os.environ.update(environment(url))
    import django

    django.setup()


def set_rule_count(count: int, rng: random.Random) -> None:
    """Replace the bench rules so exactly `count` generated price rules are active."""
    from django.db import connection, transaction
    from django.utils import timezone

    from customers.models import Company, CustomerGroup, User
    from pricing import services
    from pricing.models import PriceRule
    from shop.models import Category, Product

    groups = list(CustomerGroup.objects.values_list("id", flat=True))
    customers = list(User.objects.values_list("id", flat=True))
    companies = list(Company.objects.values_list("id", flat=True))
    categories = list(Category.objects.values_list("id", flat=True))
    product_ids = list(Product.objects.values_list("id", flat=True))
    now = timezone.now()
    rules = []
    for i in range(count):
        fields: dict = {}
        what = rng.random()
        if i < 40 or what < 0.02:
            if rng.random() < 0.8:
                fields["category_id"] = rng.choice(categories)
        else:
            fields["product_id"] = rng.choice(product_ids)
        who = rng.random()
        if who < 0.25:
            fields["customer_id"] = rng.choice(customers)
        elif who < 0.35 and companies:
            fields["company_id"] = rng.choice(companies)
        elif who < 0.85:
            fields["group_id"] = rng.choice(groups)
        if rng.random() < 0.1:  # a sale: a window in the past, now or in the future
            start = now + timedelta(days=rng.randrange(-30, 30))
            fields["starts_at"] = start
            fields["ends_at"] = start + timedelta(days=rng.randrange(1, 20))
        kind = rng.choice(["percent_off", "amount_off", "fixed_price"])
        value = Decimal(rng.randrange(1, 30)) if kind != "fixed_price" else Decimal("9.99")
        rules.append(
            PriceRule(
                name=f"bench {i}",
                kind=kind,
                value=value,
                min_quantity=rng.choice([1, 1, 1, 6, 12, 24]),  # tiers
                priority=rng.choice([0, 0, 0, 1]),
                **fields,
            )
        )
    with transaction.atomic():
        PriceRule.objects.all().delete()
        PriceRule.objects.bulk_create(rules, batch_size=1000)
        services.rules_changed()
    if connection.vendor == "postgresql":
        # What autovacuum does within a minute of a bulk load: with the statistics of the
        # empty tables, the planner reads the whole rule table to join a one-row change log.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def one_rule_changes(rng: random.Random):
    """Changes another process makes, each in its own transaction, as the admin would."""
    from django.db import transaction

    from pricing import services
    from pricing.models import PriceRule
    from shop.models import Product

    product_ids = list(Product.objects.values_list("id", flat=True)[:2000])

    def update():
        rule = PriceRule.objects.filter(kind="percent_off").order_by("?").first()
        rule.value = Decimal(rng.randrange(1, 30))
        rule.save()

    def create():
        PriceRule.objects.create(
            name="bench new",
            kind="fixed_price",
            value=Decimal("4.50"),
            product_id=rng.choice(product_ids),
        )

    def delete():
        PriceRule.objects.filter(pk=PriceRule.objects.order_by("?").first().pk).delete()

    def move():
        rule = PriceRule.objects.filter(product__isnull=False).order_by("?").first()
        rule.product_id = rng.choice(product_ids)
        rule.group_id = None
        rule.save()

    for name, change in (("update", update), ("create", create), ("delete", delete),
                         ("move", move)) * 3:  # fmt: skip
        with transaction.atomic():
            change()
            services.rules_changed()
        yield name


def child(url: str, trace: bool) -> None:
    """One worker: a cold compile, then the first request after each one-rule change."""
    setup_django(url)
    import tracemalloc

    from pricing import services
    from pricing.models import PricingVersion

    PricingVersion.current()  # connect and import everything before measuring
    gc.collect()
    before = rss_mb()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    services.pricing_data()
    compile_s = time.perf_counter() - started
    gc.collect()
    result = {"compile_ms": compile_s * 1000, "rss_delta": rss_mb() - before, "rss": rss_mb()}
    if trace:
        result["traced_mb"] = tracemalloc.get_traced_memory()[0] / 2**20
        tracemalloc.stop()
        print(json.dumps(result))
        return
    waits = []
    rng = random.Random(11)
    for _name in one_rule_changes(rng):
        started = time.perf_counter()
        data = services.pricing_data()  # the next request of this worker
        waits.append((time.perf_counter() - started) * 1000)
        assert data.version == PricingVersion.current()
    gc.collect()
    result.update(
        wait_max=max(waits), wait_median=statistics.median(waits), rss_after_changes=rss_mb()
    )
    print(json.dumps(result))


def run_child(url: str, trace: bool) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--database-url", url, "--child"]
        + (["--trace"] if trace else []),
        cwd=ROOT,
        env=environment(url),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=f"sqlite:///{DATA / 'rules_reload.sqlite3'}")
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--counts", default=",".join(str(c) for c in COUNTS))
    parser.add_argument("--skip-prepare", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.database_url, args.trace)
        return
    DATA.mkdir(parents=True, exist_ok=True)
    engine_name = args.database_url.split("://")[0]
    if not args.skip_prepare:
        print(f"Preparing {args.products} products in {engine_name} ...", flush=True)
        prepare_database(args.database_url, args.products)
    setup_django(args.database_url)
    from pricing import services

    rows = []
    for count in (int(c) for c in args.counts.split(",")):
        set_rule_count(count, random.Random(count))
        figures = run_child(args.database_url, trace=False)
        figures.update(run_child(args.database_url, trace=True) | figures)
        figures["strategy"] = getattr(services, "RELOAD_STRATEGY", "full")
        rows.append((count, figures))
        print(f"{count:,} rules: {json.dumps(figures)}", flush=True)

    print(f"\n{engine_name}, one fresh process per row")
    print(
        f"{'rules':>8} {'compile':>9} {'wait max':>9} {'wait p50':>9} {'RSS delta':>10} "
        f"{'RSS':>7} {'traced':>8} {'RSS after':>10}"
    )
    for count, f in rows:
        print(
            f"{count:>8,} {f['compile_ms']:>7.0f}ms {f['wait_max']:>7.1f}ms "
            f"{f['wait_median']:>7.1f}ms {f['rss_delta']:>8.1f}MB {f['rss']:>5.0f}MB "
            f"{f['traced_mb']:>6.1f}MB {f['rss_after_changes']:>8.0f}MB"
        )
    print(
        "compile: a cold pricing_data(); wait: the first pricing_data() after a one-rule "
        "change committed by another process (update, create, delete, move; 12 changes); "
        "RSS after: the worker after those changes."
    )


if __name__ == "__main__":
    main()
