"""A process behind the pricing version applies only the rules changed since its own version,
and ends up with exactly what compiling everything again would give.

Each test lets a process compile the rules, changes them as another process would (in its own
transaction, with the bump every write path makes), and checks the next request of the first
process: what it prices, that it did not compile everything again (or that it did, where it
must), and that its rule set equals one compiled from scratch."""

import gc
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings

from pricing import loaders, services
from pricing.models import PriceRule, PricingChange, PricingVersion, QuantityRule
from pricing.models.versions import LOG_KEEP
from tests.factories import (
    CategoryFactory,
    CompanyFactory,
    CompanyMemberFactory,
    CustomerGroupFactory,
    PriceRuleFactory,
    ProductFactory,
    QuantityRuleFactory,
    TaxRateFactory,
    UserFactory,
    WholesaleGroupFactory,
    default_group,
)
from tests.processes import ServingProcess

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    return {
        "kitchen": kitchen,
        "garden": CategoryFactory(name="Garden", slug="garden"),
        "knife": ProductFactory(sku="KNF-1", category=kitchen, base_price=Decimal("10.00")),
        "pan": ProductFactory(sku="PAN-1", category=kitchen, base_price=Decimal("20.00")),
        "wholesale": WholesaleGroupFactory(),
        "vip": CustomerGroupFactory(name="VIP", slug="vip"),
    }


@pytest.fixture
def full_compiles(monkeypatch):
    """The full compiles made from now on (the incremental path makes none)."""
    made = []
    load = services.load_pricing_data

    def counted(*args, **kwargs):
        made.append(args)
        return load(*args, **kwargs)

    monkeypatch.setattr(services, "load_pricing_data", counted)
    return made


def changed(write):
    """`write()` in another process's transaction, then the bump its write path makes."""
    with transaction.atomic():
        write()
        services.rules_changed()


def price(process, product, **buyer):
    return process.next_request(lambda: services.quote(product, **buyer).unit_price)


def assert_same_as_compiled_from_scratch(process):
    data = process.next_request(services.pricing_data)
    scratch = loaders.load_pricing_data(data.version, data.seq)
    assert data.rules == scratch.rules
    assert data.rules.company_ids == scratch.rules.company_ids
    assert data.category_parents == scratch.category_parents
    assert data.tax_rates == scratch.tax_rates


def test_every_rule_row_written_is_logged_by_the_database(shop):
    """Fails when a migration rebuilt a rule table without its triggers (see migration 0007)."""
    PricingChange.objects.all().delete()
    price_rule = PriceRule.objects.create(name="Sale", kind="percent_off", value=Decimal("5"))
    price_id = price_rule.pk
    PriceRule.objects.filter(pk=price_id).update(value=Decimal("6"))
    price_rule.delete()
    quantity_rule = QuantityRule.objects.create(name="Packs", step=2, min_quantity=2)
    quantity_id = quantity_rule.pk
    QuantityRule.objects.filter(pk=quantity_id).update(step=1)
    quantity_rule.delete()
    logged = list(
        PricingChange.objects.order_by("id").values_list("price_rule_id", "quantity_rule_id", "seq")
    )
    assert logged == [(price_id, None, None)] * 3 + [(None, quantity_id, None)] * 3
    services.rules_changed()
    seq = PricingVersion.state()[1]
    assert set(PricingChange.objects.values_list("seq", flat=True)) == {seq}


def test_a_changed_rule_is_applied_without_compiling_everything(shop, full_compiles):
    rule = PriceRuleFactory(product=shop["knife"], kind="fixed_price", value=Decimal("8.00"))
    PriceRuleFactory(product=shop["pan"], kind="fixed_price", value=Decimal("15.00"))
    process = ServingProcess()
    assert full_compiles == [(PricingVersion.current(), PricingVersion.state()[1])]

    changed(lambda: PriceRule.objects.filter(pk=rule.pk).update(value=Decimal("7.00")))

    assert price(process, shop["knife"]) == Decimal("7.00")
    assert price(process, shop["pan"]) == Decimal("15.00")
    assert len(full_compiles) == 1
    assert_same_as_compiled_from_scratch(process)


def test_a_new_rule_and_a_deleted_rule(shop, full_compiles):
    doomed = PriceRuleFactory(product=shop["knife"], kind="fixed_price", value=Decimal("8.00"))
    process = ServingProcess()

    def write():
        doomed.delete()
        PriceRuleFactory.build(
            product=shop["pan"], kind="fixed_price", value=Decimal("12.00")
        ).save()

    changed(write)

    assert price(process, shop["knife"]) == Decimal("10.00")
    assert price(process, shop["pan"]) == Decimal("12.00")
    assert len(full_compiles) == 1
    assert_same_as_compiled_from_scratch(process)


def test_a_rule_moved_to_another_product_and_group(shop, full_compiles):
    member = UserFactory(group=shop["vip"])
    rule = PriceRuleFactory(
        product=shop["knife"], group=shop["wholesale"], kind="fixed_price", value=Decimal("6.00")
    )
    process = ServingProcess()
    assert price(process, shop["knife"], group=shop["wholesale"]) == Decimal("6.00")

    def write():
        rule.product, rule.group = shop["pan"], shop["vip"]
        rule.save()

    changed(write)

    assert price(process, shop["knife"], group=shop["wholesale"]) == Decimal("10.00")
    assert price(process, shop["pan"], group=shop["wholesale"]) == Decimal("20.00")
    assert price(process, shop["pan"], customer=member) == Decimal("6.00")
    assert len(full_compiles) == 1
    assert_same_as_compiled_from_scratch(process)


def test_a_deactivated_rule_and_a_company_rule(shop, full_compiles):
    sale = PriceRuleFactory(product=shop["knife"], kind="fixed_price", value=Decimal("9.00"))
    company = CompanyFactory(group=shop["wholesale"])
    buyer = CompanyMemberFactory(company=company).user
    process = ServingProcess()
    assert process.next_request(lambda: services.pricing_data().rules.company_ids) == frozenset()

    def write():
        PriceRule.objects.filter(pk=sale.pk).update(is_active=False)
        PriceRuleFactory.build(
            company=company, product=shop["pan"], kind="fixed_price", value=Decimal("14.00")
        ).save()

    changed(write)

    assert price(process, shop["knife"]) == Decimal("10.00")
    assert price(process, shop["pan"], customer=buyer) == Decimal("14.00")
    assert len(full_compiles) == 1
    assert_same_as_compiled_from_scratch(process)


def test_a_quantity_rule_change(shop, full_compiles):
    rule = QuantityRuleFactory(product=shop["knife"], min_quantity=6, step=6)
    process = ServingProcess()

    def limits():
        return services.quantity_bounds(shop["knife"]).minimum

    assert process.next_request(limits) == 6
    changed(lambda: QuantityRule.objects.filter(pk=rule.pk).update(min_quantity=12, step=12))
    assert process.next_request(limits) == 12
    changed(lambda: QuantityRule.objects.filter(pk=rule.pk).delete())
    assert process.next_request(limits) == 1
    assert len(full_compiles) == 1
    assert_same_as_compiled_from_scratch(process)


def test_a_category_move_and_a_tax_rate_change(shop, full_compiles):
    TaxRateFactory(country="FR", tax_class="standard", rate=Decimal("0.2000"))
    PriceRuleFactory(category=shop["garden"], kind="percent_off", value=Decimal("50"))
    process = ServingProcess()
    assert price(process, shop["knife"]) == Decimal("10.00")

    def write():
        shop["kitchen"].parent = shop["garden"]
        shop["kitchen"].save()
        shop["knife"].refresh_from_db()
        TaxRateFactory._meta.model.objects.filter(country="FR").update(rate=Decimal("0.0550"))

    changed(write)

    assert price(process, shop["knife"]) == Decimal("5.00")
    assert process.next_request(lambda: services.tax_rate(shop["knife"])) == Decimal("0.0550")
    assert len(full_compiles) == 1
    assert_same_as_compiled_from_scratch(process)


def test_a_new_default_group_compiles_everything_again(shop, full_compiles):
    PriceRuleFactory(
        group=shop["vip"], product=shop["knife"], kind="fixed_price", value=Decimal("4.00")
    )
    process = ServingProcess()
    assert price(process, shop["knife"], group=shop["wholesale"]) == Decimal("10.00")

    def write():
        type(shop["vip"]).objects.filter(is_default=True).update(is_default=False)
        type(shop["vip"]).objects.filter(pk=shop["vip"].pk).update(is_default=True)

    changed(write)

    # Under `lowest` a default group's rule is everyone's: the rule set is rebuilt.
    assert price(process, shop["knife"], group=shop["wholesale"]) == Decimal("4.00")
    assert len(full_compiles) == 2
    assert default_group() == shop["vip"]


def test_the_strategy_setting_compiles_everything_again(shop, full_compiles):
    PriceRuleFactory(product=shop["knife"], kind="fixed_price", value=Decimal("8.00"))
    PriceRuleFactory(product=shop["knife"], kind="fixed_price", value=Decimal("9.00"), priority=5)
    process = ServingProcess()
    assert price(process, shop["knife"]) == Decimal("8.00")
    with override_settings(SHOP_PRICING_STRATEGY="priority"):
        priced = process.next_request(
            lambda: (
                services.quote(shop["knife"]).unit_price,
                services.pricing_data().rules.strategy,
            )
        )
    assert priced == (Decimal("9.00"), "priority")
    assert len(full_compiles) == 2


def test_a_process_behind_the_pruned_log_compiles_everything_again(shop, full_compiles):
    rule = PriceRuleFactory(product=shop["knife"], kind="fixed_price", value=Decimal("8.00"))
    process = ServingProcess()
    seq = PricingVersion.state()[1]
    # As if LOG_KEEP bumps had passed since: the log, pruned every 100 bumps, no longer
    # reaches back to this process.
    PricingVersion.objects.filter(pk=1).update(seq=(seq + LOG_KEEP) // 100 * 100 + 99)
    changed(lambda: PriceRule.objects.filter(pk=rule.pk).update(value=Decimal("7.00")))
    assert PricingVersion.state()[2] > seq
    assert not PricingChange.objects.filter(seq__lte=seq).exists()

    assert price(process, shop["knife"]) == Decimal("7.00")
    assert len(full_compiles) == 2


def test_a_large_change_compiles_everything_again(shop, full_compiles, monkeypatch):
    monkeypatch.setattr(loaders, "MAX_INCREMENTAL_CHANGES", 2)
    process = ServingProcess()

    def write():
        for value in ("7.00", "6.00", "5.00"):
            PriceRuleFactory.build(
                product=shop["knife"], kind="fixed_price", value=Decimal(value)
            ).save()

    changed(write)

    assert price(process, shop["knife"]) == Decimal("5.00")
    assert len(full_compiles) == 2


def test_a_change_rolled_back_is_never_seen(shop, full_compiles):
    rule = PriceRuleFactory(product=shop["knife"], kind="fixed_price", value=Decimal("8.00"))
    process = ServingProcess()
    version = PricingVersion.state()

    with pytest.raises(RuntimeError), transaction.atomic():
        PriceRule.objects.filter(pk=rule.pk).update(value=Decimal("1.00"))
        services.rules_changed()
        raise RuntimeError("the manager's request failed")

    assert PricingVersion.state() == version
    assert not PricingChange.objects.filter(seq__isnull=True).exists()
    assert price(process, shop["knife"]) == Decimal("8.00")
    changed(lambda: PriceRule.objects.filter(pk=rule.pk).update(name="Renamed"))
    assert price(process, shop["knife"]) == Decimal("8.00")
    assert_same_as_compiled_from_scratch(process)


def test_two_changes_from_two_processes_are_both_priced(shop, full_compiles):
    knife_rule = PriceRuleFactory(product=shop["knife"], kind="fixed_price", value=Decimal("8.00"))
    pan_rule = PriceRuleFactory(product=shop["pan"], kind="fixed_price", value=Decimal("15.00"))
    first, second = ServingProcess(), ServingProcess()

    changed(lambda: PriceRule.objects.filter(pk=knife_rule.pk).update(value=Decimal("7.00")))
    # The first process answers a request between the two changes; the second does not.
    assert price(first, shop["knife"]) == Decimal("7.00")
    first.compiled = services._process_data
    changed(lambda: PriceRule.objects.filter(pk=pan_rule.pk).update(value=Decimal("13.00")))

    for process in (first, second):
        assert price(process, shop["knife"]) == Decimal("7.00")
        assert price(process, shop["pan"]) == Decimal("13.00")
        assert_same_as_compiled_from_scratch(process)
    assert len(full_compiles) == 1


def test_rules_written_without_a_bump_wait_for_the_next_bump(shop, full_compiles):
    rule = PriceRuleFactory(product=shop["knife"], kind="fixed_price", value=Decimal("8.00"))
    process = ServingProcess()
    PriceRule.objects.filter(pk=rule.pk).update(value=Decimal("7.00"))  # no bump
    assert price(process, shop["knife"]) == Decimal("8.00")
    changed(lambda: None)  # a later bump, for anything
    assert price(process, shop["knife"]) == Decimal("7.00")
    assert len(full_compiles) == 1


def test_the_version_check_stays_one_query(shop, django_assert_num_queries):
    PriceRuleFactory(product=shop["knife"], kind="fixed_price", value=Decimal("8.00"))
    process = ServingProcess()
    with django_assert_num_queries(1):
        process.next_request(services.pricing_data)


def test_a_large_compile_is_kept_out_of_the_collectors_walks(shop, monkeypatch):
    monkeypatch.setattr(services, "FREEZE_FROM_RULES", 1)
    PriceRuleFactory(product=shop["knife"], kind="fixed_price", value=Decimal("8.00"))
    gc.unfreeze()
    try:
        rules = services.pricing_data().rules
        assert gc.get_freeze_count() > 0
        assert not any(tracked is rules for tracked in gc.get_objects())
    finally:
        gc.unfreeze()
