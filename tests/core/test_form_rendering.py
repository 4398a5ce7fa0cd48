"""The fast form renderer writes the plain widgets exactly as Django's templates do."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
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
