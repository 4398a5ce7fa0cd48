"""Benchmark of the cart page of a trade buyer with many lines.

Run from the repository root::

    .venv/bin/python bench/cart_page.py
    .venv/bin/python bench/cart_page.py --lines 3 200 1000 --profile

Uses the shop `bench/quick_order.py` builds (2,000 products, tier prices, pack sizes; SQLite
at bench/.data/quick_order.sqlite3 unless --database-url names a local PostgreSQL). For each
--lines, fills the buyer's cart with that many products and times GET /cart/ through
Django's test client: median and best milliseconds of 5 runs and the queries of one.
--profile prints where the largest page's time goes (cProfile). Asserts nothing; the target
is under 300 ms for 200 lines, with the same queries at any size.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.quick_order import (  # noqa: E402
    build_shop,
    empty_cart,
    logged_in_client,
    measure,
    setup_django,
)


def fill_cart(buyer, products, lines: int) -> None:
    from shop.cart import services as cart_services
    from shop.cart.models import Cart

    empty_cart(buyer)
    cart, _created = Cart.objects.get_or_create(user=buyer)
    items = [
        (product.sku, 12 if int(product.sku[3:]) % 10 == 0 else 7) for product in products[:lines]
    ]
    result = cart_services.cart_add_many(
        cart=cart, items=items, customer=buyer, group=buyer.profile.group
    )
    assert not result.rejected, result.rejected[:3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--lines", type=int, nargs="+", default=[3, 200])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, {0})  # one core
    setup_django(args.database_url, "quick_order.sqlite3")
    from django.db import connection

    buyer, products = build_shop()
    client = logged_in_client(buyer)

    def cart_page():
        response = client.get("/cart/")
        assert response.status_code == 200, response.status_code

    print(f"Cart page of a trade buyer ({connection.vendor}), median and best of {args.runs}")
    for lines in args.lines:
        fill_cart(buyer, products, lines)
        cart_page()  # the process's caches warm, as in a running shop
        median, best, queries = measure(cart_page, args.runs)
        print(f"  {lines:5,d} lines  {median:8.1f} ms  (best {best:7.1f})  {queries:4d} queries")
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(cart_page)
        pstats.Stats(profile).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(40)


if __name__ == "__main__":
    main()
