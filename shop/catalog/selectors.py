"""The catalogue reads the pages need, each in a constant number of queries.

Visibility: a category is visible to a group when it is active, its `visible_to` is empty or
contains the group, and its parent is visible. A product is visible when it is active, its
category is visible and its own `visible_to` is empty or contains the group.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from modeltranslation.settings import DEFAULT_LANGUAGE
from modeltranslation.utils import build_localized_fieldname, get_language

from core.db import columns_of, prepared_raw
from core.trees import descendants, path_to

from .listings import ProductsInOrder, catalogue_state, in_kept_order, listed
from .models import Category, Product

SORT_ORDERS = {"name": False, "-name": True}  # sort -> descending, see `sort_order`
# Sorted by the price each viewer pays, in Python (pricing.sorting): a listing then reads only
# its `price_inputs` and the rows of the page shown.
PRICE_SORTS = {"price": False, "-price": True}  # sort -> descending
DEFAULT_SORT = "name"
SKU_MAX_LENGTH = Product._meta.get_field("sku").max_length


def shown_text(field_name: str, prefix: str = ""):
    """The translated column `field_name` as the reader sees it: in the active language, else
    in the default one (as modeltranslation shows it on an instance). For ordering and for
    what modeltranslation does not rewrite (functions of several columns, other models'
    lookups): e.g. ``shown_text("name", "parent__")``."""
    language = get_language()
    default = F(prefix + build_localized_fieldname(field_name, DEFAULT_LANGUAGE))
    if language == DEFAULT_LANGUAGE:
        return default
    own = F(prefix + build_localized_fieldname(field_name, language))
    return Coalesce(NullIf(own, Value("")), default)


def sort_order(sort: str) -> tuple:
    """The `order_by` of a listing sorted by name (SORT_ORDERS), in the reader's language."""
    if SORT_ORDERS.get(sort, False):
        return (shown_text("name").desc(), "-id")
    return (shown_text("name").asc(), "id")


@dataclass
class CategoryTree:
    """The categories one group may see, loaded in two queries."""

    by_id: dict[int, Category] = field(default_factory=dict)
    children: dict[int | None, list[Category]] = field(default_factory=dict)
    parent_of: dict[int, int | None] = field(default_factory=dict)

    @property
    def roots(self) -> list[Category]:
        return self.children.get(None, [])

    def get_by_slug(self, slug: str) -> Category | None:
        return next((c for c in self.by_id.values() if c.slug == slug), None)

    def ancestors(self, category: Category) -> list[Category]:
        """Root first, the category itself excluded."""
        return [self.by_id[pk] for pk in path_to(category.parent_id, self.parent_of)]

    def descendant_ids(self, category: Category) -> list[int]:
        """The category and everything below it."""
        return descendants(category.pk, self.parent_of)


def _active_categories() -> list[Category]:
    """The active categories in menu order (position, then name as the reader sees it: see
    `shown_text`). Plain SQL: every page reads them, and building the ORM query cost more than
    running it."""
    quote = connection.ops.quote_name
    default = quote(build_localized_fieldname("name", DEFAULT_LANGUAGE))
    language = get_language()
    name = default
    if language != DEFAULT_LANGUAGE:
        own = quote(build_localized_fieldname("name", language))
        name = f"COALESCE(NULLIF({own}, ''), {default})"
    table = quote(Category._meta.db_table)
    sql = f"SELECT * FROM {table} WHERE is_active ORDER BY position, {name}, id"
    return list(Category.objects.raw(sql))


def category_tree(*, group, version: str = "") -> CategoryTree:
    """The categories the group may see. Given the catalogue `version` the caller read
    (`CatalogueVersion`, which every category and category-visibility write changes), the tree
    is built once per version, language and group in this process, and read without a query."""
    if not version:
        return _category_tree(group)
    global _kept_trees
    key = (get_language(), group.pk if group is not None else None)
    kept_version, trees = _kept_trees
    if kept_version != version:
        trees = {}
        _kept_trees = (version, trees)
    tree = trees.get(key)
    if tree is None:
        tree = trees[key] = _category_tree(group)
    return tree


def forget_category_trees() -> None:
    """Drop the trees kept in this process (tests that start like a new process)."""
    global _kept_trees
    _kept_trees = ("", {})


_kept_trees: tuple[str, dict] = ("", {})


def _category_tree(group) -> CategoryTree:
    through = Category.visible_to.through
    rows = _active_categories()
    restricted: dict[int, set[int]] = {}
    for category_id, group_id in through.objects.values_list("category_id", "customergroup_id"):
        restricted.setdefault(category_id, set()).add(group_id)

    def own_visible(category):
        allowed = restricted.get(category.pk)
        return allowed is None or (group is not None and group.pk in allowed)

    all_by_id = {c.pk: c for c in rows}
    visible: dict[int, bool] = {}

    def is_visible(category_id) -> bool:
        if category_id not in visible:
            category = all_by_id.get(category_id)
            visible[category_id] = (
                category is not None
                and own_visible(category)
                and (category.parent_id is None or is_visible(category.parent_id))
            )
        return visible[category_id]

    tree = CategoryTree()
    for category in rows:
        if is_visible(category.pk):
            tree.by_id[category.pk] = category
            tree.parent_of[category.pk] = category.parent_id
            tree.children.setdefault(category.parent_id, []).append(category)
    return tree


def _visible_products(*, group, tree: CategoryTree) -> QuerySet[Product]:
    """Active products in visible categories, less those restricted to other groups.

    The restricted set is one uncorrelated subquery (evaluated once), not a per-row check."""
    through = Product.visible_to.through
    products = Product.objects.filter(is_active=True, category_id__in=list(tree.by_id))
    restricted = through.objects.all()
    if group is not None:
        allowed_here = through.objects.filter(customergroup_id=group.pk).values("product_id")
        restricted = restricted.exclude(product_id__in=allowed_here)
    return products.exclude(pk__in=restricted.values("product_id"))


def visible_products(
    *, group, ids=None, skus=None, tree: CategoryTree | None = None, version: str = ""
) -> QuerySet[Product]:
    """Active products the group may see, optionally narrowed to ids or exact SKUs. `tree`:
    the group's category tree, when the caller has read it already (a page reads it once for
    its menu and its products); else the tree kept for the catalogue `version` the caller
    read, if any (`category_tree`)."""
    if tree is None:
        tree = category_tree(group=group, version=version)
    products = _visible_products(group=group, tree=tree)
    if ids is not None:
        products = products.filter(pk__in=list(ids))
    if skus is not None:
        products = products.filter(sku__in=list(skus))
    return products


def visible_by_id(ids, *, group, version: str = "") -> list[Product]:
    """The products of `ids` the group may see, in id order, as `visible_products` would give
    them, in one query of plain SQL (every add to cart and every order asks, and building the
    ORM query cost more than running it); `version` as `category_tree`."""
    ids = sorted(set(ids))
    if not ids:
        return []
    tree = category_tree(group=group, version=version)
    products = prepared_raw(
        Product,
        _BY_ID_SQL.format(ids=", ".join(["%s"] * len(ids))),
        [group.pk if group is not None else None, *ids],
    )
    return [
        product
        for product in products
        if product.is_active
        and product.category_id in tree.by_id
        and _open_to_group(product.restricted, product.allowed_here)
    ]


def _open_to_group(restricted: bool, allowed_here: bool) -> bool:
    """A product's own group restriction: none, or one that names the viewer's group."""
    return not restricted or allowed_here


def visible_among(products, *, group, tree: CategoryTree | None = None) -> set[int]:
    """The ids of `products` the group may see, by the rules of `visible_products`: their own
    flag and category here, their group restrictions as read with them for this group
    (`GROUP_RESTRICTION`), as a cart's lines bring them: every cart and checkout page asks,
    and a query of its own for the restrictions cost more than two columns."""
    products = list(products)
    if not products:
        return set()
    if tree is None:
        tree = category_tree(group=group)
    return {
        product.pk
        for product in products
        if product.is_active
        and product.category_id in tree.by_id
        and _open_to_group(product.restricted, product.allowed_here)
    }


_PRODUCT_GROUPS = Product.visible_to.through._meta.db_table
# Whether a product `p` is restricted to some groups, and whether the group whose id is the
# parameter is one of them: the columns `_open_to_group` reads.
GROUP_RESTRICTION = (
    f"EXISTS (SELECT 1 FROM {_PRODUCT_GROUPS} t WHERE t.product_id = p.id) AS restricted, "
    f"EXISTS (SELECT 1 FROM {_PRODUCT_GROUPS} t WHERE t.product_id = p.id "
    "AND t.customergroup_id = %s) AS allowed_here"
)
_BY_ID_SQL = (
    f"SELECT {columns_of(Product, 'p')}, {GROUP_RESTRICTION} FROM {Product._meta.db_table} p "
    "WHERE p.id IN ({ids}) ORDER BY p.id"
)


def sku_key(sku: str) -> str:
    """How typed SKUs are matched: surrounding spaces ignored, letters in capitals."""
    return str(sku).strip().upper()


def could_be_sku(text: str) -> bool:
    """Whether typed text may name a stored SKU: not empty, not longer than the column and
    without NUL (which PostgreSQL refuses in a query). Anything else is simply unknown."""
    return 0 < len(text) <= SKU_MAX_LENGTH and "\x00" not in text


def sku_candidates(skus) -> set[str]:
    """The stored SKUs a typed SKU may mean: as typed, or in capitals (through the unique SKU
    index, so no case-folding scan of the table)."""
    typed = {str(sku).strip() for sku in skus if sku}
    typed = {sku for sku in typed if could_be_sku(sku)}
    return typed | {sku_key(sku) for sku in typed}


def visible_products_by_sku(*, group, skus) -> dict[str, Product]:
    """The visible products the typed `skus` name, keyed by `sku_key`."""
    products = visible_products(group=group, skus=sku_candidates(skus))
    return {sku_key(product.sku): product for product in products}


def category_listing(*, category: Category, tree: CategoryTree, group) -> QuerySet[Product]:
    """Products of the category and its descendants visible to the group, unordered."""
    products = _visible_products(group=group, tree=tree)
    return products.filter(category_id__in=tree.descendant_ids(category))


def category_products(
    *, category: Category, tree: CategoryTree, group, sort: str
) -> ProductsInOrder:
    """Products of the category and its descendants visible to the group, sorted by name
    (SORT_ORDERS), in their kept order (listings.in_kept_order)."""
    listing = category_listing(category=category, tree=tree, group=group)
    return in_kept_order(
        listing.order_by(*sort_order(sort)), listing=("category", category.pk, sort), group=group
    )


class PriceInput(NamedTuple):
    """What pricing needs of a product to sort a listing by price (no model instance)."""

    pk: int
    base_price: object
    category_id: int
    tax_class: str
    name: str


def price_inputs(products: QuerySet[Product]) -> list[PriceInput]:
    """One query of plain tuples for a whole listing, however long."""
    fields = ("pk", "base_price", "category_id", "tax_class", "name")
    return [PriceInput(*row) for row in products.order_by().values_list(*fields)]


def listing_state(products: QuerySet[Product]) -> tuple:
    """What changes when a product of a listing is saved or joins or leaves it: the catalogue
    version (one query by primary key, whatever the listing's length), so an order computed
    from the rows is known to be stale."""
    return (catalogue_state(),)


def featured_products(*, group, tree: CategoryTree, limit: int = 8) -> list[Product]:
    return list(
        listed(_visible_products(group=group, tree=tree))
        .filter(is_featured=True)
        .order_by("-updated_at", "id")[:limit]
    )


def product_detail(*, slug: str, group, tree: CategoryTree) -> Product | None:
    return _visible_products(group=group, tree=tree).filter(slug=slug).first()


def category_parent_map() -> dict[int, int | None]:
    """Every category id with its parent id (the pricing engine's category paths)."""
    return dict(Category.objects.values_list("id", "parent_id"))
