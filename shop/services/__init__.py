"""Shop write paths (services), one module per subject; everything is importable from
`shop.services`:

- images: product image renditions and catalogue bulk actions;
- cart: add, update, remove, quick order, merge at login;
- orders: placing an order and its status changes;
- addresses: the customer's address book.
"""

from .addresses import address_create, address_delete, address_update
from .cart import (
    MAX_QUANTITY,
    QuickOrderResult,
    cart_add,
    cart_add_many,
    cart_for_request,
    cart_get,
    cart_get_or_create,
    cart_merge,
    cart_merge_on_login,
    cart_remove,
    cart_update,
    parse_quantity,
)
from .errors import ShopError, TotalChanged
from .images import (
    DETAIL_SIZE,
    THUMBNAIL_SIZE,
    product_image_add,
    product_image_make_thumbnails,
    products_set_active,
)
from .orders import (
    order_mark_paid,
    order_next_statuses,
    order_number_new,
    order_place,
    order_send_confirmation,
    order_set_status,
    order_status_refusal,
    order_url,
)

__all__ = [
    "DETAIL_SIZE",
    "MAX_QUANTITY",
    "THUMBNAIL_SIZE",
    "QuickOrderResult",
    "ShopError",
    "TotalChanged",
    "address_create",
    "address_delete",
    "address_update",
    "cart_add",
    "cart_add_many",
    "cart_for_request",
    "cart_get",
    "cart_get_or_create",
    "cart_merge",
    "cart_merge_on_login",
    "cart_remove",
    "cart_update",
    "order_mark_paid",
    "order_next_statuses",
    "order_number_new",
    "order_place",
    "order_send_confirmation",
    "order_set_status",
    "order_status_refusal",
    "order_url",
    "parse_quantity",
    "product_image_add",
    "product_image_make_thumbnails",
    "products_set_active",
]
