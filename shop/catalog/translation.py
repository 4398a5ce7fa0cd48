"""The catalogue texts shoppers read, one column per language (django-modeltranslation):
`name_en`, `name_fr`, `name_ar`... Reading `product.name` gives the active language's text,
else the English one. Slugs stay one per product: a link works in every language."""

from modeltranslation.translator import TranslationOptions, register

from .models import Category, Product

# The English name is required (it is every other language's fallback); the rest is optional.
REQUIRED = {"en": ("name",), "default": ()}


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = REQUIRED


@register(Product)
class ProductTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = REQUIRED
