"""Benchmark of the storefront pages on a 10,000-product catalogue, or of how their cost grows
with the catalogue (--sizes).

Run from the repository root::

    .venv/bin/python bench/catalog.py                       # SQLite in bench/.data/ (gitignored)
    .venv/bin/python bench/catalog.py --database-url postgres://postgres@127.0.0.1:5432/comptoir_bench
    .venv/bin/python bench/catalog.py --sizes 1000,100000   # one catalogue per size, the ratio

1. Seeds (or reuses) the catalogue: ``manage.py migrate`` then ``seed_demo --products N`` as
   subprocesses with DATABASE_URL set; ``collectstatic`` for the production static storage;
   ANALYZE, so the planner has statistics for the freshly bulk-inserted rows.
2. In-process, through django.test.Client and the production settings: the median render time
   (wall clock and process CPU time, steadier on a shared machine) of each page over
   --requests requests after a warm-up, and the SQL queries per page, for a guest and for the
   demo's wholesale buyer.
3. Under a bounded local load: a gunicorn server it starts on 127.0.0.1 (a free port, 2 sync
   workers, production settings, DEBUG off) receives --concurrency client threads for
   --duration seconds per page; requests per second and latency percentiles are printed. The
   server is stopped at the end, whatever happens.

A bare-Django baseline (one query, 20 product names in a one-line template, through the same
middleware) is measured the same way; see bench/catalog_urls.py. Loopback only. Prints figures,
asserts nothing.

With --sizes, each size gets its own catalogue (an SQLite file per size, or the PostgreSQL
database name with ``_<size>`` appended), measured in-process by a run of this script per size,
one after the other; the table gives each page's cost per size and the largest size's ratio to
the smallest's (the goal: at most 1.5).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    DATA,
    PYTHON,
    ROOT,
    GunicornServer,
    is_postgres,
    prepare_catalogue,
    production_environment,
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{DATA / 'bench.sqlite3'}",
        help="default: an SQLite file in bench/.data/; or postgres://... (created if missing)",
    )
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per page")
    parser.add_argument("--concurrency", type=int, default=6, help="client threads (4-8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--skip-load", action="store_true", help="in-process figures only")
    parser.add_argument(
        "--sizes", help="comma-separated catalogue sizes (e.g. 1000,100000): in-process ratios"
    )
    parser.add_argument("--json", help=argparse.SUPPRESS)  # a --sizes run's figures, to a file
    args = parser.parse_args()
    args.concurrency = max(1, min(args.concurrency, 16))
    args.duration = max(1.0, min(args.duration, 60.0))
    return args


# --- In-process measurements -------------------------------------------------------------


def setup_django(env) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import bench.catalog_wsgi  # noqa: F401  (django.setup() with the bench URLconf)


def pick_pages() -> list[tuple[str, str]]:
    from django.db.models import Count

    from shop.models import Category, Product

    product = Product.objects.filter(is_active=True, sku__startswith="GEN-").order_by("sku")
    product = product[product.count() // 2] if product.exists() else Product.objects.first()
    roots = (
        Category.objects.filter(parent=None, is_active=True, visible_to=None)
        .annotate(children_count=Count("children"))
        .filter(children_count__gt=0)
        .order_by("position", "name")
    )
    root = roots.first()
    leaf = Category.objects.filter(parent=root).order_by("position", "name").first()
    from bench.catalog_urls import BASELINE_PATH

    return [
        ("baseline: bare Django, 20 names", BASELINE_PATH),
        ("home", "/"),
        (f"category {root.slug} (tree), page 1", f"/c/{root.slug}/"),
        (f"category {root.slug}, page 10, by price", f"/c/{root.slug}/?sort=price&page=10"),
        (f"category {root.slug}, page 10, by name", f"/c/{root.slug}/?sort=name&page=10"),
        (f"category {leaf.slug}, page 10, by price", f"/c/{leaf.slug}/?sort=price&page=10"),
        ("product page", product.get_absolute_url()),
        ("search 'classic' (ranked/LIKE)", "/search/?q=classic"),
    ]


PERSONAS = {"guest": None, "wholesale": "wholesale@example.com"}


def page_queries(client, url) -> int:
    """The SQL queries of one request (the query log is reset as each request starts)."""
    from django.db import connection

    connection.force_debug_cursor = True
    try:
        assert client.get(url).status_code == 200, url
        return len(connection.queries)
    finally:
        connection.force_debug_cursor = False


def measure_in_process(pages, *, requests: int, warmup: int) -> dict[tuple, tuple]:
    """(persona, url) -> (median ms, median CPU ms, queries)."""
    from django.test import Client

    from customers.models import User

    results = {}
    for persona, email in PERSONAS.items():
        client = Client()
        if email is not None:
            client.force_login(User.objects.get(email=email))
        for _label, url in pages:
            for _ in range(warmup):
                assert client.get(url).status_code == 200, url
            query_count = page_queries(client, url)
            timings, cpu = [], []
            for _ in range(requests):
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                cpu.append((time.process_time() - started_cpu) * 1000)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, url
            results[persona, url] = (
                statistics.median(timings),
                statistics.median(cpu),
                query_count,
            )
    return results


# --- Load against gunicorn ---------------------------------------------------------------


def fetch(port: int, path: str) -> tuple[int, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        connection.close()


def load(port: int, path: str, *, duration: float, concurrency: int) -> dict:
    stop_at = time.monotonic() + duration
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker():
        mine, failed = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                status, _ = fetch(port, path)
            except OSError:
                status = 0
            if status == 200:
                mine.append((time.perf_counter() - started) * 1000)
            else:
                failed += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else 0

    return {
        "rps": len(latencies) / elapsed,
        "p50": percentile(0.50),
        "p95": percentile(0.95),
        "errors": errors[0],
    }


# --- Report ------------------------------------------------------------------------------


def size_database_url(database_url: str, size: int) -> str:
    """A catalogue of its own for each size: the SQLite file or PostgreSQL database name with
    the size appended."""
    if is_postgres(database_url):
        return f"{database_url.rstrip('/')}_{size}"
    path = Path(database_url.removeprefix("sqlite:///"))
    return f"sqlite:///{path.with_name(f'{path.stem}-{size}{path.suffix}')}"


def compare_sizes(args) -> None:
    sizes = sorted(int(size) for size in args.sizes.split(","))
    figures = {}
    for size in sizes:
        output = DATA / f"sizes-{size}.json"
        DATA.mkdir(parents=True, exist_ok=True)
        command = [PYTHON, str(Path(__file__).resolve()), "--skip-load", "--products", str(size)]
        command += ["--database-url", size_database_url(args.database_url, size)]
        command += ["--requests", str(args.requests), "--warmup", str(args.warmup)]
        subprocess.run([*command, "--json", str(output)], cwd=ROOT, check=True)
        figures[size] = json.loads(output.read_text())
    smallest, largest = sizes[0], sizes[-1]
    print()
    print(
        f"Cost by catalogue size, in-process, median of {args.requests} requests "
        f"(wall ms / CPU ms / queries); ratio: CPU at {largest} over CPU at {smallest}"
    )
    header = f"{'page':<40} {'persona':<9}" + "".join(f" {size:>18}" for size in sizes)
    header += f" {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for key in figures[largest]:
        persona, label = key.split(" ", 1)
        line = f"{label:<40} {persona:<9}"
        for size in sizes:
            wall, cpu, queries = figures[size][key]
            line += f" {wall:>7.1f}/{cpu:>5.1f}/{queries:>3}"
        small_cpu, large_cpu = (figures[size][key][1] for size in (smallest, largest))
        print(f"{line} {large_cpu / small_cpu:>6.2f}")


def main() -> None:
    args = parse_args()
    if args.sizes:
        compare_sizes(args)
        return
    env = production_environment(args.database_url)
    prepare_catalogue(args.database_url, env, args.products)
    setup_django(env)
    from django.db import connection

    from shop.models import Product

    with connection.cursor() as cursor:  # fresh bulk inserts: give the planner statistics
        cursor.execute("ANALYZE")
    load_before = os.getloadavg()[0]
    pages = pick_pages()
    in_process = measure_in_process(pages, requests=args.requests, warmup=args.warmup)
    if args.json:
        figures = {
            f"{persona} {label}": in_process[persona, url]
            for persona in PERSONAS
            for label, url in pages
        }
        Path(args.json).write_text(json.dumps(figures))

    loaded = {}
    if not args.skip_load:
        server = GunicornServer(env, "bench.catalog_wsgi:application", args.workers)
        try:
            server.wait_ready(lambda port: fetch(port, pages[0][1])[0] == 200)
            for _label, url in pages:
                for _ in range(10):  # warm both workers' caches
                    fetch(server.port, url)
                loaded[url] = load(
                    server.port, url, duration=args.duration, concurrency=args.concurrency
                )
        finally:
            server.stop()

    vendor = connection.vendor
    products = Product.objects.count()
    print()
    print(
        f"Comptoir catalogue bench: {products} products on {vendor}, page size 20, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {load_before:.1f} before the run"
    )
    print(
        f"in-process: median of {args.requests} requests after {args.warmup} warm-up "
        f"(django.test.Client, production settings), wall and CPU ms"
    )
    if not args.skip_load:
        print(
            f"load (guests): gunicorn --workers {args.workers} (sync) on 127.0.0.1, "
            f"{args.concurrency} client threads, {args.duration:.0f} s per page, a new "
            "connection per request"
        )
    header = f"{'page':<40} {'persona':<9} {'wall ms':>8} {'CPU ms':>7} {'queries':>7}"
    if not args.skip_load:
        header += f" {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}"
    print()
    print(header)
    print("-" * len(header))
    for persona in PERSONAS:
        for label, url in pages:
            median, cpu, queries = in_process[persona, url]
            line = f"{label:<40} {persona:<9} {median:>8.2f} {cpu:>7.2f} {queries:>7}"
            if persona == "guest" and url in loaded:
                figures = loaded[url]
                line += (
                    f" {figures['rps']:>8.1f} {figures['p50']:>7.1f} {figures['p95']:>7.1f} "
                    f"{figures['errors']:>6}"
                )
            print(line)
    print()
    for label, url in pages:
        print(f"  {label}: {url}")


if __name__ == "__main__":
    main()
