"""Countries: ISO 3166-1 codes and their names in the active language (django-countries), and
the countries the shop sells to (`SHOP_SELLING_COUNTRIES`, validated at start-up).

Addresses (address book, checkout, trade applications) and shipping methods take only selling
countries; tax rates may be set for any real country."""

import unicodedata
from functools import lru_cache

from django.conf import settings
from django.utils.translation import get_language
from django_countries import countries


def selling_countries() -> frozenset[str]:
    """The ISO codes of the countries the shop sells and delivers to."""
    return frozenset(settings.SHOP_SELLING_COUNTRIES)


def is_selling_country(code) -> bool:
    return str(code or "").strip().upper() in selling_countries()


def country_name(code) -> str:
    """The country's name in the active language; the code itself when it is not a country."""
    code = str(code or "").strip().upper()
    return countries.name(code) or code


def _sort_key(name: str) -> str:
    """Names sort without their accents (Österreich among the Os)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def selling_country_choices() -> list[tuple[str, str]]:
    """(code, name) of the selling countries, sorted by their name in the active language.
    Sorted once per language (every address form shows them; the checkout's details page
    builds up to four such forms)."""
    return list(_sorted_choices(get_language(), tuple(settings.SHOP_SELLING_COUNTRIES)))


@lru_cache(maxsize=32)
def _sorted_choices(_language: str | None, codes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The choices of `selling_country_choices`, named in the active language `_language`."""
    pairs = [(code, country_name(code)) for code in set(codes)]
    return tuple(sorted(pairs, key=lambda pair: (_sort_key(pair[1]), pair[0])))


def default_country() -> str:
    """The country an address form starts on: the shop's own (`SHOP_DEFAULT_COUNTRY`), when
    the shop sells there."""
    code = str(settings.SHOP_DEFAULT_COUNTRY or "").upper()
    return code if code in selling_countries() else ""
