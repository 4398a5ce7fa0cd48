"""Benchmark of rule imports: export, preview (the dry run), confirmed import and undo of
1,000 and 10,000 price rules.

Run from the repository root: ``.venv/bin/python bench/imports.py [--database-url URL]``

Builds (or reuses) a demo catalogue in its own database (default: SQLite at
bench/.data/imports.sqlite3), then for each size replaces the price rules with that many
generated ones and prints, for a file that changes 10 % of the rules' values and adds 1 %:
the export time, the preview's service time and SQL queries, the whole preview page (upload,
dry run, template) through the admin, the confirmed import and the undo. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
sys.path.insert(0, str(ROOT))

from bench.pricing import prepare_database  # noqa: E402


def replace_rules(count: int, rng: random.Random) -> None:
    from customers.models import CustomerGroup
    from pricing.models import PriceRule, RuleImport
    from shop.models import Product

    PriceRule.objects.all().delete()
    RuleImport.objects.all().delete()
    groups = list(CustomerGroup.objects.values_list("id", flat=True))
    products = list(Product.objects.values_list("id", flat=True))
    PriceRule.objects.bulk_create(
        (
            PriceRule(
                name=f"bench {i}",
                kind="percent_off",
                value=Decimal(rng.randrange(1, 30)),
                min_quantity=rng.choice([1, 6, 12]),
                group_id=rng.choice(groups),
                product_id=rng.choice(products),
            )
            for i in range(count)
        ),
        batch_size=1000,
    )


def edited_file(content: str, rng: random.Random) -> bytes:
    rows = list(csv.DictReader(io.StringIO(content)))
    for row in rng.sample(rows, len(rows) // 10):
        row["value"] = str(int(Decimal(row["value"])) % 29 + 1)
    rows += [dict(row, id="", name=f"new {n}") for n, row in enumerate(rows[: len(rows) // 100])]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def timed(function):
    started = time.perf_counter()
    value = function()
    return value, time.perf_counter() - started


def run(count: int, rng: random.Random, client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from customers.models import User
    from pricing.imports.preview import FORMATS, build_preview, check_columns, read_dataset
    from pricing.imports.resources import PriceRuleResource
    from pricing.imports.services import rules_import, rules_import_undo
    from pricing.models import PriceRule, RuleImport

    replace_rules(count, rng)
    dataset, export_time = timed(lambda: PriceRuleResource().export())
    data = edited_file(dataset.csv, rng)

    def dry_run():
        parsed = read_dataset(data, FORMATS[0]())
        resource = PriceRuleResource()
        check_columns(parsed, resource)
        result = resource.import_data(parsed, dry_run=True)
        return build_preview(resource, result, remove_missing=False)

    with CaptureQueriesContext(connection) as queries:
        preview, preview_time = timed(dry_run)
    upload = SimpleUploadedFile("rules.csv", data)
    page, page_time = timed(
        lambda: client.post(
            "/admin/pricing/pricerule/import/",
            {"resource": "0", "format": "0", "import_file": upload},
        )
    )
    assert page.status_code == 200 and page.context["confirm_form"] is not None

    user = User.objects.get(email="manager@example.com")

    def confirmed():
        resource = PriceRuleResource()
        parsed = read_dataset(data, FORMATS[0]())
        return rules_import(
            resource=resource,
            dataset=parsed,
            remove_missing=False,
            user=user,
            file_name="rules.csv",
        )

    outcome, import_time = timed(confirmed)
    assert outcome.rule_import is not None
    rule_import = RuleImport.objects.get()
    _done, undo_time = timed(
        lambda: rules_import_undo(rule_import=rule_import, model=PriceRule, user=user)
    )
    counts = preview.counts
    print(
        f"{count:>6} rules | export {export_time:6.2f} s | preview service {preview_time:6.2f} s, "
        f"{len(queries)} queries ({counts['changed']} changed, {counts['new']} new) | "
        f"preview page {page_time:6.2f} s, {len(page.content) // 1024} KiB | "
        f"import {import_time:6.2f} s | undo {undo_time:6.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{DATA / 'imports.sqlite3'}")
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    prepare_database(args.database_url, args.products)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from customers.models import User

    setup_test_environment()  # response.context for the page
    client = Client()
    client.force_login(User.objects.get(email="manager@example.com"))
    rng = random.Random(10)
    for size in (int(size) for size in args.sizes.split(",")):
        run(size, rng, client)


if __name__ == "__main__":
    main()
