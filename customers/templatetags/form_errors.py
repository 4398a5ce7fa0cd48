"""The error summary every storefront form shows after a failed submit, and the "Error: "
that starts the page title then (GOV.UK's pattern, WCAG 3.3.1): the summary lists each error
with a link to its field and takes the focus, so keyboard and screen reader users land on it.
"""

from django import forms, template
from django.utils.text import Truncator
from django.utils.translation import gettext as _

register = template.Library()


def _has_errors(item) -> bool:
    if isinstance(item, forms.BaseForm):
        return bool(item.errors)
    return bool(item)


def field_anchor(field: forms.BoundField) -> str:
    """The id the summary links to: the field, or the first option of a group of radios or
    checkboxes (whose own id is on no element)."""
    if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


@register.simple_tag
def error_title(*items) -> str:
    """The title's "Error: " when any of the forms (or messages) has an error, else nothing."""
    return _("Error:") + " " if any(_has_errors(item) for item in items if item is not None) else ""


def _named(field: forms.BoundField, error: str) -> str:
    """An error as the summary lists it: with its field's name, since "This field is
    required." five times says nothing about which fields."""
    if not field.label or field.is_hidden:
        return error
    return _("%(field)s: %(error)s") % {"field": field.label, "error": error}


@register.inclusion_tag("_error_summary.html")
def error_summary(*forms_to_check, intro=""):
    """The summary of the errors of one or more forms, in the order of their fields, after
    `intro` (what did not happen) when given."""
    errors = []
    for form in forms_to_check:
        if form is None or not form.errors:
            continue
        errors.extend({"href": "", "message": error} for error in form.non_field_errors())
        for field in form:
            href = "" if field.is_hidden else f"#{field_anchor(field)}"
            errors.extend({"href": href, "message": _named(field, error)} for error in field.errors)
    return {"errors": errors, "intro": intro}


@register.inclusion_tag("_error_summary.html")
def error_summary_messages(*pairs):
    """The summary of errors that are not a form's: message, id of its field, message, id…"""
    errors = [
        {"href": f"#{target}", "message": message}
        for message, target in zip(pairs[::2], pairs[1::2], strict=True)
        if message
    ]
    return {"errors": errors}


@register.inclusion_tag("_error_summary.html")
def error_summary_rejected(rejected, *, target: str, intro: str = ""):
    """The summary of the lines an order by SKU refused, (sku, quantity, reason) each, linking
    to the field where they are kept to be fixed."""
    errors = [
        {
            "href": f"#{target}",
            "message": f"{Truncator(sku).chars(70)} {quantity}".strip() + f": {reason}",
        }
        for sku, quantity, reason in rejected
    ]
    return {"errors": errors, "intro": intro}
