"""Django's form renderer, with the field group and the plain input and select widgets written
out in Python.

Each field and widget Django renders goes through a template (the label and hints around it,
the input, its attributes, every option of a select): on the checkout's details page, with its
two address forms, that was half the page's cost. These come out here as the very same HTML
(tests/core hold them to the templates), every other widget through its template as before."""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
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


def _field_group(field) -> str:
    """The label (a star when required), the widget, its hint and its errors, with the ids
    the widget's `aria-describedby` names."""
    errors = field.errors
    required = mark_safe(' <span aria-hidden="true">*</span>') if field.field.required else ""
    hint = ""
    if field.help_text:
        hint = format_html(
            '<p class="hint" id="{}_helptext">{}</p>', field.auto_id, mark_safe(field.help_text)
        )
    shown_errors = ""
    if errors:
        shown_errors = format_html(
            '<p class="error" id="{}_error">{}</p>',
            field.auto_id,
            mark_safe("<br>".join(conditional_escape(error) for error in errors)),
        )
    return format_html(
        '<div class="field{}">\n  <label for="{}">{}{}</label>\n  {}\n  {}\n  {}\n</div>',
        " field-error" if errors else "",
        field.id_for_label,
        field.label,
        required,
        str(field),
        hint,
        shown_errors,
    )


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        mark_safe(shown),
        mark_safe(_attrs(widget["attrs"])),
    )


def _plain_options(widget: dict) -> bool:
    return all(
        option["template_name"] == OPTION_TEMPLATE
        for _name, options, _index in widget["optgroups"]
        for option in options
    )


def _select(widget: dict) -> str:
    """django/forms/widgets/select.html and select_option.html, whitespace included."""
    attrs = mark_safe(_attrs(widget["attrs"]))
    parts = [format_html('<select name="{}"{}>', widget["name"], attrs)]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    mark_safe(_attrs(option["attrs"])),
                    option["label"],
                )
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)
