"""The models of the `shop` app, one module per domain package; Django finds them here."""

from shop.addresses.models import Address
from shop.cart.lists.models import SavedList, SavedListLine
from shop.cart.models import Cart, CartLine
from shop.cart.sharing.models import SharedCart, SharedCartLine
from shop.catalog.models import CatalogueVersion, Category, Product, ProductImage
from shop.invoices.models import CreditNote, DocumentCounter, Invoice
from shop.orders.approvals.models import OrderApproval, OrderApprovalLine
from shop.orders.models import Order, OrderEmail, OrderLine, OrderStatus, Refund, RefundLine
from shop.page_cache.models import StorefrontVersion
from shop.pages.models import Page, PageVersion
from shop.payments.models import CardPayment, CheckoutPolicy, PaymentMethod
from shop.quotes.models import Quote, QuoteEvent, QuoteLine
from shop.seller.models import ShopDetails
from shop.shipping.models import ShippingMethod
from shop.tax.models import TaxClass, TaxRate

__all__ = [
    "Address",
    "CardPayment",
    "Cart",
    "CartLine",
    "CatalogueVersion",
    "Category",
    "CheckoutPolicy",
    "CreditNote",
    "DocumentCounter",
    "Invoice",
    "Order",
    "OrderApproval",
    "OrderApprovalLine",
    "OrderEmail",
    "OrderLine",
    "OrderStatus",
    "Page",
    "PageVersion",
    "PaymentMethod",
    "Product",
    "ProductImage",
    "Quote",
    "QuoteEvent",
    "QuoteLine",
    "Refund",
    "RefundLine",
    "SharedCart",
    "SharedCartLine",
    "SavedList",
    "SavedListLine",
    "ShippingMethod",
    "ShopDetails",
    "StorefrontVersion",
    "TaxClass",
    "TaxRate",
]
