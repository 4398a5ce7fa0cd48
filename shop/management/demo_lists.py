"""Demo saved lists (seed_demo): buyer@ of Bistro Lumière keeps a weekly list shared with the
company, which their colleagues open at their own prices, and a private one."""

from shop.models import SavedList, SavedListLine

# (name, shared with the owner's company, [(SKU, quantity, note)])
BUYER_LISTS = [
    (
        "Weekly kitchen restock",
        True,
        [
            ("KIT-101", 2, "One for each line cook"),
            ("CLE-201", 12, ""),
            ("OFF-201", 12, "For the order pads"),
        ],
    ),
    ("My desk", False, [("OFF-201", 6, "")]),
]


def seed_saved_lists(*, upsert, owner, company, products: dict) -> None:
    """buyer@'s lists (`upsert`: the command's, so a second run changes nothing; `products`:
    by SKU)."""
    for name, shared, lines in BUYER_LISTS:
        saved_list, _created = upsert(
            SavedList,
            owner=owner,
            name=name,
            defaults={"shared_with_company": company if shared else None},
        )
        for sku, quantity, note in lines:
            upsert(
                SavedListLine,
                saved_list=saved_list,
                product=products[sku],
                defaults={"quantity": quantity, "note": note},
            )
