"""CSV export and import of a saved list: a round trip, a per-row report, and nothing done
from a malformed file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shop.models import SavedListLine
from tests.factories import (
    CustomerGroupFactory,
    ProductFactory,
    SavedListFactory,
    SavedListLineFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(client):
    user = UserFactory()
    client.force_login(user)
    return user


def upload(client, saved_list, content: bytes | str, name="list.csv"):
    if isinstance(content, str):
        content = content.encode()
    return client.post(
        f"/accounts/lists/{saved_list.pk}/import/",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def lines_of(saved_list) -> dict[str, tuple[int, str]]:
    return {
        line.product.sku: (line.quantity, line.note)
        for line in SavedListLine.objects.filter(saved_list=saved_list).select_related("product")
    }


def test_export_then_import_into_another_list_round_trips(client, buyer):
    source = SavedListFactory(owner=buyer, name="Bar, weekly")
    SavedListLineFactory(saved_list=source, product__sku="PAN-1", quantity=3, note='big, "red"')
    SavedListLineFactory(saved_list=source, product__sku="POT-2", quantity=12, note="=SUM(A1)")
    response = client.get(f"/accounts/lists/{source.pk}/export/")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="list-bar-weekly.csv"' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.splitlines()[0] == "sku,quantity,note"
    assert "'=SUM(A1)" in text  # a spreadsheet does not run it

    target = SavedListFactory(owner=buyer)
    response = upload(client, target, response.content)
    assert response.url == f"/accounts/lists/{target.pk}/"
    assert lines_of(target) == {"PAN-1": (3, 'big, "red"'), "POT-2": (12, "'=SUM(A1)")}


def test_each_bad_row_is_reported_and_the_good_ones_are_added(client, buyer):
    ProductFactory(sku="PAN-1")
    ProductFactory(sku="POT-2")
    hidden = ProductFactory(sku="HID-1")
    hidden.visible_to.set([CustomerGroupFactory(slug="vip")])
    saved_list = SavedListFactory(owner=buyer)
    SavedListLineFactory(saved_list=saved_list, product=ProductFactory(sku="CUP-3"), quantity=1)
    content = (
        "sku;quantity;note\n"
        "pan-1;4;kitchen\n"
        "NOPE-9;1;\n"
        "HID-1;1;\n"
        "POT-2;two;\n"
        "POT-2;0;\n"
        "CUP-3;2;\n"
        "PAN-1;1;\n"
    )
    response = upload(client, saved_list, content)
    assert response.status_code == 200
    problems = {
        line: reason for line, _sku, _quantity, reason in response.context["report"].problems
    }
    assert set(problems) == {3, 4, 5, 6}
    # An unknown SKU and one the buyer may not see get the same answer: nothing leaks.
    assert problems[3].startswith("Unknown SKU") and problems[4].startswith("Unknown SKU")
    assert "whole number" in problems[5] and "whole number" in problems[6]
    body = response.content.decode()
    assert "Line 5" in body and "2 rows were added" not in body
    assert lines_of(saved_list) == {"PAN-1": (5, "kitchen"), "CUP-3": (3, "")}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00P\x00A", "UTF-8"),
        (b"PAN-1,1\n\x00\x00", "not a CSV file"),
        (b"", "empty"),
        (b"sku,quantity,note\n\n", "no rows"),
        (b'PAN-1,1\n"PAN-1,' + b"x" * 140_000 + b"\n", "cannot be read"),
        ("".join(f"PAN-1,{n}\n" for n in range(1, 1002)).encode(), "at most 1000"),
        (b"x" * (256 * 1024 + 1), "too large"),
    ],
)
def test_a_malformed_file_imports_nothing_and_says_why(client, buyer, content, message):
    ProductFactory(sku="PAN-1")
    saved_list = SavedListFactory(owner=buyer)
    response = upload(client, saved_list, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing was imported" in response.content.decode()
    assert lines_of(saved_list) == {}


def test_import_without_a_file_is_a_form_error(client, buyer):
    saved_list = SavedListFactory(owner=buyer)
    response = client.post(f"/accounts/lists/{saved_list.pk}/import/", {})
    assert response.status_code == 400
