"""Demo price rules, quantity rules and cart discounts that show every feature (seed_demo).

Rules are matched by name, so running it again adds no copies; a rule a manager edited keeps
his edits unless `reset`. One pricing version bump at the end covers every row."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from . import services
from .models import CartDiscount, PriceRule, QuantityRule


@transaction.atomic
def demo_rules_seed(
    *, groups: dict, customers: dict, products: dict, categories: dict, reset: bool = False
) -> None:
    """`groups`/`customers`/`products`/`categories`: demo objects by slug, email, SKU, slug."""
    wholesale, vip, retail = groups["wholesale"], groups["vip"], groups["retail"]
    now = timezone.now()
    price_rules = [
        {
            "name": "Wholesale: 20% off the catalogue",
            "group": wholesale,
            "kind": "percent_off",
            "value": Decimal("20"),
        },
        {
            "name": "Wholesale: knives at 30% off",
            "group": wholesale,
            "category": categories["knives"],
            "kind": "percent_off",
            "value": Decimal("30"),
        },
        {
            "name": "Skillet: 6+ at 5% off",
            "product": products["KIT-101"],
            "min_quantity": 6,
            "kind": "percent_off",
            "value": Decimal("5"),
        },
        {
            "name": "Skillet: 12+ at 10% off",
            "product": products["KIT-101"],
            "min_quantity": 12,
            "kind": "percent_off",
            "value": Decimal("10"),
        },
        {
            "name": "Gel pen: 10+ at 1.50",
            "product": products["OFF-201"],
            "min_quantity": 10,
            "kind": "fixed_price",
            "value": Decimal("1.50"),
        },
        {
            "name": "Gel pen: 100+ at 1.20",
            "product": products["OFF-201"],
            "min_quantity": 100,
            "kind": "fixed_price",
            "value": Decimal("1.20"),
        },
        {
            "name": "Wholesale gel pen: 120+ at 0.95",
            "group": wholesale,
            "product": products["OFF-201"],
            "min_quantity": 120,
            "kind": "fixed_price",
            "value": Decimal("0.95"),
        },
        {
            "name": "Microfibre cloth: 24+ at 0.50 off",
            "product": products["CLE-201"],
            "min_quantity": 24,
            "kind": "amount_off",
            "value": Decimal("0.50"),
        },
        {
            "name": "Atelier Martin: negotiated chef's knife",
            "customer": customers["wholesale"],
            "product": products["KIT-201"],
            "kind": "fixed_price",
            "value": Decimal("19.90"),
        },
        {
            "name": "VIP: 10% off the catalogue",
            "group": vip,
            "kind": "percent_off",
            "value": Decimal("10"),
        },
        {
            "name": "Garden sale: 15% off for everyone",
            "category": categories["garden"],
            "kind": "percent_off",
            "value": Decimal("15"),
            "priority": 1,
            "starts_at": now - timedelta(days=1),
            "ends_at": now + timedelta(days=60),
        },
    ]
    for fields in price_rules:
        _upsert(PriceRule, fields, reset=reset)

    quantity_rules = [
        {
            "name": "Wholesale paper: packs of 5, from 10",
            "group": wholesale,
            "category": categories["paper-and-notebooks"],
            "min_quantity": 10,
            "step": 5,
        },
        {
            "name": "Wholesale gel pens: boxes of 12",
            "group": wholesale,
            "product": products["OFF-201"],
            "min_quantity": 12,
            "step": 12,
        },
        {
            "name": "Wholesale cloths: packs of 6",
            "group": wholesale,
            "product": products["CLE-201"],
            "min_quantity": 6,
            "step": 6,
        },
        {"name": "Limited print: at most 2", "product": products["VIP-001"], "max_quantity": 2},
        {
            "name": "Retail espresso cups: at most 12",
            "group": retail,
            "product": products["KIT-305"],
            "max_quantity": 12,
        },
    ]
    for fields in quantity_rules:
        _upsert(QuantityRule, fields, reset=reset)

    discounts = [
        (
            {
                "name": "5% off orders from 200",
                "kind": "percent",
                "value": Decimal("5"),
                "min_subtotal": Decimal("200"),
            },
            [],
        ),
        (
            {
                "name": "Wholesale: 8% off orders from 1,000",
                "kind": "percent",
                "value": Decimal("8"),
                "min_subtotal": Decimal("1000"),
            },
            [wholesale],
        ),
        (
            {
                "name": "VIP: 15.00 off orders from 100",
                "kind": "amount",
                "value": Decimal("15"),
                "min_subtotal": Decimal("100"),
            },
            [vip],
        ),
    ]
    for fields, discount_groups in discounts:
        discount, written = _upsert(CartDiscount, fields, reset=reset)
        if written:
            discount.groups.set(discount_groups)
    services.rules_changed()


def _upsert(model, fields: dict, *, reset: bool):
    """The demo rule named `fields["name"]` and whether it was written: created when missing,
    overwritten only on `reset`."""
    name = fields.pop("name")
    obj = model.objects.filter(name=name).first()
    if obj is not None and not reset:
        return obj, False
    obj = obj or model(name=name)
    # On reset, what the demo does not name returns to its default too.
    fresh = model()
    for field in model._meta.concrete_fields:
        if field.editable and not field.primary_key and field.name != "name":
            setattr(obj, field.attname, getattr(fresh, field.attname))
    for key, value in fields.items():
        setattr(obj, key, value)
    obj.full_clean()
    obj.save()
    return obj, True


@transaction.atomic
def demo_company_rules_seed(*, companies: dict, products: dict, reset: bool = False) -> None:
    """Bistro Lumière's negotiated rules: a fixed price on the skillet (below the wholesale
    price, so its members see it win and the explanation names it) and gel pens in boxes of 6
    instead of the wholesale group's 12. `companies`/`products`: demo objects by name, SKU."""
    bistro = companies["Bistro Lumière"]
    _upsert(
        PriceRule,
        {
            "name": "Skillet at 39.00, negotiated for Bistro Lumière",
            "company": bistro,
            "product": products["KIT-101"],
            "kind": "fixed_price",
            "value": Decimal("39.00"),
        },
        reset=reset,
    )
    _upsert(
        QuantityRule,
        {
            "name": "Gel pens in boxes of 6, negotiated for Bistro Lumière",
            "company": bistro,
            "product": products["OFF-201"],
            "min_quantity": 6,
            "step": 6,
        },
        reset=reset,
    )
    services.rules_changed()
