"""Benchmark of checkout under concurrent buyers, against PostgreSQL and a local gunicorn:
this tree and a baseline (by default the commit where this branch left `main`) served side
by side in one run.

Run from the repository root::

    .venv/bin/python bench/checkout.py
    .venv/bin/python bench/checkout.py --duration 20 --buyers 8 --workers 4 --rounds 2
    .venv/bin/python bench/checkout.py --baseline HEAD~3   # or --baseline '' for this tree alone

1. Prepares its own database (default ``comptoir_bench_checkout`` on 127.0.0.1:5432, created
   if missing): ``manage.py migrate``, ``seed_demo`` and ``collectstatic`` as subprocesses
   with DATABASE_URL set. The baseline's code is exported (``git archive``) under
   bench/.data and collects its own static files; both use the same database, so the
   baseline must not need migrations this tree lacks.
2. For each round, each tree in turn (interleaved A B B A ..., so noise and a drifting load
   on a shared machine hit both):
   the stock is reset (a "hot" product low, so that it sells out during the run and the
   out-of-stock refusal is exercised too), the carts emptied, and gunicorn started from that
   tree on 127.0.0.1 (a free port, sync workers, production settings, DEBUG off).
3. --buyers client threads, each with its own cookie jar (guests, plus the demo shopper and
   VIP logged in), loop for --duration seconds: product page, add two products to the cart,
   checkout details, delivery, review, place order, reading the CSRF token and the review
   form's idempotency key and total from the pages, exactly as a browser would.
4. Prints, per run and then per tree, orders placed per second, p50/p95 latency of
   add-to-cart and of place-order and the errors, and checks the invariants against the
   database after each run: orders written = successful place-order responses, one order
   per idempotency key, every order's amounts adding up (its lines to its subtotal, net and
   VAT to its total, VAT to its lines' and shipping's), stock never negative (polled during
   the run and at the end), and stock sold = stock decremented, for every product.

Loopback only; bounded in time; exits non-zero when an invariant fails.
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    DATA,
    ROOT,
    GunicornServer,
    connect,
    ensure_postgres_database,
    manage,
    production_environment,
)

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/comptoir_bench_checkout"
HOT_SKU, COLD_SKU = "KIT-105", "GAR-203"
HOT_STOCK, COLD_STOCK = 30, 100_000
LOGINS = ["shopper@example.com", "vip@example.com"]
PASSWORD = "comptoir-demo"
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
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
TOTAL = re.compile(r'name="confirmed_total" value="([^"]+)"')
TERMS_VERSION = re.compile(r'name="terms_version" value="([^"]*)"')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    parser.add_argument("--buyers", type=int, default=8, help="concurrent buyers (threads)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument(
        "--baseline",
        default=None,
        help="git ref served side by side with this tree (default: where this branch left "
        "main, so both run on this tree's migrations; '' for this tree alone)",
    )
    parser.add_argument("--rounds", type=int, default=1, help="interleaved runs of each tree")
    args = parser.parse_args()
    args.duration = max(2.0, min(args.duration, 120.0))
    args.buyers = max(1, min(args.buyers, 16))
    args.workers = max(1, min(args.workers, 16))
    args.rounds = max(1, min(args.rounds, 5))
    return args


# --- preparation ----------------------------------------------------------------------------------


def prepare(args, env) -> dict:
    DATA.mkdir(parents=True, exist_ok=True)
    ensure_postgres_database(args.database_url)
    started = time.monotonic()
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    manage(env, "collectstatic", "--noinput")
    with connect(args.database_url) as db:
        products = {
            sku: (pk, slug)
            for pk, sku, slug in db.execute(
                "SELECT id, sku, slug FROM shop_product WHERE sku IN (%s, %s)", [HOT_SKU, COLD_SKU]
            )
        }
        (shipping,) = db.execute(
            "SELECT id FROM shop_shippingmethod WHERE name = 'Standard'"
        ).fetchone()
    print(f"database ready in {time.monotonic() - started:.1f}s")
    return {"products": products, "shipping": shipping}


# --- the server -----------------------------------------------------------------------------------


# --- one buyer -----------------------------------------------------------------------------------


class Browser:
    """HTTP/1.1 to the local server with its own cookie jar (Secure cookies are kept: the
    production settings mark them Secure and this loopback client plays the browser)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location") or "", text
        finally:
            connection.close()

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data, *, token_from: str):
        status, _location, page = self.get(token_from)
        match = CSRF.search(page)
        if status != 200 or match is None:
            raise RuntimeError(f"no CSRF token on {token_from} ({status})")
        return self.request("POST", path, {"csrfmiddlewaretoken": match.group(1), **data})


@dataclass
class Figures:
    add_latency: list[float] = field(default_factory=list)
    place_latency: list[float] = field(default_factory=list)
    orders: list[str] = field(default_factory=list)
    refused: int = 0
    add_refused: int = 0
    checkout_refused: int = 0
    server_errors: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def buyer(index: int, port: int, setup: dict, stop_at: float, figures: Figures) -> None:
    browser = Browser(port)
    login = LOGINS[index] if index < len(LOGINS) else None  # the first ones log in
    if login is not None:
        status, _location, _page = browser.post(
            "/accounts/login/",
            {"username": login, "password": PASSWORD},
            token_from="/accounts/login/",
        )
        if status != 302:
            figures.errors.append(f"buyer {index}: login answered {status}")
            return
        # A customer's cart persists: start from an empty one.
        _status, _location, cart = browser.get("/cart/")
        empty_cart(browser, sorted(set(re.findall(r'name="product" value="(\d+)"', cart))))
    products = setup["products"]
    while time.monotonic() < stop_at:
        try:
            one_order(browser, index, login, products, setup["shipping"], figures)
        except Exception as error:  # noqa: BLE001 - a bench reports, it does not stop
            with figures.lock:
                figures.errors.append(f"buyer {index}: {error}")
            time.sleep(0.1)


def one_order(browser, index, login, products, shipping, figures) -> None:
    added = []
    for sku in (HOT_SKU, COLD_SKU):
        pk, slug = products[sku]
        page = f"/p/{slug}/"
        status, _tok, text = browser.get(page)
        token = CSRF.search(text)
        started = time.perf_counter()
        status, location, _body = browser.request(
            "POST",
            "/cart/add/",
            {"csrfmiddlewaretoken": token.group(1), "product": pk, "quantity": 1, "next": page},
        )
        elapsed = time.perf_counter() - started
        with figures.lock:
            figures.add_latency.append(elapsed)
            figures.server_errors += status >= 500
        if status == 302:
            status, _location, cart = browser.get("/cart/")
            if f'name="product" value="{pk}"' in cart:
                added.append(pk)
            else:
                with figures.lock:
                    figures.add_refused += 1
    if not added:
        time.sleep(0.05)
        return
    details = {"billing_choice": "new", "shipping_choice": "same"}
    details.update({f"billing-{name}": value for name, value in ADDRESS.items()})
    if login is None:
        details["email"] = f"bench-buyer-{index}@example.com"
    status, location, page = browser.get("/checkout/")
    if status == 302 and location.endswith("/cart/"):  # sold out since it was added
        with figures.lock:
            figures.checkout_refused += 1
        return empty_cart(browser, added)
    details["csrfmiddlewaretoken"] = CSRF.search(page).group(1)
    status, location, _body = browser.request("POST", "/checkout/", details)
    if status == 302 and location.endswith("/cart/"):  # sold out since the details page
        with figures.lock:
            figures.checkout_refused += 1
        return empty_cart(browser, added)
    if status != 302 or not location.endswith("/checkout/delivery/"):
        raise RuntimeError(f"details step answered {status} {location}")
    status, location, page = browser.get("/checkout/delivery/")
    if status == 302:  # the cart changed since the details step (sold out): start again
        with figures.lock:
            figures.checkout_refused += 1
        return empty_cart(browser, added)
    status, location, _body = browser.request(
        "POST",
        "/checkout/delivery/",
        {
            "csrfmiddlewaretoken": CSRF.search(page).group(1),
            "shipping_method": shipping,
            "payment_method": "bank_transfer",
        },
    )
    if status == 302 and location.endswith("/cart/"):  # sold out since the delivery page
        with figures.lock:
            figures.checkout_refused += 1
        return empty_cart(browser, added)
    if status != 302 or not location.endswith("/checkout/review/"):
        raise RuntimeError(f"delivery step answered {status} {location}")
    status, location, review = browser.get("/checkout/review/")
    if status != 200:  # the cart changed under us (sold out): start again
        return empty_cart(browser, added)
    data = {
        "csrfmiddlewaretoken": CSRF.search(review).group(1),
        "idempotency_key": KEY.search(review).group(1),
        "confirmed_total": TOTAL.search(review).group(1),
    }
    terms = TERMS_VERSION.search(review)
    if terms:  # a consumer accepts the terms of sale, as a browser's buyer ticks the box
        data.update(terms_version=terms.group(1), accept_terms="1")
    started = time.perf_counter()
    status, location, _body = browser.request("POST", "/checkout/place/", data)
    elapsed = time.perf_counter() - started
    with figures.lock:
        figures.place_latency.append(elapsed)
        figures.server_errors += status >= 500
        if status == 302 and "/orders/" in location:
            figures.orders.append(location)
        else:
            figures.refused += 1
    if not (status == 302 and "/orders/" in location):
        empty_cart(browser, added)


def empty_cart(browser, product_ids) -> None:
    for pk in product_ids:
        browser.post("/cart/remove/", {"product": pk}, token_from="/cart/")


# --- measuring ----------------------------------------------------------------------------------


def stock_of(db, ids) -> dict[int, int]:
    return dict(db.execute("SELECT id, stock FROM shop_product WHERE id = ANY(%s)", [ids]))


def watch_stock(database_url, ids, stop: threading.Event, lowest: list[int]) -> None:
    with connect(database_url) as db:
        while not stop.is_set():
            lowest[0] = min(lowest[0], min(stock_of(db, ids).values()))
            time.sleep(0.05)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def baseline_tree(ref: str) -> Path:
    """The code of `ref` exported (git archive) under bench/.data, to serve side by side."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{ref}^{{commit}}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    tree = DATA / f"checkout-baseline-{commit[:12]}"
    if not (tree / "manage.py").exists():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", commit], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    print(f"baseline: {ref} = {commit[:12]} in {tree.relative_to(ROOT)}")
    return tree


def reset_stock(database_url: str) -> None:
    with connect(database_url) as db:
        db.execute("UPDATE shop_product SET stock = %s WHERE sku = %s", [HOT_STOCK, HOT_SKU])
        db.execute("UPDATE shop_product SET stock = %s WHERE sku = %s", [COLD_STOCK, COLD_SKU])


def carts_empty(database_url: str) -> None:
    """Every run starts with empty carts (the logged-in buyers' carts persist)."""
    with connect(database_url) as db:
        db.execute("DELETE FROM shop_cartline")


def run_once(args, env, setup, root: Path) -> dict:
    """One load run against the code at `root`: figures and invariants."""
    reset_stock(args.database_url)
    carts_empty(args.database_url)
    ids = [pk for pk, _slug in setup["products"].values()]
    with connect(args.database_url) as db:
        before_stock = stock_of(db, ids)
        (before_orders,) = db.execute("SELECT coalesce(max(id), 0) FROM shop_order").fetchone()

    server = GunicornServer(env, "config.wsgi:application", args.workers, root=root)
    figures = Figures()
    lowest = [min(before_stock.values())]
    stop = threading.Event()
    try:
        server.wait_ready(lambda port: Browser(port).get("/")[0] == 200)
        watcher = threading.Thread(
            target=watch_stock, args=(args.database_url, ids, stop, lowest), daemon=True
        )
        watcher.start()
        started = time.monotonic()
        stop_at = started + args.duration
        threads = [
            threading.Thread(target=buyer, args=(index, server.port, setup, stop_at, figures))
            for index in range(args.buyers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(args.duration + 60)
        elapsed = time.monotonic() - started
        stop.set()
        watcher.join(5)
    finally:
        stop.set()
        server.stop()

    with connect(args.database_url) as db:
        after_stock = stock_of(db, ids)
        (orders_written,) = db.execute(
            "SELECT count(*) FROM shop_order WHERE id > %s", [before_orders]
        ).fetchone()
        sold = dict(
            db.execute(
                "SELECT product_id, sum(quantity) FROM shop_orderline l "
                "JOIN shop_order o ON o.id = l.order_id "
                "WHERE o.id > %s AND product_id = ANY(%s) GROUP BY product_id",
                [before_orders, ids],
            )
        )
        (doubled,) = db.execute(
            "SELECT count(*) FROM (SELECT idempotency_key FROM shop_order WHERE id > %s "
            "GROUP BY idempotency_key HAVING count(*) > 1) AS d",
            [before_orders],
        ).fetchone()
        (unbalanced,) = db.execute(TOTALS_WRONG, [before_orders]).fetchone()

    checks = {
        "orders written = successful place-order responses": orders_written == len(figures.orders),
        "every order number is distinct": len(set(figures.orders)) == len(figures.orders),
        "no two orders for one idempotency key": doubled == 0,
        "totals add up (lines = subtotal, net + VAT = total, VAT = lines + shipping)": (
            unbalanced == 0
        ),
        "stock never negative (polled every 50 ms and at the end)": lowest[0] >= 0
        and min(after_stock.values()) >= 0,
        "stock decremented = units sold, per product": all(
            before_stock[pk] - after_stock[pk] == sold.get(pk, 0) for pk in ids
        ),
        "no server error": figures.server_errors == 0,
        "no client-side error": not figures.errors,
    }
    names = {pk: sku for sku, (pk, _slug) in setup["products"].items()}
    return {
        "elapsed": elapsed,
        "figures": figures,
        "checks": checks,
        "stock": [
            f"{names[pk]}: stock {before_stock[pk]} -> {after_stock[pk]}, {sold.get(pk, 0)} sold"
            for pk in ids
        ],
        "lowest": lowest[0],
    }


# An order whose amounts do not add up: its lines against its subtotal, its net and VAT
# against its total, its VAT against its lines' and its shipping's.
TOTALS_WRONG = """
SELECT count(*) FROM shop_order o
JOIN (SELECT order_id, sum(line_total) AS goods, sum(tax) AS tax
      FROM shop_orderline GROUP BY order_id) l ON l.order_id = o.id
WHERE o.id > %s AND (
    l.goods <> o.subtotal
    OR o.net_total + o.tax_total <> o.total
    OR o.net_total <> o.subtotal - o.discount_amount + o.shipping_net
    OR o.tax_total <> l.tax + o.shipping_tax)
"""


def report(label: str, run: dict) -> None:
    figures = run["figures"]
    print(f"--- {label}: {run['elapsed']:.1f} s of load")
    print(
        f"orders placed {len(figures.orders):5d} ({len(figures.orders) / run['elapsed']:.1f}/s)"
        f"  place refused {figures.refused}  add refused {figures.add_refused}"
        f"  checkout refused {figures.checkout_refused}"
        f"  5xx {figures.server_errors}  client errors {len(figures.errors)}"
    )
    for name, values in [
        ("add-to-cart", figures.add_latency),
        ("place-order", figures.place_latency),
    ]:
        median = statistics.median(values) if values else 0
        print(
            f"{name:12s} n={len(values):5d}  p50 {ms(median)}  p95 {ms(percentile(values, 0.95))}"
        )
    for line in run["stock"]:
        print(line)
    print(f"lowest stock seen during the run: {run['lowest']}")
    for check, ok in run["checks"].items():
        print(f"[{'ok' if ok else 'FAILED'}] {check}")
    for error in figures.errors[:5]:
        print("  error:", error)


def summary(results: dict[str, list[dict]]) -> None:
    print()
    print(f"{'code':10s} {'orders/s':>9s} {'place p50':>11s} {'place p95':>11s} {'errors':>7s}")
    rates = {}
    for label, runs in results.items():
        orders = sum(len(run["figures"].orders) for run in runs)
        elapsed = sum(run["elapsed"] for run in runs)
        places = [value for run in runs for value in run["figures"].place_latency]
        errors = sum(run["figures"].server_errors + len(run["figures"].errors) for run in runs)
        rates[label] = orders / elapsed
        median = statistics.median(places) if places else 0
        print(
            f"{label:10s} {rates[label]:9.1f} {ms(median):>11s}"
            f" {ms(percentile(places, 0.95)):>11s} {errors:7d}"
        )
    if "baseline" in rates and rates["baseline"]:
        print(f"speed-up: {rates['this tree'] / rates['baseline']:.2f}x the baseline's orders/s")


def main() -> None:
    args = parse_args()
    overrides = {
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MEDIA_ROOT": str(DATA / "checkout-media"),
    }
    env = production_environment(
        args.database_url, STATIC_ROOT=str(DATA / "checkout-static"), **overrides
    )
    setup = prepare(args, env)
    trees = {"this tree": (ROOT, env)}
    if args.baseline is None:
        args.baseline = subprocess.run(
            ["git", "merge-base", "HEAD", "main"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    if args.baseline:
        tree = baseline_tree(args.baseline)
        baseline_env = production_environment(
            args.database_url,
            STATIC_ROOT=str(DATA / "checkout-baseline-static"),
            PYTHONPATH=str(tree),
            **overrides,
        )
        manage(baseline_env, "collectstatic", "--noinput", root=tree)
        trees = {"baseline": (tree, baseline_env), **trees}
    results: dict[str, list[dict]] = {label: [] for label in trees}
    for round_number in range(args.rounds):
        # Interleaved, the order swapped every round (A B B A ...): noise and a machine's
        # load drifting during the run hit both trees alike.
        order = list(trees.items())
        for label, (root, tree_env) in order if round_number % 2 == 0 else order[::-1]:
            run = run_once(args, tree_env, setup, root)
            results[label].append(run)
            print()
            report(f"{label}, round {round_number + 1}", run)
    summary(results)
    print(
        f"{args.buyers} buyers, {args.workers} gunicorn sync workers, {args.duration:.0f} s a run"
    )
    ok = all(all(run["checks"].values()) for runs in results.values() for run in runs)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
