"""Data of `seed_demo`: an order of buyer@ (limit €500.00 per order) awaiting the approval of
Bistro Lumière's approver@ or wholesale@, priced as the buyer would see it."""

from customers.models import Company, User
from shop.models import OrderApproval, OrderApprovalLine, Product, ShippingMethod
from shop.orders.approvals import selectors as approval_selectors
from shop.orders.approvals import services as approval_services

DEMO_KEY = "demo-approval-bistro-lumiere-0001"
LINES = [("KIT-101", 12), ("KIT-201", 4)]
ADDRESS = {
    "full_name": "Bruno Buyer",
    "company": "Bistro Lumière",
    "line1": "8 place Bellecour",
    "line2": "",
    "postal_code": "69002",
    "city": "Lyon",
    "country": "FR",
    "phone": "",
}
NOTE = "Weekend brunch launch: twice our usual order of pans and knives."


def seed_approval_request() -> None:
    """Once: a second run finds the request by its key and changes nothing."""
    if OrderApproval.objects.filter(idempotency_key=DEMO_KEY).exists():
        return
    buyer = User.objects.filter(email="buyer@example.com").first()
    company = Company.objects.filter(name="Bistro Lumière").first()
    products = {product.sku: product for product in Product.objects.filter(sku__in=dict(LINES))}
    freight = ShippingMethod.objects.filter(name="Freight").first()
    if buyer is None or company is None or freight is None or len(products) != len(LINES):
        return
    member = buyer.company_membership
    approval = OrderApproval.objects.create(
        number=approval_services.approval_number_new(),
        idempotency_key=DEMO_KEY,
        company=company,
        buyer=buyer,
        billing_address=ADDRESS,
        shipping_address=ADDRESS,
        shipping_method=freight,
        payment_method="on_account",
        total=0,
        reason="over_limit",
        threshold=member.spending_limit,
        note=NOTE,
    )
    OrderApprovalLine.objects.bulk_create(
        OrderApprovalLine(
            approval=approval,
            product=products[sku],
            sku=sku,
            name=products[sku].name,
            quantity=quantity,
        )
        for sku, quantity in LINES
    )
    approval.total = approval_selectors.approval_pricing(approval).total or 0
    approval.save(update_fields=["total"])
