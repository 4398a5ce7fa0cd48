"""Concurrent buyers on the default SQLite database, through gunicorn.

Run from the repository root::

    .venv/bin/python bench/sqlite_concurrency.py
    .venv/bin/python bench/sqlite_concurrency.py --buyers 50 --stock 20 --workers 4

1. Builds a fresh SQLite file in bench/.data/ (the previous one is deleted): ``manage.py
   migrate``, ``seed_demo`` and ``collectstatic`` as subprocesses with the production
   settings and DATABASE_URL=sqlite:///..., then sets the stock of one product to --stock.
2. Starts gunicorn with --workers sync workers on 127.0.0.1 (a free port, DEBUG off).
3. --buyers guest threads, each with its own cookie jar, start together and each tries
   --rounds times to buy one unit of that product as a browser would: product page, add to
   cart, checkout details, delivery, review, place order (CSRF tokens, the idempotency key
   and the confirmed total are read from the pages).
4. Prints the HTTP 5xx count (all requests), orders placed against the stock, and latency
   percentiles of add-to-cart, place-order and of every request; checks afterwards, in the
   database, that the orders written are exactly the stock's worth (when buyers x rounds
   exceeds the stock) and that the stock never went negative. Exits non-zero if a check
   fails. The server is stopped at the end, whatever happens.

Loopback only; bounded in count (at most 100 buyers x 4 rounds) and in time (--deadline).
Prints figures; the test suite asserts nothing about them.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.checkout import ADDRESS, CSRF, KEY, TOTAL, Browser, ms, percentile  # noqa: E402
from bench.harness import DATA, GunicornServer, manage, production_environment  # noqa: E402

DATABASE = DATA / "sqlite-concurrency.sqlite3"
SKU = "KIT-105"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buyers", type=int, default=50, help="concurrent guest buyers")
    parser.add_argument("--stock", type=int, default=20, help="units of the product for sale")
    parser.add_argument("--rounds", type=int, default=1, help="purchase attempts per buyer")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--deadline", type=float, default=180.0, help="seconds for the load")
    args = parser.parse_args()
    args.buyers = max(1, min(args.buyers, 100))
    args.stock = max(0, min(args.stock, 10_000))
    args.rounds = max(1, min(args.rounds, 4))
    args.workers = max(1, min(args.workers, 8))
    args.deadline = max(10.0, min(args.deadline, 600.0))
    return args


@dataclass
class Figures:
    statuses: dict[int, int] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)
    latency: list[float] = field(default_factory=list)
    add_latency: list[float] = field(default_factory=list)
    place_latency: list[float] = field(default_factory=list)
    orders: list[str] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refuse(self, step: str) -> None:
        with self.lock:
            self.refused[step] = self.refused.get(step, 0) + 1


class TimedBrowser(Browser):
    """The benchmark browser, recording the status and latency of every request."""

    def __init__(self, port: int, figures: Figures):
        super().__init__(port)
        self.figures = figures
        self.last_elapsed = 0.0

    def request(self, method, path, data=None):
        started = time.perf_counter()
        status, location, text = super().request(method, path, data)
        self.last_elapsed = elapsed = time.perf_counter() - started
        with self.figures.lock:
            self.figures.latency.append(elapsed)
            self.figures.statuses[status] = self.figures.statuses.get(status, 0) + 1
            if status >= 500:
                self.figures.server_errors.append(f"{method} {path}: {status}")
        return status, location, text


# --- preparation ----------------------------------------------------------------------------------


def prepare(env: dict[str, str], stock: int) -> dict:
    DATA.mkdir(parents=True, exist_ok=True)
    for leftover in DATA.glob(DATABASE.name + "*"):  # the file and its -wal / -shm
        leftover.unlink()
    started = time.monotonic()
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    manage(env, "collectstatic", "--noinput")
    with sqlite3.connect(DATABASE) as db:
        db.execute("UPDATE shop_product SET stock = ?, track_stock = 1 WHERE sku = ?", [stock, SKU])
        pk, slug = db.execute("SELECT id, slug FROM shop_product WHERE sku = ?", [SKU]).fetchone()
        (shipping,) = db.execute(
            "SELECT id FROM shop_shippingmethod WHERE name = 'Standard'"
        ).fetchone()
        (journal,) = db.execute("PRAGMA journal_mode").fetchone()
    print(f"fresh SQLite database ready in {time.monotonic() - started:.1f}s (journal {journal})")
    return {"product": (pk, slug), "shipping": shipping}


# --- one buyer -----------------------------------------------------------------------------------


def buyer(index, port, setup, args, start: threading.Barrier, stop_at, figures) -> None:
    browser = TimedBrowser(port, figures)
    try:
        start.wait(timeout=60)
    except threading.BrokenBarrierError:
        return
    for attempt in range(args.rounds):
        if time.monotonic() > stop_at:
            return
        try:
            buy_once(browser, f"{index}-{attempt}", setup, figures)
        except Exception as error:  # noqa: BLE001 - a bench reports, it does not stop
            with figures.lock:
                figures.errors.append(f"buyer {index}: {error}")


def buy_once(browser: TimedBrowser, name: str, setup: dict, figures: Figures) -> None:
    pk, slug = setup["product"]
    page = f"/p/{slug}/"
    _status, _location, text = browser.get(page)
    token = CSRF.search(text)
    if token is None:
        raise RuntimeError(f"no CSRF token on {page}")
    status, _location, _body = browser.request(
        "POST",
        "/cart/add/",
        {"csrfmiddlewaretoken": token.group(1), "product": pk, "quantity": 1, "next": page},
    )
    with figures.lock:
        figures.add_latency.append(browser.last_elapsed)
    _status, _location, cart = browser.get("/cart/")
    if status != 302 or f'name="product" value="{pk}"' not in cart:
        return figures.refuse("add to cart")

    status, location, text = browser.get("/checkout/")
    if status == 302 and location.endswith("/cart/"):
        figures.refuse("checkout")
        return empty_cart(browser, pk)
    details = {"billing_choice": "new", "shipping_choice": "same", "email": f"b{name}@example.com"}
    details.update({f"billing-{key}": value for key, value in ADDRESS.items()})
    details["csrfmiddlewaretoken"] = CSRF.search(text).group(1)
    status, location, _body = browser.request("POST", "/checkout/", details)
    if status != 302 or not location.endswith("/checkout/delivery/"):
        raise RuntimeError(f"details step answered {status} {location}")
    status, location, _body = browser.post(
        "/checkout/delivery/",
        {"shipping_method": setup["shipping"], "payment_method": "bank_transfer"},
        token_from="/checkout/delivery/",
    )
    if status != 302 or not location.endswith("/checkout/review/"):
        raise RuntimeError(f"delivery step answered {status} {location}")
    status, location, review = browser.get("/checkout/review/")
    if status != 200:
        figures.refuse("review")
        return empty_cart(browser, pk)

    data = {
        "csrfmiddlewaretoken": CSRF.search(review).group(1),
        "idempotency_key": KEY.search(review).group(1),
        "confirmed_total": TOTAL.search(review).group(1),
    }
    status, location, _body = browser.request("POST", "/checkout/place/", data)
    with figures.lock:
        figures.place_latency.append(browser.last_elapsed)
    if status == 302 and "/orders/" in location:
        with figures.lock:
            figures.orders.append(location)
    else:
        figures.refuse("place order")
        empty_cart(browser, pk)


def empty_cart(browser: Browser, pk: int) -> None:
    browser.post("/cart/remove/", {"product": pk}, token_from="/cart/")


# --- measuring ----------------------------------------------------------------------------------


def watch_stock(pk: int, stop: threading.Event, lowest: list[int]) -> None:
    with sqlite3.connect(DATABASE, timeout=30) as db:
        while not stop.is_set():
            (stock,) = db.execute("SELECT stock FROM shop_product WHERE id = ?", [pk]).fetchone()
            lowest[0] = min(lowest[0], stock)
            time.sleep(0.05)


def spread(label: str, values: list[float]) -> str:
    if not values:
        return f"{label:12s} n=    0"
    return (
        f"{label:12s} n={len(values):5d}  p50 {ms(percentile(values, 0.5))}"
        f"  p90 {ms(percentile(values, 0.9))}  p99 {ms(percentile(values, 0.99))}"
        f"  max {ms(max(values))}"
    )


def main() -> None:
    args = parse_args()
    env = production_environment(
        f"sqlite:///{DATABASE}",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        MEDIA_ROOT=str(DATA / "sqlite-concurrency-media"),
        STATIC_ROOT=str(DATA / "sqlite-concurrency-static"),
    )
    setup = prepare(env, args.stock)
    pk = setup["product"][0]

    server = GunicornServer(env, "config.wsgi:application", args.workers)
    figures = Figures()
    lowest = [args.stock]
    stop = threading.Event()
    try:
        server.wait_ready(lambda port: Browser(port).get("/")[0] == 200)
        watcher = threading.Thread(target=watch_stock, args=(pk, stop, lowest), daemon=True)
        watcher.start()
        start = threading.Barrier(args.buyers)
        started = time.monotonic()
        stop_at = started + args.deadline
        threads = [
            threading.Thread(
                target=buyer,
                args=(index, server.port, setup, args, start, stop_at, figures),
                daemon=True,
            )
            for index in range(args.buyers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(0.0, stop_at - time.monotonic()) + 35)
        elapsed = time.monotonic() - started
        unfinished = sum(thread.is_alive() for thread in threads)
    finally:
        stop.set()
        server.stop()

    with sqlite3.connect(DATABASE) as db:
        (stock_after,) = db.execute("SELECT stock FROM shop_product WHERE id = ?", [pk]).fetchone()
        (orders_written,) = db.execute("SELECT count(*) FROM shop_order").fetchone()
        (units_sold,) = db.execute(
            "SELECT coalesce(sum(quantity), 0) FROM shop_orderline WHERE product_id = ?", [pk]
        ).fetchone()

    attempts = args.buyers * args.rounds
    expected = min(args.stock, attempts)
    print()
    print(
        f"{args.buyers} concurrent guest buyers x {args.rounds} round(s), {args.workers} gunicorn "
        f"sync workers, SQLite, {elapsed:.1f} s"
    )
    statuses = dict(sorted(figures.statuses.items()))
    print(f"requests             {len(figures.latency):6d}   by status: {statuses}")
    print(f"HTTP 5xx             {len(figures.server_errors):6d}")
    print(
        f"orders placed        {len(figures.orders):6d}   (stock {args.stock}, attempts {attempts})"
    )
    print(f"orders in database   {orders_written:6d}   units sold {units_sold}, left {stock_after}")
    for step, count in sorted(figures.refused.items()):
        print(f"refused at {step:13s} {count:4d}")
    print(f"client-side errors   {len(figures.errors):6d}")
    print(spread("add-to-cart", figures.add_latency))
    print(spread("place-order", figures.place_latency))
    print(spread("any request", figures.latency))
    print()
    checks = {
        "no HTTP 5xx": not figures.server_errors,
        f"orders placed = the stock's worth ({expected})": len(figures.orders) == expected,
        "orders in database = successful place-order responses": orders_written
        == len(figures.orders),
        "units sold = stock decremented": units_sold == args.stock - stock_after,
        "stock never negative (polled every 50 ms and at the end)": min(lowest[0], stock_after)
        >= 0,
        "every buyer finished in time": unfinished == 0,
    }
    for label, ok in checks.items():
        print(f"[{'ok' if ok else 'FAILED'}] {label}")
    for line in (figures.server_errors + figures.errors)[:5]:
        print("  ", line)
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
