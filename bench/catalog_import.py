"""Benchmark of the product import: preview (the dry run) and confirmed import of a
10,000-product file with ~50 category paths, first into an empty catalogue (every row new,
every category created), then of its export with 10 % of the prices changed and 1 % more rows.

Run from the repository root: ``.venv/bin/python bench/catalog_import.py [--database-url URL]``

Uses its own database (default: SQLite at bench/.data/catalog_import.sqlite3, migrated and
seeded with a small demo shop); each run removes the products and categories it made before.
Prints, per file: the dry run alone (as the preview runs it) with its SQL queries, the whole
preview page through the admin (upload, dry run, template), and the confirmed import through
the admin. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
sys.path.insert(0, str(ROOT))

from bench.pricing import prepare_database  # noqa: E402

PREFIX = "BENCH-"
DEPARTMENTS = ["Kitchen", "Office", "Garden", "Bathroom", "Workshop"]
AISLES = ["Basics", "Premium", "Spares", "Tools", "Storage", "Cleaning", "Lighting", "Textiles"]
SHELVES = ["Small", "Large"]


def category_paths(rng: random.Random, count: int = 50) -> list[str]:
    paths = set()
    while len(paths) < count:
        levels = [f"Bench {rng.choice(DEPARTMENTS)}", rng.choice(AISLES)]
        if rng.random() < 0.5:
            levels.append(rng.choice(SHELVES))
        paths.add(" > ".join(levels))
    return sorted(paths)


def generated_file(count: int, rng: random.Random) -> bytes:
    paths = category_paths(rng)
    out = io.StringIO()
    columns = ["sku", "name", "slug", "description", "category", "base_price", "tax_class"]
    columns += ["stock", "track_stock", "is_active", "is_featured", "images"]
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for n in range(count):
        writer.writerow(
            {
                "sku": f"{PREFIX}{n:05d}",
                "name": f"Bench item {n}",
                "slug": "",
                "description": "A dependable product for the benchmark.",
                "category": rng.choice(paths),
                "base_price": f"{rng.randrange(100, 50000) / 100:.2f}",
                "tax_class": rng.choice(["standard", "standard", "reduced"]),
                "stock": rng.randrange(0, 200),
                "track_stock": "yes",
                "is_active": "yes",
                "is_featured": "no",
                "images": "",
            }
        )
    return out.getvalue().encode()


def edited_export(content: bytes, rng: random.Random) -> bytes:
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    for row in rng.sample(rows, len(rows) // 10):
        row["base_price"] = f"{float(row['base_price']) + 1:.2f}"
    extra = len(rows) // 100
    rows += [dict(row, sku=f"{PREFIX}X{n:05d}", slug="") for n, row in enumerate(rows[:extra])]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def clean_up() -> None:
    """Remove the bench's products and categories in two statements (the ORM's delete
    collects every related row of 10,000 products one table at a time, for minutes)."""
    from django.db import connection, transaction

    from core.trees import descendants
    from shop.models import Category, Product

    parent_of = dict(Category.objects.values_list("pk", "parent_id"))
    roots = Category.objects.filter(name__startswith="Bench ", parent=None)
    ids = [pk for root in roots.values_list("pk", flat=True) for pk in descendants(root, parent_of)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Product._meta.db_table} WHERE sku LIKE %s", [PREFIX + "%"])
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(
                f"DELETE FROM {Category._meta.db_table} WHERE id IN "
                f"({', '.join(['%s'] * len(chunk))})",
                chunk,
            )


def timed(function):
    started = time.perf_counter()
    value = function()
    return value, time.perf_counter() - started


def run(label: str, data: bytes, client, user) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from shop.catalog.imports.admin import CatalogueCSV
    from shop.catalog.imports.resources import ProductResource

    dataset = CatalogueCSV().create_dataset(data)
    reset_queries()  # the capture counts a log that stops growing at 9,000 queries
    with CaptureQueriesContext(connection) as queries:
        result, dry_run_time = timed(
            lambda: ProductResource().import_data(
                dataset, dry_run=True, raise_errors=False, file_name="bench.csv", user=user
            )
        )
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows[:3]
    upload = SimpleUploadedFile("bench.csv", data)
    page, page_time = timed(
        lambda: client.post(
            "/admin/shop/product/import/",
            {"resource": "0", "format": "0", "import_file": upload},
        )
    )
    assert page.status_code == 200 and page.context["confirm_form"] is not None
    form = page.context["confirm_form"]
    confirm = {name: form.initial.get(name, "") for name in form.fields}
    done, import_time = timed(lambda: client.post("/admin/shop/product/process_import/", confirm))
    assert done.status_code == 302, done.content[:300]
    totals = result.totals
    print(
        f"{label:<28} | {len(dataset):>6} rows ({totals['new']} new, {totals['update']} changed, "
        f"{totals['skip']} unchanged) | dry run {dry_run_time:6.2f} s, {len(queries)} queries | "
        f"preview page {page_time:6.2f} s, {len(page.content) // 1024} KiB | "
        f"confirmed import {import_time:6.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{DATA / 'catalog_import.sqlite3'}")
    parser.add_argument("--products", type=int, default=10000)
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    prepare_database(args.database_url, 50)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from customers.models import User

    setup_test_environment()  # response.context for the pages
    client = Client()
    user = User.objects.get(email="manager@example.com")
    client.force_login(user)
    rng = random.Random(10)
    clean_up()
    run("new catalogue", generated_file(args.products, rng), client, user)
    exported = client.post(
        "/admin/shop/product/export/?q=" + PREFIX, {"format": "0", "resource": "0"}
    )
    run("export, 10 % changed, 1 % new", edited_export(exported.content, rng), client, user)
    clean_up()


if __name__ == "__main__":
    main()
