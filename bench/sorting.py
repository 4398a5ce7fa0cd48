"""Benchmark of listings sorted by the viewer's own price on a 10,000-product catalogue.

Run from the repository root::

    .venv/bin/python bench/sorting.py          # SQLite in bench/.data/ (gitignored), seeded once

Seeds (or reuses) the catalogue as bench/catalog.py does, then in-process, through
django.test.Client and the production settings, for a guest and a wholesale buyer, on a
search matching nearly the whole catalogue, the largest category (the tree below a root) and
its largest leaf:

- **first after a rule change**: the pricing version is bumped, then one request is timed (it
  recompiles the rules and, for a price sort, prices the whole listing); median of --changes;
- **warm**: the median of --requests requests once caches are warm;

for page 10 sorted by name, by price ascending and descending, with the SQL queries of a warm
request. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.catalog import prepare, setup_django  # noqa: E402
from bench.harness import DATA, production_environment  # noqa: E402

SORTS = ("name", "price", "-price")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{DATA / 'bench.sqlite3'}")
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100, help="timed warm requests")
    parser.add_argument("--changes", type=int, default=5, help="timed first requests")
    return parser.parse_args()


def listings() -> list[tuple[str, str, int]]:
    """(label, path, products) of the largest root category and of its largest leaf."""
    from django.db.models import Count

    from shop.models import Category, Product

    def size(category_ids) -> int:
        return Product.objects.filter(is_active=True, category_id__in=category_ids).count()

    roots = Category.objects.filter(parent=None, is_active=True, visible_to=None)
    parents = dict(Category.objects.values_list("id", "parent_id"))

    def below(root_id):
        return [pk for pk in parents if _path(pk, parents)[0] == root_id]

    root = max(roots, key=lambda r: size(below(r.pk)))
    leaf = (
        Category.objects.filter(parent=root)
        .annotate(products_count=Count("products"))
        .order_by("-products_count")
        .first()
    )
    everything = Product.objects.filter(is_active=True, description__icontains="e").count()
    return [
        ("search 'e'", "/search/?q=e&", everything),
        (f"tree {root.slug}", f"/c/{root.slug}/?", size(below(root.pk))),
        (f"leaf {leaf.slug}", f"/c/{leaf.slug}/?", size([leaf.pk])),
    ]


def _path(pk, parents) -> list[int]:
    path = [pk]
    while parents.get(path[0]) is not None:
        path.insert(0, parents[path[0]])
    return path


def timed(client, url) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def measure(client, url, *, requests: int, changes: int) -> tuple[float, float, int]:
    from django.db import connection

    from pricing import services

    first = []
    for _ in range(changes):
        services.rules_changed()
        first.append(timed(client, url))
    for _ in range(5):
        client.get(url)
    queries = []

    def count(execute, sql, *rest):
        queries.append(sql)
        return execute(sql, *rest)

    with connection.execute_wrapper(count):
        client.get(url)
    warm = [timed(client, url) for _ in range(requests)]
    return statistics.median(first), statistics.median(warm), len(queries)


def main() -> None:
    args = parse_args()
    env = production_environment(args.database_url)
    prepare(args, env)
    setup_django(env)
    from django.conf import settings
    from django.test import Client

    from customers.models import User
    from shop.models import Product

    guest = Client()
    wholesale = Client()
    buyer = User.objects.filter(profile__group__slug="wholesale").order_by("pk").first()
    wholesale.force_login(buyer)
    print(
        f"\n{Product.objects.count()} products, strategy {settings.SHOP_PRICING_STRATEGY}, "
        f"page size {settings.SHOP_PAGE_SIZE}, page 10; times in ms (median)"
    )
    header = f"{'persona':<10} {'listing':<28} {'sort':<7} {'first after change':>19} "
    print(header + f"{'warm':>7} {'queries':>8} {'warm vs name':>13}")
    for persona, client in [("guest", guest), ("wholesale", wholesale)]:
        for label, path, size in listings():
            by_name = None
            for sort in SORTS:
                url = f"{path}sort={sort}&page=10"
                first, warm, queries = measure(
                    client, url, requests=args.requests, changes=args.changes
                )
                by_name = by_name or warm
                print(
                    f"{persona:<10} {f'{label} ({size})':<28} {sort:<7} {first:>19.1f} "
                    f"{warm:>7.2f} {queries:>8} {warm / by_name:>12.2f}x"
                )


if __name__ == "__main__":
    main()
