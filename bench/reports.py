"""Benchmark of the managers' dashboard and the sales reports on a year of trade.

Run from the repository root: ``.venv/bin/python bench/reports.py [--database-url URL]``

Builds (once) its own database (default: SQLite at bench/.data/reports.sqlite3; a
``postgres://`` URL on loopback gets its own database) with 20,000 orders and 100,000 order
lines placed over the last 400 days: 3 customer groups, 200 companies, 500 products in 10
categories, 2 % of the orders cancelled, orders on account (some overdue), 1 % refunded.
Then times (median and best of 5 runs) the dashboard figures (the reads alone and the admin
index page) and the reports for the last 365 days (the reads alone, the page, the largest
CSV). Prints milliseconds and query counts; asserts nothing.
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
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
sys.path.insert(0, str(ROOT))

ORDERS = 20_000
LINES = 100_000
DAYS = 400
PREFIX = "BR-"


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def build_shop(rng: random.Random) -> None:
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from customers.models import Company, CustomerGroup, User, WholesaleApplication
    from customers.permissions import SHOP_MANAGERS
    from shop.models import Category, Order, OrderLine, Product, Refund

    if Order.objects.filter(number__startswith=PREFIX).exists():
        return
    print("building the shop (once) ...", flush=True)
    retail = CustomerGroup.objects.get(is_default=True)
    trade, _ = CustomerGroup.objects.get_or_create(slug="bench-trade", defaults={"name": "Trade"})
    vip, _ = CustomerGroup.objects.get_or_create(slug="bench-vip", defaults={"name": "VIP"})
    groups = [retail, trade, vip]
    companies = Company.objects.bulk_create(
        [Company(name=f"Bench company {n:03d}", group=trade) for n in range(200)]
    )
    categories = Category.objects.bulk_create(
        [Category(name=f"Bench category {n}", slug=f"br-category-{n}") for n in range(10)]
    )
    products = Product.objects.bulk_create(
        [
            Product(
                sku=f"{PREFIX}{n:04d}",
                name=f"Bench product {n}",
                slug=f"br-product-{n}",
                category=categories[n % 10],
                base_price=Decimal(rng.randint(100, 20_000)) / 100,
                stock=rng.randint(0, 60),
            )
            for n in range(500)
        ]
    )
    manager, _ = User.objects.get_or_create(
        email="bench-manager@example.com", defaults={"is_staff": True}
    )
    manager.groups.add(Group.objects.get(name=SHOP_MANAGERS))
    applicants = User.objects.bulk_create(
        [User(email=f"bench-applicant-{n}@example.com") for n in range(30)]
    )
    WholesaleApplication.objects.bulk_create(
        [
            WholesaleApplication(
                user=user,
                company_name=f"Applicant {n}",
                vat_id=f"FR{n:011d}",
                country="FR",
                phone="+33 1 23 45 67 89",
                monthly_volume="1k-5k",
                status="pending" if n % 3 else "approved",
            )
            for n, user in enumerate(applicants)
        ]
    )

    now = timezone.now()
    address = {"full_name": "Bench", "line1": "1 rue", "postal_code": "75002", "city": "Paris"}
    rate = Decimal("0.2000")
    lines_left = LINES
    with transaction.atomic():
        for batch in range(ORDERS // 1000):
            orders, order_lines = [], []
            for n in range(batch * 1000, batch * 1000 + 1000):
                group = groups[n % 3]
                company = rng.choice(companies) if group is trade else None
                placed = now - timedelta(seconds=rng.randint(0, DAYS * 86_400))
                on_account = company is not None and n % 2 == 0
                status = rng.choices(
                    ["placed", "paid", "shipped", "completed", "cancelled"], [5, 5, 10, 78, 2]
                )[0]
                paid = status != "placed" and not (on_account and n % 10 == 0)
                count = lines_left // (ORDERS - n)
                lines_left -= count
                chosen = rng.sample(products, count)
                net = Decimal("0.00")
                for product in chosen:
                    quantity = rng.randint(1, 8)
                    line_total = product.base_price * quantity
                    net += line_total
                    order_lines.append(
                        OrderLine(
                            order_id=n,  # replaced by the order's id below
                            product=product,
                            sku=product.sku,
                            name=product.name,
                            quantity=quantity,
                            base_unit_price=product.base_price,
                            unit_price=product.base_price,
                            line_total=line_total,
                            discount_share=Decimal("0.00"),
                            tax_class="standard",
                            tax_rate=rate,
                            tax=(line_total * rate).quantize(Decimal("0.01")),
                            display_unit_price=product.base_price,
                            display_total=line_total,
                        )
                    )
                tax = (net * rate).quantize(Decimal("0.01"))
                orders.append(
                    Order(
                        number=f"{PREFIX}{n:08d}",
                        access_token=f"bench-{n}",
                        idempotency_key=f"bench-{n}",
                        status=status,
                        email=f"buyer{n % 997}@example.com",
                        group=group,
                        group_name=group.name,
                        company=company,
                        company_name=company.name if company else "",
                        billing_address=address,
                        shipping_address=address,
                        country="FR",
                        shipping_method_name="Standard",
                        payment_method="on_account" if on_account else "card",
                        payment_due=(placed + timedelta(days=30)).date() if on_account else None,
                        prices_include_tax=group is not trade,
                        currency="EUR",
                        subtotal=net,
                        shipping_net=Decimal("0.00"),
                        shipping_tax_rate=rate,
                        shipping_tax=Decimal("0.00"),
                        net_total=net,
                        display_subtotal=net,
                        display_shipping=Decimal("0.00"),
                        tax_total=tax,
                        total=net + tax,
                        placed_at=placed,
                        paid_at=placed if paid else None,
                        cancelled_at=placed if status == "cancelled" else None,
                    )
                )
            created = Order.objects.bulk_create(orders)
            ids = {int(order.number[len(PREFIX) :]): order.pk for order in created}
            for line in order_lines:
                line.order_id = ids[line.order_id]
            OrderLine.objects.bulk_create(order_lines, batch_size=2_000)
            Refund.objects.bulk_create(
                [
                    Refund(
                        order=order,
                        net=order.net_total / 2,
                        tax=order.tax_total / 2,
                        amount=order.total / 2,
                        method="card",
                    )
                    for order in created
                    if order.status == "completed" and rng.random() < 0.01
                ]
            )
    print(
        f"  {Order.objects.filter(number__startswith=PREFIX).count():,} orders, "
        f"{OrderLine.objects.filter(sku__startswith=PREFIX).count():,} lines",
        flush=True,
    )


def timed(work, runs: int = 5) -> tuple[float, float, int]:
    """Median and best milliseconds of `runs` calls (the machine may be shared), and the
    queries of one call."""
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), len(executed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=f"sqlite:///{DATA / 'reports.sqlite3'}")
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, {0})  # one core
    if args.database_url.startswith(("postgres://", "postgresql://")):
        from bench.harness import ensure_postgres_database

        ensure_postgres_database(args.database_url)
    migrate(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.conf import settings
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import Client

    from customers.models import User
    from shop.reports import dashboard, selectors
    from shop.reports.chart import sales_chart

    # As under pytest: one connection across requests (the wrapper counting queries stays).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    build_shop(random.Random(0))
    with django.db.connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum would gather them
    manager = User.objects.get(email="bench-manager@example.com")
    client = Client()
    client.force_login(manager)
    today = selectors.shop_today()
    year = selectors.Period(today - timedelta(days=364), today)
    query = {"start": year.start.isoformat(), "end": year.end.isoformat()}

    def report_reads():
        sales_chart(selectors.daily_sales_by_group(year))
        selectors.order_tables(year)
        selectors.line_tables(year)

    def get(url, params=None):
        def request():
            response = client.get(url, params or {})
            assert response.status_code == 200, response.status_code
            if hasattr(response, "render"):
                response.render()

        return request

    vendor = django.db.connection.vendor
    print(f"Dashboard and sales reports, {ORDERS:,} orders, {LINES:,} lines ({vendor})")
    threshold = settings.SHOP_LOW_STOCK_THRESHOLD
    print(f"  low-stock threshold {threshold}; period {year.start} to {year.end}")
    for name, work in (
        ("dashboard figures (reads)", lambda: dashboard.dashboard_for(manager)),
        ("admin index page", get("/admin/")),
        ("reports, 1 year (reads + chart)", report_reads),
        ("reports page, 1 year", get("/admin/reports/", query)),
        (
            "CSV by product, 1 year",
            get("/admin/reports/", {**query, "table": "products", "format": "csv"}),
        ),
    ):
        median, best, queries = timed(work)
        print(
            f"  {name:<34} {median:8.1f} ms median {best:8.1f} ms best  {queries:>3} queries",
            flush=True,
        )


if __name__ == "__main__":
    main()
