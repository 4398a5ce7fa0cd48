"""Saved list write paths: create, rename, share with the owner's company, delete, add
products (from the product page, the cart, a past order or a CSV file), edit quantities and
notes, and send lines to the cart (the owner's or a colleague's, each at their own prices).

A list only ever holds products visible to the buyer's group when they were added; adding a
product already on the list adds to its quantity. Sending lines to the cart goes through
`shop.cart.services.cart_add_many`, which checks each line's quantity rules and visibility;
the list itself is never changed by that. Each write locks the list row first.
"""

import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.errors import Refusal
from core.locking import lock_row
from customers.companies import selectors as company_selectors
from shop.cart import services as cart_services
from shop.catalog import selectors as catalog_selectors
from shop.catalog.models import Product

from .models import NAME_MAX_LENGTH, NOTE_MAX_LENGTH, SavedList, SavedListLine

MAX_LISTS_PER_OWNER = 100
MAX_LINES_PER_LIST = cart_services.MAX_QUICK_ORDER_LINES  # a whole list fits in one cart add
MAX_QUANTITY = cart_services.MAX_QUANTITY
QUANTITY_PATTERN = re.compile(r"\+?(\d{1,12})", re.ASCII)


def quantity_message() -> str:
    return _("Enter a whole number from 1 to %(max)s as the quantity.") % {
        "max": f"{MAX_QUANTITY:,}"
    }


def parse_quantity(raw, *, allow_zero: bool = False) -> int | None:
    """A whole quantity as typed ("12", "+12", " 12 ") from 1 (or 0) to MAX_QUANTITY."""
    match = QUANTITY_PATTERN.fullmatch(str(raw if raw is not None else "").strip())
    if match is None:
        return None
    quantity = int(match.group(1))
    return quantity if (0 if allow_zero else 1) <= quantity <= MAX_QUANTITY else None


def clean_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise Refusal(_("Give the list a name."))
    if len(name) > NAME_MAX_LENGTH:
        raise Refusal(_("A list name has at most %(max)s characters.") % {"max": NAME_MAX_LENGTH})
    return name


def _check_name_free(*, owner, name: str, exclude_pk: int | None = None) -> None:
    taken = SavedList.objects.filter(owner=owner, name__iexact=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise _duplicate(name)


def _duplicate(name: str) -> Refusal:
    return Refusal(
        _("You already have a list called “%(name)s”. Choose another name.") % {"name": name}
    )


def _locked(saved_list: SavedList) -> SavedList:
    locked = lock_row(SavedList.objects.filter(pk=saved_list.pk))
    if locked is None:
        raise Refusal(_("This list no longer exists."))
    return locked


@transaction.atomic
def saved_list_create(*, owner, name: str) -> SavedList:
    """A new empty list; names are unique per customer, whatever their case."""
    name = clean_name(name)
    if SavedList.objects.filter(owner=owner).count() >= MAX_LISTS_PER_OWNER:
        raise Refusal(
            _("You can keep at most %(max)s lists. Delete one you no longer use.")
            % {"max": MAX_LISTS_PER_OWNER}
        )
    _check_name_free(owner=owner, name=name)
    try:
        with transaction.atomic():
            return SavedList.objects.create(owner=owner, name=name)
    except IntegrityError as error:  # the same name created at the same moment
        raise _duplicate(name) from error


@transaction.atomic
def saved_list_rename(*, saved_list: SavedList, name: str) -> SavedList:
    name = clean_name(name)
    saved_list = _locked(saved_list)
    _check_name_free(owner=saved_list.owner_id, name=name, exclude_pk=saved_list.pk)
    saved_list.name = name
    try:
        with transaction.atomic():
            saved_list.save(update_fields=["name", "updated_at"])
    except IntegrityError as error:
        raise _duplicate(name) from error
    return saved_list


@transaction.atomic
def saved_list_share(*, saved_list: SavedList, user, shared: bool) -> SavedList:
    """Share the list with the company its owner buys for now, or stop sharing it. Only the
    owner may; an owner without a company has nobody to share it with."""
    saved_list = _locked(saved_list)
    if saved_list.owner_id != user.pk:
        raise Refusal(_("Only the list's owner can share it or stop sharing it."))
    company_id = company_selectors.company_id_for(user) if shared else None
    if shared and company_id is None:
        raise Refusal(_("You do not buy for a company: there is nobody to share this list with."))
    saved_list.shared_with_company_id = company_id
    saved_list.save(update_fields=["shared_with_company", "updated_at"])
    return saved_list


@transaction.atomic
def saved_list_delete(*, saved_list: SavedList) -> None:
    SavedList.objects.filter(pk=saved_list.pk).delete()


@dataclass
class AddResult:
    """What adding products did: `added` (product, quantity added) and `skipped` messages."""

    saved_list: SavedList
    added: list[tuple[Product, int]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _add(saved_list: SavedList, items: list[tuple[int, int, str]], *, group) -> AddResult:
    """Add `(product id, quantity, note)` items to the locked list, each summed with what the
    list holds; products the group cannot see are skipped without saying what they are."""
    result = AddResult(saved_list=saved_list)
    visible = {
        product.pk: product
        for product in catalog_selectors.visible_products(
            group=group, ids={product_id for product_id, _q, _n in items}
        )
    }
    lines = {line.product_id: line for line in SavedListLine.objects.filter(saved_list=saved_list)}
    changed: dict[int, SavedListLine] = {}
    for product_id, quantity, note in items:
        product = visible.get(product_id)
        if product is None:
            result.skipped.append(_("A product is no longer available to your account."))
            continue
        line = lines.get(product_id)
        if line is None and len(lines) >= MAX_LINES_PER_LIST:
            result.skipped.append(
                _("%(product)s: a list holds at most %(max)s products.")
                % {"product": product.name, "max": MAX_LINES_PER_LIST}
            )
            continue
        total = (line.quantity if line else 0) + quantity
        if total > MAX_QUANTITY:
            result.skipped.append(
                _("%(product)s: a list line holds at most %(max)s.")
                % {"product": product.name, "max": f"{MAX_QUANTITY:,}"}
            )
            continue
        if line is None:
            line = SavedListLine(saved_list=saved_list, product=product, quantity=0)
            lines[product_id] = line
        line.quantity = total
        if note:
            line.note = note[:NOTE_MAX_LENGTH]
        changed[product_id] = line
        result.added.append((product, quantity))
    for line in changed.values():
        line.save()
    if changed:
        saved_list.save(update_fields=["updated_at"])
    return result


@transaction.atomic
def saved_list_add(
    *,
    owner,
    items: list[tuple[int, int]],
    group,
    saved_list: SavedList | None = None,
    new_name: str = "",
) -> AddResult:
    """Add `(product id, quantity)` items to `saved_list`, or to a new list called `new_name`.
    A new list that would stay empty is not created."""
    if saved_list is None:
        saved_list = saved_list_create(owner=owner, name=new_name)
    elif saved_list.owner_id != owner.pk:
        raise Refusal(_("This list no longer exists."))
    saved_list = _locked(saved_list)
    result = _add(saved_list, [(pid, quantity, "") for pid, quantity in items], group=group)
    if not result.added:
        transaction.set_rollback(True)
        raise Refusal(" ".join(result.skipped) or _("There was nothing to add to the list."))
    return result


@transaction.atomic
def saved_list_update(
    *, saved_list: SavedList, changes: dict[int, tuple[int, str]]
) -> tuple[int, int]:
    """Set `line id -> (quantity, note)`; a quantity of 0 removes the line. Ids of other
    lists are ignored. Returns (lines changed, lines removed)."""
    saved_list = _locked(saved_list)
    lines = SavedListLine.objects.filter(saved_list=saved_list, pk__in=list(changes))
    changed = removed = 0
    for line in lines:
        quantity, note = changes[line.pk]
        if quantity == 0:
            line.delete()
            removed += 1
            continue
        note = note[:NOTE_MAX_LENGTH]
        if (line.quantity, line.note) != (quantity, note):
            line.quantity, line.note = quantity, note
            line.save(update_fields=["quantity", "note"])
            changed += 1
    if changed or removed:
        saved_list.save(update_fields=["updated_at"])
    return changed, removed


@dataclass(frozen=True)
class ImportRow:
    line: int  # the row's line number in the file
    sku: str
    quantity: str
    note: str


@dataclass
class ImportReport:
    added: list[tuple[int, Product, int]] = field(default_factory=list)  # (line, product, qty)
    problems: list[tuple[int, str, str, str]] = field(default_factory=list)  # (line, sku, qty, why)


@transaction.atomic
def saved_list_import(*, saved_list: SavedList, rows: list[ImportRow], group) -> ImportReport:
    """Add the rows of a CSV file: a row with an unknown SKU (or one the buyer cannot see:
    the same answer, so nothing is revealed) or a bad quantity is reported with its line
    number and left out; the other rows are added together."""
    if len(rows) > MAX_LINES_PER_LIST:
        raise Refusal(_("A file may have at most %(max)s rows.") % {"max": MAX_LINES_PER_LIST})
    saved_list = _locked(saved_list)
    report = ImportReport()
    products = catalog_selectors.visible_products_by_sku(
        group=group, skus=[row.sku for row in rows]
    )
    items, accepted = [], []
    for row in rows:
        product = products.get(catalog_selectors.sku_key(row.sku)) if row.sku else None
        quantity = parse_quantity(row.quantity)
        if product is None:
            reason = _("Unknown SKU, or not available to your account: %(sku)s.") % {
                "sku": Truncator(row.sku).chars(70) or "—"
            }
        elif quantity is None:
            reason = quantity_message()
        else:
            items.append((product.pk, quantity, row.note))
            accepted.append(row)
            continue
        report.problems.append((row.line, Truncator(row.sku).chars(70), row.quantity, reason))
    result = _add(saved_list, items, group=group)
    added = {product.pk for product, _quantity in result.added}
    for row, (product_id, quantity, _note) in zip(accepted, items, strict=True):
        if product_id in added:
            report.added.append((row.line, products[catalog_selectors.sku_key(row.sku)], quantity))
        else:
            report.problems.append(
                (row.line, row.sku, row.quantity, _("This row would make the line too large."))
            )
    report.problems.sort()
    return report


@dataclass
class ToCartResult:
    added: list[tuple[SavedListLine, int]] = field(default_factory=list)
    refused: list[tuple[SavedListLine, str]] = field(default_factory=list)


def saved_list_to_cart(
    *, saved_list: SavedList, cart, customer, group, line_ids: list[int] | None = None
) -> ToCartResult:
    """Send the whole list, or the lines `line_ids`, to `cart` line by line: each line goes
    through the cart's own checks (quantity rules on what the cart will hold, visibility);
    a refused line comes back with the reason. The list does not change."""
    lines = list(
        SavedListLine.objects.filter(saved_list=saved_list)
        .select_related("product")
        .order_by("added_at", "id")
    )
    if line_ids is not None:
        wanted = set(line_ids)
        lines = [line for line in lines if line.pk in wanted]
    if not lines:
        raise Refusal(_("Tick at least one line to add to your cart."))
    visible = set(
        catalog_selectors.visible_products(
            group=group, ids=[line.product_id for line in lines]
        ).values_list("pk", flat=True)
    )
    result = ToCartResult()
    by_sku: dict[str, SavedListLine] = {}
    items = []
    for line in lines:
        if line.product_id not in visible:
            result.refused.append((line, _("This product is no longer available.")))
            continue
        by_sku[catalog_selectors.sku_key(line.product.sku)] = line
        items.append((line.product.sku, line.quantity))
    if items:
        outcome = cart_services.cart_add_many(
            cart=cart, items=items, customer=customer, group=group
        )
        for product, quantity in outcome.added:
            result.added.append((by_sku[catalog_selectors.sku_key(product.sku)], quantity))
        for sku, _quantity, reason in outcome.rejected:
            result.refused.append((by_sku[catalog_selectors.sku_key(sku)], reason))
    order = {line.pk: index for index, line in enumerate(lines)}
    result.refused.sort(key=lambda pair: order[pair[0].pk])
    return result


@transaction.atomic
def saved_lists_erase(*, owner) -> None:
    """Delete the customer's lists (their account's erasure)."""
    SavedList.objects.filter(owner=owner).delete()
