"""Product search: what a shopper types, matched against the catalogue they may see.

Full text on PostgreSQL (each language's stored document, shop migration 0027); every term
somewhere in the shown name, SKU or description on SQLite. Exact SKUs match either way.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from modeltranslation.settings import DEFAULT_LANGUAGE
from modeltranslation.utils import build_localized_fieldname, get_language

from .listings import ProductsInOrder, in_kept_order
from .models import Product
from .selectors import (
    DEFAULT_SORT,
    SORT_ORDERS,
    CategoryTree,
    shown_text,
    sku_candidates,
    sort_order,
    visible_products,
)

MAX_SEARCH_TERMS = 10
SEARCH_TERM = re.compile(r'(-*)("[^"]*"?|[^\s"]+)')  # an optional exclusion, a phrase or a word
PUNCTUATION_RUN = re.compile(r"[^\w\s]{2,}")
PUNCTUATION_EDGES = re.compile(r"^\W+|\W+$")
LETTER_OR_DIGIT = re.compile(r"[^\W_]")
# The text search configuration of each language's stored search document (migration 0027).
SEARCH_CONFIGS = {"en": "english", "fr": "french", "ar": "arabic"}


def _search_words(text: str) -> list[str]:
    """The words of a term that carry a letter or digit, without punctuation around them or
    runs of it inside (single hyphens, dots and slashes of SKUs stay)."""
    words = (PUNCTUATION_EDGES.sub("", word) for word in PUNCTUATION_RUN.sub(" ", text).split())
    return [word for word in words if LETTER_OR_DIGIT.search(word)]


def search_terms(query: str) -> list[tuple[str, bool, bool]]:
    """(text, excluded, phrase) of at most MAX_SEARCH_TERMS terms: words, "phrases" and their
    `-` exclusions. Terms with no letter or digit are dropped and a term is excluded by one `-`
    however many were typed: in PostgreSQL's websearch syntax each `-` stacks a NOT and more
    than 32 overflow its parser ("tsquery stack too small")."""
    terms = []
    for dashes, body in SEARCH_TERM.findall(query):
        words = _search_words(body.strip('"'))
        if words:
            terms.append((" ".join(words), bool(dashes), body.startswith('"') or len(words) > 1))
        if len(terms) == MAX_SEARCH_TERMS:
            break
    return terms


def websearch_terms(query: str) -> str:
    """The query rewritten from its `search_terms`, safe for PostgreSQL's websearch syntax."""
    return " ".join(
        ("-" if excluded else "") + (f'"{text}"' if phrase else text)
        for text, excluded, phrase in search_terms(query)
    )


def _search_document(language: str):
    # The stored, indexed document of the language (shop migration 0027; PostgreSQL only, so
    # not a model field). Unqualified, the column names the products table of each (sub)query.
    return RawSQL(f"search_document_{language}", [], output_field=SearchVectorField())


def _search_config(language: str):
    """The configuration the language's document was parsed with: its own, or `simple` where
    the server has none (the migration made the same choice), within the search's query."""
    config = SEARCH_CONFIGS[language]
    return RawSQL(
        "COALESCE((SELECT cfgname::text FROM pg_ts_config WHERE cfgname = %s LIMIT 1), 'simple')",
        [config],
    )


def _search_query(query: str, language: str) -> SearchQuery:
    return SearchQuery(
        websearch_terms(query), config=_search_config(language), search_type="websearch"
    )


def _shown_contains(field_name: str, language: str, text: str) -> Q:
    """The reader sees `text` in the field: in their language's column, or in the default
    one's where theirs is empty."""
    default = build_localized_fieldname(field_name, DEFAULT_LANGUAGE)
    if language == DEFAULT_LANGUAGE:
        return Q(**{f"{default}__icontains": text})
    own = build_localized_fieldname(field_name, language)
    missing = Q(**{f"{own}__isnull": True}) | Q(**{own: ""})
    return Q(**{f"{own}__icontains": text}) | (missing & Q(**{f"{default}__icontains": text}))


def search_matches(*, query: str, group, tree: CategoryTree) -> QuerySet[Product]:
    """The visible products a search matches, unordered: full text on PostgreSQL; every term
    somewhere on SQLite (and excluded ones nowhere). Either way a query of punctuation only
    matches exact SKUs."""
    products = visible_products(group=group, tree=tree)
    query = query.replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL characters
    if not query:
        return products.none()
    # SKUs the parser splits oddly still match exactly (through the unique SKU index).
    exact_sku = Q(pk__in=Product.objects.filter(sku__in=sku_candidates([query])).values("pk"))
    terms = search_terms(query)
    if not terms:
        return products.filter(exact_sku)
    language = get_language()
    if connection.vendor == "postgresql":
        document = _search_document(language)
        search = _search_query(query, language)
        matches = Product.objects.alias(document=document).filter(document=search)
        return products.filter(Q(pk__in=matches.values("pk")) | exact_sku)
    condition = Q()
    for text, excluded, _phrase in terms:
        match = (
            _shown_contains("name", language, text)
            | Q(sku__icontains=text)
            | _shown_contains("description", language, text)
        )
        condition &= ~match if excluded else match
    return products.filter(condition | exact_sku)


def search_products(*, query: str, group, tree: CategoryTree, sort: str) -> ProductsInOrder:
    """The matches of `search_matches` by name (SORT_ORDERS), else by relevance: ranked on
    PostgreSQL, by name elsewhere; in their kept order (listings.in_kept_order)."""
    products = search_matches(query=query, group=group, tree=tree)
    visible = visible_products(group=group, tree=tree)
    query = query.replace("\x00", "").strip()
    if sort in SORT_ORDERS:
        products = products.order_by(*sort_order(sort))
    elif connection.vendor == "postgresql" and search_terms(query):
        language = get_language()
        rank = SearchRank(_search_document(language), _search_query(query, language))
        products = products.annotate(rank=rank).order_by("-rank", shown_text("name").asc(), "id")
    else:
        products = products.order_by(*sort_order(DEFAULT_SORT))
    return in_kept_order(products, listing=("search", query, sort), group=group, rows=visible)
