"""Catalogue write paths: product images."""

from io import BytesIO
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import transaction

from .models import Product, ProductImage

# The sizes the pages display (CSS pixels x2 for sharp screens); pages never scale originals.
THUMBNAIL_SIZE = (400, 400)
DETAIL_SIZE = (800, 800)


def _square_jpeg(source, size: tuple[int, int]) -> bytes:
    from PIL import Image, ImageOps  # only image uploads need Pillow, not every worker

    with Image.open(source) as original:
        image = ImageOps.exif_transpose(original).convert("RGB")
        image = ImageOps.fit(image, size, method=Image.Resampling.LANCZOS)
        buffer = BytesIO()
        image.save(buffer, format="JPEG", quality=82, optimize=True, progressive=True)
        return buffer.getvalue()


def product_image_make_thumbnails(*, image: ProductImage) -> ProductImage:
    """(Re)generate the listing and product-page renditions of an uploaded image."""
    stem = PurePosixPath(image.image.name).stem
    image.image.open("rb")
    try:
        thumbnail = _square_jpeg(image.image, THUMBNAIL_SIZE)
        image.image.seek(0)
        detail = _square_jpeg(image.image, DETAIL_SIZE)
    finally:
        image.image.close()
    image.thumbnail.save(f"{stem}-400.jpg", ContentFile(thumbnail), save=False)
    image.detail.save(f"{stem}-800.jpg", ContentFile(detail), save=False)
    image.save(update_fields=["thumbnail", "detail"])
    return image


@transaction.atomic
def product_image_add(
    *, product: Product, content: bytes, filename: str, alt_text: str, position: int = 0
) -> ProductImage:
    image = ProductImage(product=product, alt_text=alt_text, position=position)
    image.image.save(filename, ContentFile(content), save=False)
    image.save()
    return product_image_make_thumbnails(image=image)


def products_set_active(*, product_ids, is_active: bool) -> int:
    return Product.objects.filter(pk__in=list(product_ids)).update(is_active=is_active)
