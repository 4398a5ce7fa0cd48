"""Benchmark of the pure pricing engine: quotes per second and rule compile time.

Run from the repository root: ``.venv/bin/python bench/engine.py [--quotes N] [--seed S]``

Synthetic shop: 10,000 products in a 3-level category tree (10 roots x 10 x 10 leaves), 3 groups,
5,000 customers. A rule set of N rules is the same fixed base of 40 broad rules in every set
(8 on the whole catalogue, 32 on top-level categories, for groups or everyone, some of them
scheduled or expired sales: a shop has a handful of those, however many rules it has) plus
N - 40 specific rules spread over product, leaf/middle category and catalogue scopes and over
customer, company, group and everyone buyers, with quantity tiers and time windows. 500
companies; three customers in five buy for one (``company_of``), so their quotes gather their
company's rules too.
This is how rule counts grow in a real B2B shop: negotiated per-customer, per-company and
per-product prices. A third, informative run ("uniform") spreads 10,000 rules evenly over every
scope, broad ones included, to show the cost when many rules target the same products: a
quote's cost is proportional to its candidates (every one is listed in the explanation), not
to the number of rules in the set.

Single-threaded (one core). Times are process CPU time (``time.process_time``), so other work on
a shared machine inflates them less than wall-clock time would; wall-clock quotes/s are printed
too. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pricing.engine import (  # noqa: E402
    LOWEST,
    STRATEGIES,
    Buyer,
    CartDiscountData,
    PriceRuleData,
    ProductSnapshot,
    QuantityRuleData,
    compile_rules,
    quote,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
GROUPS = (1, 2, 3)
N_CUSTOMERS = 5_000
N_COMPANIES = 500
N_PRODUCTS = 10_000
BROAD_RULES = 40  # of which BROAD_CATALOGUE_RULES whole-catalogue, the rest top-level categories
BROAD_CATALOGUE_RULES = 8
KINDS = ("fixed_price", "percent_off", "amount_off")


def build_catalogue(rng: random.Random) -> tuple[list[ProductSnapshot], dict[str, list]]:
    roots = list(range(1, 11))
    mids, leaves, paths = [], [], []
    next_id = 11
    for root in roots:
        for _ in range(10):
            mid = next_id
            next_id += 1
            mids.append(mid)
            for _ in range(10):
                leaf = next_id
                next_id += 1
                leaves.append(leaf)
                paths.append((root, mid, leaf))
    products = [
        ProductSnapshot(
            id=pid,
            base_price=Decimal(rng.randint(100, 50_000)) / 100,
            category_path=paths[(pid - 1) % len(paths)],
            name=f"Product {pid}",
        )
        for pid in range(1, N_PRODUCTS + 1)
    ]
    return products, {"root": roots, "mid": mids, "leaf": leaves}


def company_of(customer: int) -> int | None:
    """The company a synthetic customer buys for: three in five buy for one of N_COMPANIES."""
    return 1 + customer % N_COMPANIES if customer % 5 < 3 else None


def make_rule(rng: random.Random, rule_id: int, who: str, what: str, categories) -> PriceRuleData:
    kind = rng.choice(KINDS)
    if kind == "percent_off":
        value = Decimal(rng.choice([5, 10, 12.5, 15, 20, 33.33, 50])).quantize(Decimal("0.01"))
    elif kind == "amount_off":
        value = Decimal(rng.randint(10, 2_000)) / 100
    else:
        value = Decimal(rng.randint(100, 40_000)) / 100
    starts_at = ends_at = None
    window = rng.random()
    if window < 0.05:
        starts_at = NOW + timedelta(days=rng.randint(1, 30))  # scheduled
    elif window < 0.10:
        ends_at = NOW - timedelta(days=rng.randint(1, 30))  # expired
    elif window < 0.20:
        starts_at, ends_at = NOW - timedelta(days=3), NOW + timedelta(days=3)  # running sale
    fields = {}
    if who == "customer":
        fields["customer_id"] = rng.randint(1, N_CUSTOMERS)
    elif who == "company":
        fields["company_id"] = rng.randint(1, N_COMPANIES)
    elif who == "group":
        fields["group_id"] = rng.choice(GROUPS)
    if what == "product":
        fields["product_id"] = rng.randint(1, N_PRODUCTS)
    elif what in ("leaf", "mid", "root"):
        fields["category_id"] = rng.choice(categories[what])
    return PriceRuleData(
        id=rule_id,
        name=f"Rule {rule_id}",
        kind=kind,
        value=value,
        priority=rng.choice([0, 0, 0, 0, 1, 5]),
        min_quantity=rng.choice([1, 1, 1, 1, 6, 12, 24]),
        starts_at=starts_at,
        ends_at=ends_at,
        **fields,
    )


def build_rules(rng: random.Random, n: int, categories, uniform: bool = False):
    rules = []
    if uniform:
        for rule_id in range(1, n + 1):
            who = rng.choice(("customer", "company", "group", "everyone"))
            what = rng.choice(("product", "leaf", "mid", "root", "catalogue"))
            rules.append(make_rule(rng, rule_id, who, what, categories))
    else:
        broad_rng = random.Random(0)  # the same broad rules in every set, whatever its size
        for rule_id in range(1, BROAD_RULES + 1):
            who = broad_rng.choice(("group", "group", "everyone"))
            what = "catalogue" if rule_id <= BROAD_CATALOGUE_RULES else "root"
            rules.append(make_rule(broad_rng, rule_id, who, what, categories))
        for rule_id in range(BROAD_RULES + 1, n + 1):
            what = rng.choices(("product", "leaf", "mid", "catalogue"), (70, 18, 4, 8))[0]
            if what == "catalogue":
                who = rng.choice(("customer", "company"))  # negotiated "x% off everything"
            elif what == "mid":
                who = rng.choice(("customer", "company", "group"))
            else:
                who = rng.choices(("customer", "company", "group", "everyone"), (40, 15, 30, 15))[0]
            rules.append(make_rule(rng, rule_id, who, what, categories))
    quantity_rules = [
        QuantityRuleData(
            id=i,
            group_id=rng.choice((None, *GROUPS)),
            product_id=rng.randint(1, N_PRODUCTS),
            min_quantity=6,
            step=6,
        )
        for i in range(1, n // 10 + 1)
    ]
    discounts = [
        CartDiscountData(
            id=1, name="10 off 100", kind="amount", value=Decimal("10"), min_subtotal=Decimal("100")
        ),
        CartDiscountData(
            id=2, name="Wholesale 3%", kind="percent", value=Decimal("3"), group_ids=frozenset({2})
        ),
    ]
    return rules, quantity_rules, discounts


def build_requests(rng: random.Random, products, count: int):
    requests = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.3:
            buyer = Buyer(customer_id=None, group_id=1)  # guest / retail
        else:
            customer = rng.randint(1, N_CUSTOMERS)
            buyer = Buyer(
                customer_id=customer, group_id=GROUPS[customer % 3], company_id=company_of(customer)
            )
        quantity = rng.choice((1, 1, 1, 2, 6, 12, 24, 30))
        requests.append((rng.choice(products), buyer, quantity))
    return requests


def run(
    label: str,
    n_rules: int,
    products,
    categories,
    requests,
    seed: int,
    strategy: str,
    uniform=False,
):
    if uniform:
        requests = requests[:2_000]  # hundreds of candidates per quote: keep the run short
    rng = random.Random(seed + n_rules + uniform)
    rules, quantity_rules, discounts = build_rules(rng, n_rules, categories, uniform)
    compile_times = []
    for _ in range(5):
        start = time.process_time()
        ruleset = compile_rules(rules, quantity_rules, discounts, strategy=strategy)
        compile_times.append(time.process_time() - start)

    for product, buyer, quantity in requests[:1_000]:  # warm up
        quote(ruleset, product, buyer, quantity, NOW)
    timings, wall = [], []
    candidates = 0
    for _ in range(3):
        start, wall_start = time.process_time(), time.perf_counter()
        for product, buyer, quantity in requests:
            quote(ruleset, product, buyer, quantity, NOW)
        timings.append(time.process_time() - start)
        wall.append(time.perf_counter() - wall_start)
    for product, buyer, quantity in requests[:5_000]:
        candidates += len(quote(ruleset, product, buyer, quantity, NOW).candidates)
    best = min(timings)
    per_quote = best / len(requests)
    print(
        f"{label:<22} {strategy:<8} rules={n_rules:>6}"
        f"  compile={statistics.median(compile_times) * 1000:7.1f} ms"
        f"  quotes/s={1 / per_quote:>9,.0f}  per quote={per_quote * 1e6:6.1f} us"
        f"  candidates/quote={candidates / min(5_000, len(requests)):7.2f}"
        f"  (wall: {len(requests) / min(wall):,.0f} quotes/s)"
    )
    return per_quote


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=50_000, help="quotes per timing pass")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    products, categories = build_catalogue(rng)
    requests = build_requests(rng, products, args.quotes)
    print(
        f"Pricing engine, one core, {len(products):,} products, {len(requests):,} quotes per pass"
        f" (best of 3), the structured explanation built for every quote"
    )
    for strategy in STRATEGIES:
        small = run("realistic", 1_000, products, categories, requests, args.seed, strategy)
        large = run("realistic", 10_000, products, categories, requests, args.seed, strategy)
        print(f"{strategy}: per-quote time 10k/1k rules: {large / small:.2f}x  (target < 2x)")
        print(f"{strategy}: quotes/s with 1k rules: {1 / small:,.0f}  (target >= 20,000)")
    uniform = run(
        "uniform (informative)", 10_000, products, categories, requests, args.seed, LOWEST, True
    )
    print(
        f"uniform 10k vs realistic 1k: {uniform / small:.2f}x (cost follows candidates per quote)"
    )


if __name__ == "__main__":
    main()
