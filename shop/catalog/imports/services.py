"""What an import writes beyond the product rows: the images its files name."""

from django.db import transaction
from django.db.models import Max

from .. import services as catalog_services
from ..models import Product, ProductImage


@transaction.atomic
def product_images_attach(*, images: list[tuple[Product, list[str]]]) -> int:
    """Add each product's named files (already in the media storage) after its images. A file
    another image already uses shares that image's renditions; a new file gets them generated.
    The number of images added."""
    names = {name for _product, product_names in images for name in product_names}
    renditions = {}
    for image in ProductImage.objects.filter(image__in=names).exclude(thumbnail=""):
        renditions.setdefault(image.image.name, image)
    last_positions = dict(
        ProductImage.objects.filter(product__in=[product.pk for product, _names in images])
        .values("product")
        .annotate(last=Max("position"))
        .values_list("product", "last")
    )
    added = []
    for product, product_names in images:
        start = last_positions.get(product.pk, -1) + 1
        for offset, name in enumerate(product_names):
            image = ProductImage(
                product=product, image=name, alt_text=product.name, position=start + offset
            )
            source = renditions.get(name)
            if source is not None:
                image.thumbnail, image.detail = source.thumbnail.name, source.detail.name
            added.append(image)
    ProductImage.objects.bulk_create(added)
    for image in added:
        if not image.thumbnail:
            catalog_services.product_image_make_thumbnails(image=image)
    return len(added)
