"""Comptoir's storefront pages against the floor, bare Django on this machine, in one sitting.

Run from the repository root (it seeds the database unless it holds a catalogue)::

    .venv/bin/python bench/floor.py                        # SQLite in bench/.data/
    .venv/bin/python bench/floor.py --database-url postgres://postgres@127.0.0.1:5432/comptoir_bench

The floor (../shared/bench/floor/: startproject middleware, one table, a view listing 20 titles)
is copied to bench/.data/floor and served with this project's Django and gunicorn; Comptoir is
served with the production settings. Both run 2 sync workers on 127.0.0.1 at once; each page is
loaded with `wrk -t2 -c8` right after the floor, round after round, so that the machine's noise
hits both, and the figure kept is the median over the rounds of the page's requests per second
as a share of the floor's in the same round. The pages: guests' and a trade buyer's category,
product, home and search pages (served from the page cache once warm, every price the viewer's
own), a price-sorted deep page, and a 10-line cart (never cached). Also prints each page's
queries and in-process time, from the page cache and rendered afresh. Loopback only; prints
figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    DATA,
    PYTHON,
    ROOT,
    GunicornServer,
    prepare_catalogue,
    production_environment,
)

FLOOR_SOURCE = ROOT.parent / "shared" / "bench" / "floor"
FLOOR = DATA / "floor"
REQUESTS_PER_SECOND = re.compile(r"Requests/sec:\s+([\d.]+)")
NOT_OK = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{DATA / 'bench.sqlite3'}")
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", default="", help="measure only the pages whose label has this")
    return parser.parse_args()


def prepare_floor() -> None:
    if not (FLOOR / "floor.sqlite").exists():
        shutil.copytree(FLOOR_SOURCE, FLOOR, dirs_exist_ok=True)
        subprocess.run([PYTHON, "setup_db.py"], cwd=FLOOR, check=True)


def setup_django(env) -> None:
    os.environ.update(env)
    import django

    django.setup()


def personas_and_pages() -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Session cookies of a trade buyer with a 10-line cart, and (label, persona, path)."""
    from django.db.models import Count
    from django.test import Client

    from customers.models import User
    from shop.models import Category, Product

    buyer = User.objects.filter(profile__group__portal_access=True, is_staff=False).first()
    client = Client()
    client.force_login(buyer)
    products = Product.objects.filter(is_active=True, stock__gt=100).order_by("sku")
    for product in products[:10]:
        client.post("/cart/add/", {"product": product.pk, "quantity": 1})
    cookies = {"guest": "", "trade": f"sessionid={client.cookies['sessionid'].value}"}
    root = (
        Category.objects.filter(parent=None, is_active=True, visible_to=None)
        .annotate(children_count=Count("children"))
        .filter(children_count__gt=0)
        .order_by("position", "name")
        .first()
    )
    leaf = Category.objects.filter(parent=root).order_by("position", "name").first()
    product = products[products.count() // 2].get_absolute_url()
    pages = [
        ("guest category, page 1", "guest", f"/c/{root.slug}/"),
        ("guest leaf category page 10 by price", "guest", f"/c/{leaf.slug}/?sort=price&page=10"),
        ("guest product", "guest", product),
        ("guest home", "guest", "/"),
        ("search 'classic'", "guest", "/search/?q=classic"),
        ("trade category, page 1", "trade", f"/c/{root.slug}/"),
        ("trade product", "trade", product),
        ("trade search 'classic'", "trade", "/search/?q=classic"),
        ("cart with 10 lines (never cached)", "trade", "/cart/"),
    ]
    return cookies, pages


def in_process(cookies, pages) -> dict[str, tuple]:
    """(queries and ms from the page cache, the same afresh) of each page, medians of 50."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    figures = {}
    kept_for = settings.SHOP_PAGE_CACHE_SECONDS
    for label, persona, path in pages:
        client = Client()
        if cookies[persona]:
            client.cookies["sessionid"] = cookies[persona].split("=", 1)[1]
        row = []
        for seconds in (kept_for, 0):
            settings.SHOP_PAGE_CACHE_SECONDS = seconds
            client.get(path)
            connection.force_debug_cursor = True  # each request starts by emptying the log
            try:
                assert client.get(path).status_code == 200, path
                queries = len(connection.queries)
            finally:
                connection.force_debug_cursor = False
            timings = []
            for _ in range(50):
                started = time.perf_counter()
                client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
            row += [queries, statistics.median(timings)]
        settings.SHOP_PAGE_CACHE_SECONDS = kept_for
        figures[label] = tuple(row)
    return figures


def wrk(port: int, path: str, *, cookie: str, duration: int, connections: int) -> float:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", f"http://127.0.0.1:{port}{path}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    failed = NOT_OK.search(output)
    if failed:
        raise RuntimeError(f"{path}: {failed.group(1)} responses were not 2xx/3xx")
    return float(REQUESTS_PER_SECOND.search(output).group(1))


def answers(path: str):
    def check(port: int) -> bool:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status == 200

    return check


def main() -> None:
    args = parse_args()
    env = production_environment(args.database_url)
    prepare_catalogue(args.database_url, env, args.products)
    prepare_floor()
    setup_django(env)
    from django.db import connection

    cookies, pages = personas_and_pages()
    pages = [page for page in pages if args.only in page[0]]
    local = in_process(cookies, pages)
    floor = GunicornServer({"PATH": os.environ["PATH"]}, "floorsite:application", 2, root=FLOOR)
    shop = GunicornServer(env, "config.wsgi:application", 2)
    ratios: dict[str, list[float]] = {label: [] for label, _persona, _path in pages}
    rates: dict[str, list[float]] = {label: [] for label in ratios}
    floors: list[float] = []
    try:
        floor.wait_ready(answers("/list/"))
        shop.wait_ready(answers("/"))
        for _label, persona, path in pages:  # warm both workers
            wrk(shop.port, path, cookie=cookies[persona], duration=1, connections=2)
        for _round in range(args.rounds):
            for label, persona, path in pages:
                base = wrk(floor.port, "/list/", cookie="", **_load(args))
                rate = wrk(shop.port, path, cookie=cookies[persona], **_load(args))
                floors.append(base)
                rates[label].append(rate)
                ratios[label].append(rate / base)
    finally:
        floor.stop()
        shop.stop()
    _report(args, connection.vendor, floors, rates, ratios, local, pages)


def _load(args) -> dict:
    return {"duration": args.duration, "connections": args.connections}


def _report(args, vendor, floors, rates, ratios, local, pages) -> None:
    from shop.models import Product

    print()
    print(
        f"Comptoir against the floor: {Product.objects.count()} products on {vendor}, "
        f"{os.cpu_count()} CPUs, gunicorn 2 sync workers each, wrk -t2 -c{args.connections} "
        f"{args.duration} s, {args.rounds} rounds, each page right after the floor"
    )
    print(f"floor: median {statistics.median(floors):.0f} req/s (min {min(floors):.0f})")
    header = (
        f"{'page':<38} {'req/s':>7} {'% floor':>8} {'kept q':>6} {'kept ms':>7} "
        f"{'fresh q':>7} {'fresh ms':>8}"
    )
    print(header)
    print("-" * len(header))
    for label, _persona, _path in pages:
        kept_q, kept_ms, fresh_q, fresh_ms = local[label]
        print(
            f"{label:<38} {statistics.median(rates[label]):>7.0f} "
            f"{100 * statistics.median(ratios[label]):>7.1f}% {kept_q:>6} {kept_ms:>7.2f} "
            f"{fresh_q:>7} {fresh_ms:>8.2f}"
        )
    print("kept: served from the page cache (in-process, median of 50); fresh: rendered")
    for label, persona, path in pages:
        print(f"  {label}: {path} ({persona})")


if __name__ == "__main__":
    main()
