"""The pages' texts, one column per language (django-modeltranslation): `title_en`,
`title_fr`, `title_ar`... Reading `page.title` gives the active language's text, else the
English one. A kept version holds every language of what was published, so a buyer's accepted
terms stay readable in the language they read them."""

from modeltranslation.translator import TranslationOptions, register

from .models import Page, PageVersion

# The English title and text are required (every other language's fallback); the rest optional.
REQUIRED = {"en": ("title", "body"), "default": ()}


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ("title", "body")
    required_languages = REQUIRED


@register(PageVersion)
class PageVersionTranslation(TranslationOptions):
    fields = ("title", "body")
    required_languages = REQUIRED
