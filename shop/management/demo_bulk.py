"""Data of `seed_demo --products N`: generated products to fill a large catalogue fast."""

import random
from decimal import Decimal

from django.db import connection, transaction

from shop.catalog.demo import ADJECTIVES
from shop.models import Category, Product, ProductImage


def seed_bulk_products(*, wanted: int, leaves: list[Category], out) -> None:
    """Fill up to `wanted` products fast: bulk inserts, images shared with demo products."""
    existing = Product.objects.filter(sku__startswith="GEN-").count()
    missing = wanted - Product.objects.count()
    if missing <= 0:
        return
    shared = list(ProductImage.objects.exclude(thumbnail="")[:12])
    rng = random.Random(11)
    batch_size = 1000
    for start in range(existing, existing + missing, batch_size):
        stop = min(start + batch_size, existing + missing)
        batch = [
            Product(
                sku=f"GEN-{number:06d}",
                # English only: the other languages show the English texts.
                name_en=f"{rng.choice(ADJECTIVES)} item {number:06d}",
                slug=f"item-{number:06d}",
                category=leaves[number % len(leaves)],
                description_en="A generated product for large-catalogue tests.",
                base_price=Decimal(rng.randrange(99, 19999)) / 100,
                stock=rng.randrange(0, 500),
            )
            for number in range(start, stop)
        ]
        with transaction.atomic():
            created = Product.objects.bulk_create(batch)
            if shared:
                ProductImage.objects.bulk_create(
                    ProductImage(
                        product=product,
                        image=shared[i % len(shared)].image.name,
                        thumbnail=shared[i % len(shared)].thumbnail.name,
                        detail=shared[i % len(shared)].detail.name,
                        alt_text=product.name_en,
                    )
                    for i, product in enumerate(created)
                )
        out.write(f"\r  generated {stop - existing}/{missing} products", ending="")
        out.flush()
    out.write("")
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner ignores the search and listing indexes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
