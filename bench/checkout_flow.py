"""In-process cost of each step of the buyer's checkout flow: CPU milliseconds and queries.

Run from the repository root::

    .venv/bin/python bench/checkout_flow.py
    .venv/bin/python bench/checkout_flow.py --orders 30 --profile place
    .venv/bin/python bench/checkout_flow.py --database-url sqlite:///bench/.data/flow.sqlite3

Builds (once) its own database (default ``comptoir_bench_checkout_flow`` on 127.0.0.1:5432;
``migrate`` and ``seed_demo``) and walks, through Django's test client with DEBUG off, the
steps `bench/checkout.py` makes its buyers take over HTTP: add two products to the cart and
look at the cart after each, the details step (GET, POST), the delivery step (GET, POST), the
review and the placing of the order; as a guest, as the demo shopper and as the VIP. Prints
per step the median process CPU time (less noisy than wall time on a shared machine) and the
queries, and the whole flow per order. --profile STEP prints where that step's time goes
(cProfile). Asserts nothing beyond each step answering as a browser's buyer expects.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.quick_order import setup_django  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/comptoir_bench_checkout_flow"
SKUS = ("KIT-105", "GAR-203")
BUYERS = (None, "shopper@example.com", "vip@example.com")
ADDRESS = {
    "full_name": "Bench Buyer",
    "company": "",
    "line1": "3 rue des Lilas",
    "line2": "",
    "postal_code": "69002",
    "city": "Lyon",
    "country": "FR",
    "phone": "",
}
KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
TOTAL = re.compile(r'name="confirmed_total" value="([^"]+)"')
TERMS_VERSION = re.compile(r'name="terms_version" value="([^"]*)"')


def seed() -> None:
    from django.core.management import call_command

    from shop.models import Product

    if not Product.objects.filter(sku=SKUS[0]).exists():
        call_command("seed_demo", verbosity=0)
    Product.objects.filter(sku__in=SKUS).update(stock=1_000_000)


class Flow:
    """One buyer's orders, each step timed and its queries counted."""

    def __init__(self, login: str | None, figures, profiled: str | None):
        from django.test import Client

        from customers.models import User
        from shop.models import Product, ShippingMethod

        self.client = Client()
        if login is not None:
            self.client.force_login(User.objects.get(email=login))
        self.login = login
        self.products = list(Product.objects.filter(sku__in=SKUS).values_list("pk", flat=True))
        self.shipping = ShippingMethod.objects.get(name="Standard").pk
        self.figures = figures
        self.profiled = profiled
        self.profile = cProfile.Profile()
        self.queries = {}

    def step(self, name: str, method: str, path: str, data=None, expect=(200, 302)):
        from django.db import connection, reset_queries
        from django.test.utils import CaptureQueriesContext

        reset_queries()
        call = getattr(self.client, method)
        with CaptureQueriesContext(connection) as captured:
            started = time.process_time()
            if name == self.profiled:
                response = self.profile.runcall(call, path, data)
            else:
                response = call(path, data)
            cpu = time.process_time() - started
        if response.status_code not in expect:
            raise RuntimeError(f"{name}: {path} answered {response.status_code}")
        self.figures[name].append((cpu, len(captured.captured_queries)))
        self.queries[name] = [query["sql"] for query in captured.captured_queries]
        return response

    def order(self) -> None:
        for pk in self.products:
            self.step("cart add", "post", "/cart/add/", {"product": pk, "quantity": 1})
            self.step("cart page", "get", "/cart/")
        self.step("details GET", "get", "/checkout/")
        details = {"billing_choice": "new", "shipping_choice": "same"}
        details.update({f"billing-{name}": value for name, value in ADDRESS.items()})
        if self.login is None:
            details["email"] = "bench-flow@example.com"
        self.step("details POST", "post", "/checkout/", details, expect=(302,))
        self.step("delivery GET", "get", "/checkout/delivery/")
        self.step(
            "delivery POST",
            "post",
            "/checkout/delivery/",
            {"shipping_method": self.shipping, "payment_method": "bank_transfer"},
            expect=(302,),
        )
        review = self.step("review", "get", "/checkout/review/", expect=(200,)).content.decode()
        data = {
            "idempotency_key": KEY.search(review).group(1),
            "confirmed_total": TOTAL.search(review).group(1),
        }
        terms = TERMS_VERSION.search(review)
        if terms:
            data.update(terms_version=terms.group(1), accept_terms="1")
        placed = self.step("place", "post", "/checkout/place/", data, expect=(302,))
        if "/orders/" not in placed.url:
            raise RuntimeError(f"place: sent to {placed.url}")


STEPS = (
    "cart add",
    "cart page",
    "details GET",
    "details POST",
    "delivery GET",
    "delivery POST",
    "review",
    "place",
)
PER_ORDER = {"cart add": 2, "cart page": 2}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--orders", type=int, default=20, help="orders per buyer")
    parser.add_argument("--profile", choices=STEPS, default=None)
    parser.add_argument("--sql", choices=STEPS, default=None, help="print a step's queries")
    args = parser.parse_args()
    # As in production: the confirmation email waits in the database for a worker.
    os.environ.setdefault("TASKS_BACKEND", "database")
    setup_django(args.database_url, "checkout_flow.sqlite3")
    seed()
    figures = defaultdict(list)
    flows = [Flow(login, figures, args.profile) for login in BUYERS]
    for flow in flows:
        flow.order()  # the process's caches warm, as in a running shop
    figures.clear()
    for _round in range(args.orders):
        for flow in flows:
            flow.order()
    print(f"Checkout flow in-process, {args.orders} orders x {len(BUYERS)} buyers")
    print(f"  {'step':14s} {'CPU ms':>8s} {'queries':>8s}")
    total_cpu = total_queries = 0.0
    for name in STEPS:
        cpu = statistics.median(c for c, _q in figures[name]) * 1000
        queries = statistics.median(q for _c, q in figures[name])
        times = PER_ORDER.get(name, 1)
        total_cpu += cpu * times
        total_queries += queries * times
        print(f"  {name:14s} {cpu:8.1f} {queries:8.0f}" + (f"   (x{times})" if times > 1 else ""))
    print(f"  {'per order':14s} {total_cpu:8.1f} {total_queries:8.0f}")
    if args.sql:
        for flow in flows:
            print(f"\n{args.sql} of {flow.login or 'a guest'}:")
            for sql in flow.queries[args.sql]:
                print("   ", sql[:300])
    if args.profile:
        stats = pstats.Stats(*(flow.profile for flow in flows))
        stats.sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(45)


if __name__ == "__main__":
    main()
