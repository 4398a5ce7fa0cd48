"""The models of the `shop` app, one module per domain package; Django finds them here."""

from shop.addresses.models import Address
from shop.cart.lists.models import SavedList, SavedListLine
from shop.cart.models import Cart, CartLine
from shop.catalog.models import Category, Product, ProductImage
from shop.orders.models import Order, OrderLine, OrderStatus
from shop.payments.models import CheckoutPolicy, PaymentMethod
from shop.seller.models import ShopDetails
from shop.shipping.models import ShippingMethod
from shop.tax.models import TaxClass, TaxRate

__all__ = [
    "Address",
    "Cart",
    "CartLine",
    "Category",
    "CheckoutPolicy",
    "Order",
    "OrderLine",
    "OrderStatus",
    "PaymentMethod",
    "Product",
    "ProductImage",
    "SavedList",
    "SavedListLine",
    "ShippingMethod",
    "ShopDetails",
    "TaxClass",
    "TaxRate",
]
