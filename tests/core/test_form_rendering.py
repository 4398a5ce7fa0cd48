"""The fast form renderer writes the plain widgets exactly as Django's templates do."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.utils.safestring import mark_safe

from core.form_rendering import FastWidgetRenderer

TRICKY = 'Tom & "Jerry" <b>'


class Everything(forms.Form):
    name = forms.CharField(max_length=80, help_text="Shown to the buyer")
    email = forms.EmailField(
        required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    quantity = forms.IntegerField(
        min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    token = forms.CharField(widget=forms.HiddenInput)
    phone = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    flags = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"disabled": True, "readonly": False})
    )
    country = forms.ChoiceField(
        choices=[("", "Choose"), ("FR", "France"), ("DE", TRICKY)],
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )
    grouped = forms.ChoiceField(
        choices=[("a", "Alone"), ("Group <1>", [("b", "Bee"), ("c", "Sea")]), ("d", "Dee")]
    )
    note = forms.CharField(required=False, widget=forms.Textarea)
    many = forms.MultipleChoiceField(required=False, choices=[("x", "X"), ("y", "Y")])
    choice = forms.ChoiceField(choices=[("1", "One"), ("2", "Two")], widget=forms.RadioSelect)


def rendered(renderer, data) -> dict[str, str]:
    form = Everything(data, renderer=renderer, prefix="p")
    form.is_valid()
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"p-name": TRICKY, "p-country": "DE", "p-grouped": "c", "p-quantity": "0"},
        {"p-name": mark_safe("<i>safe</i>"), "p-secret": TRICKY, "p-token": "42"},
        {"p-email": "not an address", "p-many": ["x", "y"], "p-choice": "2"},
    ],
)
def test_every_widget_comes_out_as_djangos_templates_write_it(data):
    assert rendered(FastWidgetRenderer(), data) == rendered(DjangoTemplates(), data)


def test_the_shop_renders_its_forms_with_it(settings):
    from django.forms.renderers import get_default_renderer

    get_default_renderer.cache_clear()
    assert isinstance(get_default_renderer(), FastWidgetRenderer)


# The markup of the shop's field group, as a template would write it.
FIELD_GROUP = Template(
    '<div class="field{% if field.errors %} field-error{% endif %}">\n'
    '  <label for="{{ field.id_for_label }}">{{ field.label }}'
    '{% if field.field.required %} <span aria-hidden="true">*</span>{% endif %}</label>\n'
    "  {{ field }}\n"
    '  {% if field.help_text %}<p class="hint" id="{{ field.auto_id }}_helptext">'
    "{{ field.help_text|safe }}</p>{% endif %}\n"
    '  {% if field.errors %}<p class="error" id="{{ field.auto_id }}_error">'
    "{% for error in field.errors %}{{ error }}{% if not forloop.last %}<br>{% endif %}"
    "{% endfor %}</p>{% endif %}\n"
    "</div>"
)


class Labelled(forms.Form):
    name = forms.CharField(label=TRICKY, max_length=3, help_text="Up to <em>3</em> letters")
    note = forms.CharField(required=False)
    choice = forms.ChoiceField(choices=[("1", "One"), ("2", "Two")], widget=forms.RadioSelect)

    def clean_name(self):
        raise forms.ValidationError([TRICKY, "Second"])


@pytest.mark.parametrize("data", [None, {"name": "abcd"}, {"name": "ab", "note": TRICKY}])
def test_each_field_group_comes_out_as_its_markup_says(data):
    form = Labelled(data, renderer=FastWidgetRenderer())
    form.is_valid()
    for field in form:
        expected = FIELD_GROUP.render(Context({"field": field}))
        assert field.as_field_group() == expected


def test_a_field_group_shows_its_errors_escaped_and_named_for_the_widget():
    form = Labelled({"name": "ab"}, renderer=FastWidgetRenderer())
    group = form["name"].as_field_group()
    assert '<p class="error" id="id_name_error">Tom &amp; &quot;Jerry&quot; &lt;b&gt;<br>' in group
    assert 'aria-describedby="id_name_helptext id_name_error"' in group
    assert '<p class="hint" id="id_name_helptext">Up to <em>3</em> letters</p>' in group
    assert '<div class="field field-error">' in group and 'aria-hidden="true">*</span>' in group
    assert "aria-hidden" not in form["note"].as_field_group()
