"""Cells of the catalogue files, read strictly: a wrong cell raises `ValueError` with a
sentence the resource reports on its row. Category paths and image names are looked up once
per import (`prepare`), never once per row."""

from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export import widgets

from core.import_widgets import text
from core.spreadsheets import FORMULA_STARTS, spreadsheet_safe
from core.trees import path_to

from ..models import Category, ProductImage
from . import fetch

PATH_SEPARATOR = " > "
# Written as the admin shows paths ("Kitchen › Knives") or typed with a plain ">".
PATH_SEPARATORS = (">", "›")
IMAGE_SEPARATOR = ","
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif"})
UPLOAD_FOLDER = "products/"


class SafeTextWidget(widgets.CharWidget):
    """Text a spreadsheet would run as a formula is exported behind an apostrophe
    (`core.spreadsheets.spreadsheet_safe`); importing the export takes the apostrophe off."""

    def clean(self, value, row=None, **kwargs):
        raw = text(value)
        if raw[:1] == "'" and raw[1:2] in FORMULA_STARTS:
            return raw[1:]
        return raw

    def render(self, value, obj=None, **kwargs):
        return spreadsheet_safe("" if value is None else str(value))


class TranslationWidget(SafeTextWidget):
    """A text in another language than the default: an empty cell stores no translation (the
    default language's text is shown), as the admin does."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) or None


class CategoryTree:
    """Every category (a small table) read once; paths resolved by name, level by level,
    without regard to case. A path with a missing level creates it, under its parent, and
    remembers it so that the preview can list what the import adds."""

    def __init__(self):
        self.names: dict[int, str] = {}
        self.parent_of: dict[int, int | None] = {}
        self.children: dict[tuple[int | None, str], int] = {}
        self.slugs: set[str] = set()
        self.created: list[str] = []
        self.by_id: dict[int, Category] = {}
        for category in Category.objects.order_by("position", "pk"):
            self._remember(category)

    def _remember(self, category: Category) -> None:
        self.by_id[category.pk] = category
        self.names[category.pk] = category.name
        self.parent_of[category.pk] = category.parent_id
        self.children.setdefault((category.parent_id, category.name.casefold()), category.pk)
        self.slugs.add(category.slug)

    def path(self, category_id: int | None) -> str:
        return PATH_SEPARATOR.join(
            self.names[pk] for pk in path_to(category_id, self.parent_of) if pk in self.names
        )

    def resolve(self, names: list[str]) -> Category:
        parent_id = None
        for depth, name in enumerate(names):
            found = self.children.get((parent_id, name.casefold()))
            if found is None:
                found = self._create(name, parent_id, names[: depth + 1]).pk
            parent_id = found
        return self.by_id[parent_id]

    def _create(self, name: str, parent_id: int | None, path: list[str]) -> Category:
        category = Category.objects.create(
            name=name, slug=self._free_slug(path), parent_id=parent_id
        )
        self._remember(category)
        self.created.append(PATH_SEPARATOR.join(path))
        return category

    def _free_slug(self, path: list[str]) -> str:
        max_length = Category._meta.get_field("slug").max_length
        for candidate in (slugify(path[-1]), slugify("-".join(path))):
            candidate = candidate[:max_length]
            if candidate and candidate not in self.slugs:
                return candidate
        stem = (slugify("-".join(path)) or "category")[: max_length - 6]
        number = 2
        while f"{stem}-{number}" in self.slugs:
            number += 1
        return f"{stem}-{number}"


class CategoryPathWidget(widgets.Widget):
    """A category written as its path from the top, "Kitchen > Cookware". Levels missing from
    the catalogue are created (active, visible to everyone, at position 0): the preview lists
    them before anything is written, so a misspelt level is seen and corrected."""

    def __init__(self):
        super().__init__()
        self._tree: CategoryTree | None = None

    @property
    def tree(self) -> CategoryTree:
        if self._tree is None:
            self._tree = CategoryTree()
        return self._tree

    def forget(self) -> None:
        self._tree = None

    def clean(self, value, row=None, **kwargs):
        raw = text(value)
        if not raw:
            raise ValueError(_("Write the category, as its path: Kitchen > Cookware."))
        for separator in PATH_SEPARATORS[1:]:
            raw = raw.replace(separator, PATH_SEPARATORS[0])
        names = [" ".join(part.split()) for part in raw.split(PATH_SEPARATORS[0])]
        if not all(names):
            raise ValueError(
                _("“%(value)s” has an empty level: write the path as Kitchen > Cookware.")
                % {"value": text(value)}
            )
        max_length = Category._meta.get_field("name").max_length
        too_long = [name for name in names if len(name) > max_length]
        if too_long:
            raise ValueError(
                _("The category name “%(name)s” is longer than %(max)s characters.")
                % {"name": too_long[0], "max": max_length}
            )
        return self.tree.resolve(names)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return spreadsheet_safe(self.tree.path(value.pk))


class ImagesWidget(widgets.Widget):
    """Image file names or web addresses separated by commas. A name is an image already
    uploaded to a product or a file already in the media storage (a bare name is looked for in
    the upload folder "products/"). An address is checked here, form and host (`fetch`), and
    kept as it is: the resource downloads it when the import is confirmed, never in a
    preview."""

    def __init__(self):
        super().__init__()
        self.uploaded: set[str] = set()
        self.targets: dict[str, fetch.Target] = {}

    def names(self, value) -> list[str]:
        return [part.strip() for part in text(value).split(IMAGE_SEPARATOR) if part.strip()]

    @staticmethod
    def candidates(name: str) -> list[str]:
        return [name] if "/" in name else [name, UPLOAD_FOLDER + name]

    def prepare(self, values) -> None:
        wanted = {
            c for value in values for name in self.names(value) for c in self.candidates(name)
        }
        self.uploaded = set(
            ProductImage.objects.filter(image__in=wanted).values_list("image", flat=True)
        )
        self.targets = {}

    def clean(self, value, row=None, **kwargs):
        found = []
        for name in self.names(value):
            stored = self.find(name)
            if stored not in found:
                found.append(stored)
        return found

    def find(self, name: str) -> str:
        if fetch.is_url(name):
            if name not in self.targets:
                self.targets[name] = fetch.target_for(name)
            return name
        path = PurePosixPath(name)
        if "\\" in name or path.is_absolute() or ".." in path.parts:
            raise ValueError(
                _("“%(name)s” is not a file name of the media folder.") % {"name": name}
            )
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            raise ValueError(
                _("“%(name)s” is not an image: use a JPEG, PNG, WebP or GIF file.") % {"name": name}
            )
        for candidate in self.candidates(name):
            if candidate in self.uploaded or default_storage.exists(candidate):
                return candidate
        raise ValueError(
            _("There is no image “%(name)s” in the media folder: upload it first.") % {"name": name}
        )

    def render(self, value, obj=None, **kwargs):
        return spreadsheet_safe(", ".join(value or []))
