"""How products and stock levels map to the rows of a manager's file.

A product is found by its SKU (the key: a row with an unknown SKU adds a product), its category
is written as its path ("Kitchen > Cookware"), choices by their stored value, flags as yes / no
and images as file names or web addresses (downloaded when the import is confirmed, never in
the preview). Rows are validated by the model's own field validators, plus what
the database would refuse later (a slug or a SKU used twice); products are written in bulk,
and a dry run (the preview) writes none, so a preview costs the same few queries at any size:
the products the file names in one query, the category tree in one, the slugs in one."""

from copy import copy

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field
from import_export.instance_loaders import CachedInstanceLoader

from core.import_widgets import ChoiceWidget, DecimalWidget, IntegerWidget, YesNoWidget, text
from shop.tax.models import TaxClass

from ..models import Product
from . import fetch, services
from .widgets import (
    UPLOAD_FOLDER,
    CategoryPathWidget,
    ImagesWidget,
    SafeTextWidget,
    TranslationWidget,
)

SKU = "sku"


class FileProblem(Exception):
    """A file that cannot be imported at all; the message is for the manager."""


def field(attribute, widget, column=None) -> Field:
    return Field(attribute=attribute, column_name=column or attribute, widget=widget)


def twin(instance):
    """A copy of a product that shares its (never modified) related objects: an import
    assigns a row's fields and relations, it never changes the objects they point to, so this
    is all the library's copy of the row before import needs. A `deepcopy` also copied the
    joined category and the prefetched images of every row, a quarter of a large preview."""
    clone = instance.__class__.__new__(instance.__class__)
    clone.__dict__ = dict(instance.__dict__)
    clone._state = copy(instance._state)
    clone._state.fields_cache = dict(instance._state.fields_cache)
    if "_prefetched_objects_cache" in instance.__dict__:
        clone._prefetched_objects_cache = dict(instance._prefetched_objects_cache)
    clone.__dict__.pop("__deepcopy__", None)
    return clone


class CatalogueResource(resources.ModelResource):
    """Shared behaviour: the columns checked before any row, each SKU once per file, bulk
    writes skipped by a dry run, validation without a query per row."""

    required_columns: tuple[str, ...] = ()

    class Meta:
        import_id_fields = (SKU,)
        instance_loader_class = CachedInstanceLoader
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_bulk = True
        batch_size = 1000

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.import_fields = super().get_import_fields()
        self.repeated_skus: dict[str, list[int]] = {}

    def get_import_fields(self):
        return self.import_fields  # asked several times per row, always the same

    def columns(self) -> list[str]:
        return [resource_field.column_name for resource_field in self.import_fields]

    def check_columns(self, dataset) -> None:
        headers = [text(header) for header in dataset.headers or ()]
        expected = self.columns()
        problems = []
        missing = [column for column in self.required_columns if column not in headers]
        unknown = [header or gettext("(no name)") for header in headers if header not in expected]
        repeated = sorted({header for header in headers if headers.count(header) > 1})
        if missing:
            problems.append(
                gettext("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
            )
        if unknown:
            problems.append(
                gettext("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}
            )
        if repeated:
            problems.append(
                gettext("Repeated columns: %(columns)s.") % {"columns": ", ".join(repeated)}
            )
        if problems:
            problems.append(
                gettext("The columns are those of an export: %(columns)s.")
                % {"columns": ", ".join(expected)}
            )
            del dataset[0 : len(dataset)]  # no row is looked at: the file is refused whole
            raise FileProblem(" ".join(problems))
        dataset.headers = headers

    def before_import(self, dataset, **kwargs):
        self.check_columns(dataset)
        rows_by_sku: dict[str, list[int]] = {}
        for number, value in enumerate(dataset[SKU], 2):
            if text(value):
                rows_by_sku.setdefault(text(value), []).append(number)
        self.repeated_skus = {sku: rows for sku, rows in rows_by_sku.items() if len(rows) > 1}

    def get_instance(self, instance_loader, row):
        sku = text(row.get(SKU))
        if sku in self.repeated_skus:
            raise ValueError(
                gettext("The SKU %(sku)s is on several rows (%(rows)s): each product once.")
                % {"sku": sku, "rows": ", ".join(map(str, self.repeated_skus[sku]))}
            )
        return instance_loader.get_instance(row)

    def after_init_instance(self, instance, new, row, **kwargs):
        instance.__deepcopy__ = lambda memo: twin(instance)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run:
            self.create_instances.clear()
            return
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run:
            self.update_instances.clear()
            return
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size, result)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is not None:
            instance.updated_at = timezone.now()  # bulk_update skips auto_now


class ProductResource(CatalogueResource):
    sku = field(SKU, SafeTextWidget())
    # The texts in each language: `name` and `description` are the English (default) ones,
    # whatever the language of the manager's admin; the others may be left empty (the
    # English text is shown instead).
    name = field("name_en", SafeTextWidget(), column="name")
    name_fr = field("name_fr", TranslationWidget())
    name_ar = field("name_ar", TranslationWidget())
    slug = field("slug", SafeTextWidget())
    description = field("description_en", SafeTextWidget(), column="description")
    description_fr = field("description_fr", TranslationWidget())
    description_ar = field("description_ar", TranslationWidget())
    category = field("category", CategoryPathWidget())
    base_price = field("base_price", DecimalWidget())
    tax_class = field(
        "tax_class",
        ChoiceWidget(
            TaxClass.choices,
            message=_("“%(value)s” is not a tax class: write one of %(values)s."),
        ),
    )
    stock = field("stock", IntegerWidget())
    track_stock = field("track_stock", YesNoWidget())
    is_active = field("is_active", YesNoWidget())
    is_featured = field("is_featured", YesNoWidget())
    images = Field(attribute=None, column_name="images", widget=ImagesWidget())

    required_columns = (SKU, "name", "category", "base_price")

    class Meta(CatalogueResource.Meta):
        model = Product
        name = _("Products")
        fields = (
            SKU,
            "name",
            "name_fr",
            "name_ar",
            "slug",
            "description",
            "description_fr",
            "description_ar",
            "category",
            "base_price",
            "tax_class",
            "stock",
            "track_stock",
            "is_active",
            "is_featured",
            "images",
        )
        export_order = fields

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.slug_owners: dict[str, str] = {}
        self.new_images: dict[int, tuple[Product, list[str]]] = {}
        self.downloaded: dict[str, str] = {}  # web address: the stored file it was saved as
        self.saved_files: list[str] = []  # the files this import added to the storage

    def get_queryset(self):
        return Product.objects.select_related("category").prefetch_related("images")

    @property
    def category_tree(self):
        return self.fields["category"].widget.tree

    def created_categories(self) -> list[str]:
        return list(self.category_tree.created)

    def before_import(self, dataset, **kwargs):
        self.fields["category"].widget.forget()
        self.new_images = {}
        self.downloaded, self.saved_files = {}, []
        super().before_import(dataset, **kwargs)
        self.slug_owners = dict(Product.objects.values_list("slug", SKU))
        if "images" in dataset.headers:
            self.fields["images"].widget.prepare(dataset["images"])

    # --- a row ------------------------------------------------------------------------------

    def import_instance(self, instance, row, **kwargs):
        """The library's field by field import, then what needs the whole file: a free slug,
        and the images the product does not have yet."""
        current_slug = instance.slug
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not instance.slug:
            instance.slug = current_slug or self.free_slug(instance)
        owner = self.slug_owners.get(instance.slug)
        if owner is not None and owner != instance.sku:
            errors["slug"] = [
                gettext("The slug “%(slug)s” is the product %(sku)s's: choose another one.")
                % {"slug": instance.slug, "sku": owner}
            ]
        elif instance.slug and instance.sku:
            self.slug_owners[instance.slug] = instance.sku
        if "images" in row:
            try:
                names = self.fields["images"].widget.clean(row["images"])
                if not kwargs.get("dry_run"):
                    names = [self.download(name) if fetch.is_url(name) else name for name in names]
            except ValueError as error:
                errors["images"] = [str(error)]
            else:
                have = set(self.image_names(instance))
                self.new_images[id(instance)] = (instance, [n for n in names if n not in have])
        if errors:
            raise ValidationError(errors)

    def free_slug(self, product: Product) -> str:
        max_length = Product._meta.get_field("slug").max_length
        name = product.name_en or ""  # the slug is one for every language: the English name's
        for candidate in (slugify(name), slugify(f"{name}-{product.sku}")):
            candidate = candidate[:max_length]
            if candidate and candidate not in self.slug_owners:
                return candidate
        stem = (slugify(product.sku) or "product")[: max_length - 6]
        number = 2
        while f"{stem}-{number}" in self.slug_owners:
            number += 1
        return f"{stem}-{number}"

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's field validators. The category was found by its widget and the SKU and
        slug checked against the whole file and catalogue, so no query per row."""
        errors = dict(import_validation_errors or {})
        exclude = set(errors) | ({"category"} if instance.category_id else set())
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            # Reported under the file's column: the English texts are `name` and `description`.
            columns = {"name_en": "name", "description_en": "description"}
            raise ValidationError({columns.get(key, key): value for key, value in errors.items()})

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if self.new_images.get(id(instance), (None, []))[1]:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    # --- images -----------------------------------------------------------------------------

    def image_names(self, product: Product) -> list[str]:
        if product.pk is None:
            return []
        return [image.image.name for image in product.images.all()]

    def download(self, url: str) -> str:
        """The stored name of the image at `url`, downloaded once per import into the upload
        folder under a name made from its content."""
        if url not in self.downloaded:
            widget = self.fields["images"].widget
            content, suffix = fetch.download(widget.targets[url])
            name = fetch.stored_name(content, suffix, UPLOAD_FOLDER)
            if not default_storage.exists(name):
                name = default_storage.save(name, ContentFile(content))
                self.saved_files.append(name)
            self.downloaded[url] = name
        return self.downloaded[url]

    def delete_saved_files(self) -> None:
        for name in self.saved_files:
            default_storage.delete(name)
        self.saved_files = []

    def dehydrate_images(self, product: Product) -> str:
        pending = self.new_images.get(id(product), (None, []))[1]
        return self.fields["images"].widget.render([*self.image_names(product), *pending])

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.created_categories = self.created_categories()
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            self.delete_saved_files()  # the import is rolled back: its downloads go with it
            return
        try:
            services.product_images_attach(
                images=[(product, names) for product, names in self.new_images.values() if names]
            )
        except Exception:
            self.delete_saved_files()
            raise

    def get_bulk_update_fields(self):
        return [
            f.name
            for f in Product._meta.concrete_fields
            if not f.primary_key and f.name != "created_at"
        ]


class StockResource(CatalogueResource):
    """Stock levels only, for a warehouse: a file of SKUs and counts updates existing
    products and never adds one."""

    sku = field(SKU, SafeTextWidget())
    stock = field("stock", IntegerWidget())

    required_columns = (SKU, "stock")

    class Meta(CatalogueResource.Meta):
        model = Product
        name = _("Stock levels")
        fields = (SKU, "stock")
        export_order = fields

    def get_queryset(self):
        return Product.objects.only("pk", SKU, "stock", "updated_at")

    def get_instance(self, instance_loader, row):
        instance = super().get_instance(instance_loader, row)
        if instance is None:
            raise ValueError(
                gettext("No product has the SKU “%(sku)s”: a stock file only updates products.")
                % {"sku": text(row.get(SKU))}
            )
        return instance

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if "stock" not in errors:
            if instance.stock is None:
                errors["stock"] = [gettext("Write the number of units in stock.")]
            elif instance.stock < 0:
                errors["stock"] = [gettext("Stock cannot be negative.")]
        if errors:
            raise ValidationError(errors)

    def get_bulk_update_fields(self):
        return ["stock", "updated_at"]
