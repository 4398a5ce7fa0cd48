"""Rule imports: the sync option, the confirm's safeguards and "Undo last import"."""

from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.db.models import QuerySet

from pricing.models import PriceRule, RuleImport
from tests.pricing.imports_support import (
    PRICE_RULES,
    as_csv,
    confirm,
    export,
    preview,
    rows_of,
)

pytestmark = pytest.mark.django_db


def test_a_write_failing_at_the_confirm_rolls_everything_back(
    client, manager, rules_shop, version_bumps, monkeypatch
):
    rows = rows_of(export(client))
    rows[0]["value"] = "30"
    rows.append(dict(rows[0], id="", name="Added"))
    response = preview(client, as_csv(rows))

    def failing_update(*args, **kwargs):
        raise IntegrityError("disk on fire")

    monkeypatch.setattr(QuerySet, "bulk_update", failing_update)
    refused = confirm(client, response)
    assert refused.status_code == 302
    assert PriceRule.objects.get(pk=rows[0]["id"]).value == Decimal("15.00")
    assert not PriceRule.objects.filter(name="Added").exists()
    assert not RuleImport.objects.exists()
    assert version_bumps == []


def test_sync_lists_and_removes_rules_missing_from_the_file(
    client, manager, rules_shop, version_bumps
):
    rows = rows_of(export(client))
    kept = rows[:1]
    response = preview(client, as_csv(kept), remove_missing="on")
    removed = response.context["preview"].removed
    assert sorted(row.rule_id for row in removed) == sorted(int(row["id"]) for row in rows[1:])
    assert "Confirming also deletes 2 rules missing from the file." in response.content.decode()
    assert PriceRule.objects.count() == 3

    confirm(client, response)
    assert list(PriceRule.objects.values_list("pk", flat=True)) == [int(kept[0]["id"])]
    assert len(version_bumps) == 1


def test_without_sync_missing_rules_stay(client, manager, rules_shop):
    rows = rows_of(export(client))
    rows[0]["value"] = "16"
    response = preview(client, as_csv(rows[:1]))
    assert response.context["preview"].removed == []
    confirm(client, response)
    assert PriceRule.objects.count() == 3


def rule_state(model):
    return [
        {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
        for obj in model.objects.order_by("pk")
    ]


def test_undo_restores_the_rules_exactly(client, manager, rules_shop, version_bumps):
    before = rule_state(PriceRule)
    rows = rows_of(export(client))
    rows[0]["value"] = "30"
    rows[1:2] = []  # removed by the sync
    rows.append(dict(rows[0], id="", name="Added"))
    confirm(client, preview(client, as_csv(rows), remove_missing="on"))
    assert PriceRule.objects.filter(name="Added").exists()
    version_bumps.clear()

    page = client.get(PRICE_RULES + "import/undo/")
    assert page.status_code == 200
    assert page.context["summary"] == {"delete": 1, "revert": 1, "recreate": 1}
    done = client.post(PRICE_RULES + "import/undo/")
    assert done.status_code == 302
    assert rule_state(PriceRule) == before
    assert len(version_bumps) == 1
    assert RuleImport.objects.get().undone_at is not None
    assert "Undo last import" not in client.get(PRICE_RULES).content.decode()


def test_undo_is_refused_when_the_rules_were_edited_since(client, manager, rules_shop):
    rows = rows_of(export(client))
    rows[0]["value"] = "30"
    confirm(client, preview(client, as_csv(rows)))
    PriceRule.objects.filter(pk=rows[0]["id"]).update(value=Decimal("31"))

    page = client.get(PRICE_RULES + "import/undo/")
    assert "was edited since" in page.content.decode()
    client.post(PRICE_RULES + "import/undo/")
    assert PriceRule.objects.get(pk=rows[0]["id"]).value == Decimal("31")
    assert RuleImport.objects.get().undone_at is None


def test_only_the_latest_import_can_be_undone_once(client, manager, rules_shop):
    rows = rows_of(export(client))
    rows[0]["value"] = "30"
    confirm(client, preview(client, as_csv(rows)))
    rows[0]["value"] = "40"
    confirm(client, preview(client, as_csv(rows)))
    client.post(PRICE_RULES + "import/undo/")
    assert PriceRule.objects.get(pk=rows[0]["id"]).value == Decimal("30")
    response = client.get(PRICE_RULES + "import/undo/")
    assert response.status_code == 302  # nothing left to undo
    assert PriceRule.objects.get(pk=rows[0]["id"]).value == Decimal("30")


def test_the_confirm_needs_the_signed_upload_of_the_same_user(client, manager, rules_shop):
    rows = rows_of(export(client))
    rows[0]["value"] = "30"
    response = preview(client, as_csv(rows))
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["upload"] = data["upload"][:-2] + "xx"
    refused = client.post(PRICE_RULES + "process_import/", data)
    assert refused.status_code == 302
    assert PriceRule.objects.get(pk=rows[0]["id"]).value == Decimal("15.00")


def test_the_confirm_refuses_when_the_rules_changed_since_the_preview(client, manager, rules_shop):
    rows = rows_of(export(client))
    rows[0]["value"] = "30"
    response = preview(client, as_csv(rows))
    PriceRule.objects.filter(pk=rows[1]["id"]).update(value=Decimal("9"))
    again = confirm(client, response)
    assert again.status_code == 200
    assert "changed since the preview" in again.content.decode()
    assert PriceRule.objects.get(pk=rows[0]["id"]).value == Decimal("15.00")
    assert again.context["confirm_form"] is not None
