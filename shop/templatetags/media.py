from django import template
from django.core.files.storage import default_storage

register = template.Library()


@register.filter
def media_url(name):
    """The public URL of a stored file name (an annotated column rather than a FieldFile)."""
    return default_storage.url(name) if name else ""
