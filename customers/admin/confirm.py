"""The intermediate page the customers admin shows before an action changes anything: the
objects concerned, a small form and a submit button. Bulk actions and the buttons of a change
page use the same page."""

from django.contrib.admin import helpers
from django.template.response import TemplateResponse

CONFIRM_TEMPLATE = "admin/customers/confirm_action.html"


def confirm_page(modeladmin, request, *, title, intro, form, objects, action=None, submit):
    """The page for `objects`; `action` names the bulk action the form posts back to (none for
    a change page's own URL)."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "form": form,
        "objects": objects,
        "action": action,
        "submit_label": submit,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, CONFIRM_TEMPLATE, context)
