"""Django's form renderer, with the field group and the plain input and select widgets written
out in Python.

Each field and widget Django renders goes through a template (the label and hints around it,
the input, its attributes, every option of a select): on the checkout's details page, with its
two address forms, that was half the page's cost. These come out here as the very same HTML
(tests/core hold them to the templates), every other widget through its template as before."""

import html

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

# The widgets whose template is Django's input.html and nothing else.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "email", "number", "hidden", "password", "tel", "url", "search")
)
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


# The shop's field group, `{{ field.as_field_group }}`: written by `_field_group`, no file.
FIELD_GROUP_TEMPLATE = "comptoir/field_group.html"


class FastWidgetRenderer(DjangoTemplates):
    field_template_name = FIELD_GROUP_TEMPLATE

    def render(self, template_name, context, request=None):
        if template_name == FIELD_GROUP_TEMPLATE:
            return _field_group(context["field"])
        widget = context.get("widget")
        if widget is not None and template_name in INPUT_TEMPLATES:
            return _input(widget)
        if widget is not None and template_name == SELECT_TEMPLATE and _plain_options(widget):
            return _select(widget)
        return super().render(template_name, context, request=request)


def _escape(value) -> str:
    """`conditional_escape` without its lazy-text wrapper, which cost more than the escaping
    on the hundreds of attributes and options of a form: the same HTML."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _field_group(field) -> str:
    """The label (a star when required), the widget, its hint and its errors, with the ids
    the widget's `aria-describedby` names."""
    errors = field.errors
    required = ' <span aria-hidden="true">*</span>' if field.field.required else ""
    hint = shown_errors = ""
    if field.help_text:
        hint = f'<p class="hint" id="{_escape(field.auto_id)}_helptext">{field.help_text}</p>'
    if errors:
        shown = "<br>".join(_escape(error) for error in errors)
        shown_errors = f'<p class="error" id="{_escape(field.auto_id)}_error">{shown}</p>'
    return mark_safe(
        f'<div class="field{" field-error" if errors else ""}">\n'
        f'  <label for="{_escape(field.id_for_label)}">{_escape(field.label)}{required}</label>\n'
        f"  {field}\n  {hint}\n  {shown_errors}\n</div>"
    )


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name."""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_escape(value)}"'
    return mark_safe(
        f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _plain_options(widget: dict) -> bool:
    return all(
        option["template_name"] == OPTION_TEMPLATE
        for _name, options, _index in widget["optgroups"]
        for option in options
    )


def _select(widget: dict) -> str:
    """django/forms/widgets/select.html and select_option.html, whitespace included."""
    parts = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))
