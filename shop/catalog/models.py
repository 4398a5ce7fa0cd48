"""The catalogue: a category tree, products and their images."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.trees import path_to
from shop.tax.models import TaxClass


class Category(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent category"),
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    visible_to = models.ManyToManyField(
        "customers.CustomerGroup",
        blank=True,
        related_name="visible_categories",
        verbose_name=_("visible to"),
        help_text=_("Leave empty for everyone."),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]
        # Named (short enough for the "-fr" of each translated copy modeltranslation adds).
        indexes = [models.Index(fields=["parent", "position", "name"], name="category_tree_order")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:category", args=[self.slug])

    def clean(self):
        super().clean()
        if self.pk and self.parent_id:
            parents = dict(Category.objects.values_list("id", "parent_id"))
            if self.pk in path_to(self.parent_id, parents):
                raise ValidationError({"parent": _("A category cannot be placed inside itself.")})


class Product(models.Model):
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    description = models.TextField(_("description"), blank=True)
    base_price = models.DecimalField(
        _("base price (net)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Price before tax and before any rule."),
    )
    tax_class = models.CharField(
        _("tax class"), max_length=16, choices=TaxClass.choices, default=TaxClass.STANDARD
    )
    stock = models.PositiveIntegerField(_("stock"), default=0)
    track_stock = models.BooleanField(_("track stock"), default=True)
    low_stock_threshold = models.PositiveIntegerField(
        _("low-stock threshold"),
        null=True,
        blank=True,
        help_text=_(
            "Reported as low on stock at this many units or fewer. Leave empty for the shop's "
            "default."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_featured = models.BooleanField(_("featured on the home page"), default=False)
    visible_to = models.ManyToManyField(
        "customers.CustomerGroup",
        blank=True,
        related_name="visible_products",
        verbose_name=_("visible to"),
        help_text=_("Leave empty for everyone."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(base_price__gte=0), name="product_base_price_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["category", "is_active", "name"], name="product_category_name"),
            models.Index(fields=["category", "is_active", "base_price"]),
            models.Index(fields=["is_active", "is_featured"]),
            # Listings sorted by name or price walk these in order and stop after one page.
            models.Index(
                fields=["name", "id"],
                condition=models.Q(is_active=True),
                name="product_active_name",
            ),
            models.Index(
                fields=["base_price", "id"],
                condition=models.Q(is_active=True),
                name="product_active_price",
            ),
            # The home page's featured products, newest first, without a scan of the rest.
            models.Index(
                fields=["-updated_at", "id"],
                condition=models.Q(is_active=True, is_featured=True),
                name="product_featured_recent",
            ),
        ]
        # The full-text GIN index exists on PostgreSQL only: see migration 0002.

    def __str__(self):
        return f"{self.name} ({self.sku})"

    def get_absolute_url(self):
        return reverse("catalog:product", args=[self.slug])

    @property
    def in_stock(self) -> bool:
        return not self.track_stock or self.stock > 0


class ProductImage(models.Model):
    """A product photo; the pages use the thumbnails generated from it, never the original."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product")
    )
    image = models.ImageField(_("image"), upload_to="products/")
    thumbnail = models.ImageField(
        _("listing thumbnail"), upload_to="products/thumbs/", blank=True, editable=False
    )
    detail = models.ImageField(
        _("product page image"), upload_to="products/detail/", blank=True, editable=False
    )
    alt_text = models.CharField(_("alternative text"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["product", "position"])]

    def __str__(self):
        return self.alt_text


class CatalogueVersion(models.Model):
    """One row whose token the database itself changes (the triggers of migration 0029, so
    every write path counts: admin, bulk updates, imports, cascades, the shell) whenever a
    product or a category changes what a listing holds or its order: products joining or
    leaving one (active, category, visibility), their names, prices and searched texts.
    Stock and the other columns do not: listings read the rows they show afresh.

    A random token rather than a counter, so a change rolled back cannot leave a listing
    believed current for a later, different change."""

    token = models.CharField(max_length=32, default="")

    def __str__(self):
        return self.token

    @classmethod
    def current(cls) -> str:
        """The token in one query ("" before the first change)."""
        return cls.objects.filter(pk=1).values_list("token", flat=True).first() or ""


class StockAlert(models.Model):
    """Someone asked to be emailed when an out-of-stock product is back. Pending until then;
    `notified_at` is when the email went out (it goes once)."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="stock_alerts", verbose_name=_("product")
    )
    email = models.EmailField(_("email address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stock_alerts",
        verbose_name=_("customer"),
    )
    language = models.CharField(
        _("language"), max_length=16, blank=True, help_text=_("The email is written in it.")
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)

    class Meta:
        verbose_name = _("back-in-stock alert")
        verbose_name_plural = _("back-in-stock alerts")
        constraints = [
            # One pending alert per product and address, whatever its case. Product first:
            # the same index serves the lookup of a product's pending alerts.
            models.UniqueConstraint(
                "product",
                Lower("email"),
                condition=models.Q(notified_at=None),
                name="stock_alert_one_pending_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.product_id})"
