"""VAT numbers are checked by their format and check digits (python-stdnum), not a regex."""

import pytest
from django import forms

from customers.forms import clean_vat_id


@pytest.mark.parametrize(
    "number",
    [
        pytest.param("XX12", id="no such country"),
        pytest.param("FR41303265045", id="French number with a wrong check digit"),
        pytest.param("DE136695977", id="German number with a wrong check digit"),
        pytest.param("FR4030326504", id="too short"),
        pytest.param("EU372000041", id="a one-stop-shop number is not a company's"),
        pytest.param("CHE116281710", id="Swiss, not an EU VAT number"),
    ],
)
def test_a_wrong_vat_number_is_refused(number):
    with pytest.raises(forms.ValidationError) as refused:
        clean_vat_id(number)
    assert "valid EU VAT number" in str(refused.value)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("FR40303265045", "FR40303265045"),
        ("fr 40 303 265 045", "FR40303265045"),
        ("DE-136.695.976", "DE136695976"),
        ("ATU57194903", "ATU57194903"),
        ("EL094259216", "EL094259216"),
        ("GR094259216", "EL094259216"),
        ("", ""),
    ],
)
def test_a_valid_vat_number_is_kept_compact(typed, stored):
    assert clean_vat_id(typed) == stored


def test_the_profile_form_refuses_a_wrong_check_digit():
    from customers.forms import ProfileForm

    form = ProfileForm(
        {"full_name": "Ann", "company_name": "Acme", "vat_id": "FR41303265045", "phone": ""}
    )
    assert not form.is_valid() and "vat_id" in form.errors
