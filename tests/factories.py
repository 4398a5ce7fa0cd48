"""factory-boy factories shared by every test package."""

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from customers.models import CustomerGroup, CustomerProfile, User
from shop.models import Category, Product, TaxRate

DEFAULT_PASSWORD = "correct-horse-battery"


def default_group() -> CustomerGroup:
    return CustomerGroup.objects.get(is_default=True)


class PricingInputFactory(DjangoModelFactory):
    """A row the compiled pricing data is built from (rules, categories, tax rates), written
    as every write path does: the pricing version is bumped once the row is complete."""

    class Meta:
        abstract = True

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:
            from pricing import services

            services.rules_changed()


class CustomerGroupFactory(DjangoModelFactory):
    class Meta:
        model = CustomerGroup
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    prices_include_tax = True


class WholesaleGroupFactory(CustomerGroupFactory):
    name = "Wholesale"
    slug = "wholesale"
    prices_include_tax = False
    portal_access = True
    requires_approval = True
    default_payment_terms_days = 30
    default_credit_limit = Decimal("5000.00")


class UserFactory(DjangoModelFactory):
    """A customer with a profile; pass `group=` to place them in a group."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def group(self, create, extracted, **kwargs):
        if create:
            CustomerProfile.objects.create(user=self, group=extracted or default_group())


class StaffUserFactory(UserFactory):
    is_staff = True


class CategoryFactory(PricingInputFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    parent = None
    is_active = True


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    category = factory.SubFactory(CategoryFactory)
    description = "A dependable product."
    base_price = Decimal("10.00")
    stock = 100
    track_stock = True
    is_active = True


class TaxRateFactory(PricingInputFactory):
    class Meta:
        model = TaxRate
        django_get_or_create = ("country", "tax_class")

    country = "FR"
    tax_class = "standard"
    rate = Decimal("0.2000")


class ProductImageFactory(DjangoModelFactory):
    """An image row pointing at file names (no file written): enough for listings and URLs.
    Use `shop.catalog.services.product_image_add` when a test needs real files and thumbnails."""

    class Meta:
        model = "shop.ProductImage"

    product = factory.SubFactory(ProductFactory)
    image = factory.Sequence(lambda n: f"products/image-{n}.png")
    thumbnail = factory.Sequence(lambda n: f"products/thumbs/image-{n}-400.jpg")
    detail = factory.Sequence(lambda n: f"products/detail/image-{n}-800.jpg")
    alt_text = factory.LazyAttribute(lambda o: o.product.name)
    position = 0


class PriceRuleFactory(PricingInputFactory):
    """Everyone, whole catalogue, 10% off from 1; set group/customer/product/category."""

    class Meta:
        model = "pricing.PriceRule"

    name = factory.Sequence(lambda n: f"Price rule {n}")
    kind = "percent_off"
    value = Decimal("10")
    min_quantity = 1
    priority = 0
    is_active = True


class QuantityRuleFactory(PricingInputFactory):
    """Everyone, whole catalogue, no limit; set min_quantity / max_quantity / step."""

    class Meta:
        model = "pricing.QuantityRule"

    name = factory.Sequence(lambda n: f"Quantity rule {n}")
    min_quantity = 1
    max_quantity = None
    step = 1
    is_active = True


class CartDiscountFactory(PricingInputFactory):
    """Everyone, 5% off any subtotal; pass `groups=[...]` to restrict it."""

    class Meta:
        model = "pricing.CartDiscount"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cart discount {n}")
    kind = "percent"
    value = Decimal("5")
    min_subtotal = Decimal("0")
    is_active = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            from pricing import services

            self.groups.set(extracted)
            services.rules_changed()  # M2M writes do not go through save()


class WholesaleApplicationFactory(DjangoModelFactory):
    """A pending wholesale application from a new retail customer."""

    class Meta:
        model = "customers.WholesaleApplication"

    user = factory.SubFactory(UserFactory)
    company_name = factory.Sequence(lambda n: f"Company {n} SARL")
    vat_id = factory.Sequence(lambda n: f"FR{n:011d}")
    country = "FR"
    phone = "+33 1 23 45 67 89"
    monthly_volume = "1k-5k"
    message = ""


# --- cart, checkout and orders ------------------------------------------------------------


class ShippingMethodFactory(DjangoModelFactory):
    """Everyone, everywhere, €5.00 net; pass `groups=[...]` to restrict it."""

    class Meta:
        model = "shop.ShippingMethod"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Shipping {n}")
    price = Decimal("5.00")
    free_above = None
    countries = ""
    is_active = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(extracted)


class CheckoutPolicyFactory(DjangoModelFactory):
    class Meta:
        model = "shop.CheckoutPolicy"
        django_get_or_create = ("group",)

    group = factory.LazyFunction(default_group)
    guest_checkout = True
    bank_transfer = True
    pay_on_account = False


class AddressFactory(DjangoModelFactory):
    class Meta:
        model = "shop.Address"

    user = factory.SubFactory(UserFactory)
    full_name = factory.Faker("name")
    company = ""
    line1 = factory.Sequence(lambda n: f"{n} rue de la Paix")
    postal_code = "75002"
    city = "Paris"
    country = "FR"


class OrderFactory(DjangoModelFactory):
    """A placed guest order by bank transfer, €10.00 net + 20% tax (no lines: add
    `OrderLineFactory(order=...)`). Pass `user=` for a customer's order."""

    class Meta:
        model = "shop.Order"

    number = factory.Sequence(lambda n: f"CPT-T{n:07d}")
    access_token = factory.Sequence(lambda n: f"secret-{n:032d}")
    idempotency_key = factory.Sequence(lambda n: f"key-{n:032d}")
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "guest@example.com")
    user = None
    group = factory.LazyFunction(default_group)
    group_name = factory.LazyAttribute(lambda o: o.group.name if o.group else "Retail")
    billing_address = factory.LazyFunction(
        lambda: {
            "full_name": "Alice Martin",
            "company": "",
            "line1": "3 rue des Lilas",
            "line2": "",
            "postal_code": "69002",
            "city": "Lyon",
            "country": "FR",
            "phone": "",
        }
    )
    shipping_address = factory.SelfAttribute("billing_address")
    country = "FR"
    shipping_method_name = "Standard"
    payment_method = "bank_transfer"
    prices_include_tax = True
    currency = "EUR"
    subtotal = Decimal("10.00")
    shipping_net = Decimal("0.00")
    shipping_tax_rate = Decimal("0.2000")
    shipping_tax = Decimal("0.00")
    net_total = Decimal("10.00")
    display_subtotal = Decimal("12.00")
    display_shipping = Decimal("0.00")
    tax_total = Decimal("2.00")
    total = Decimal("12.00")


class OrderLineFactory(DjangoModelFactory):
    """One unit-priced line of `product` (snapshotted from it)."""

    class Meta:
        model = "shop.OrderLine"

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory)
    sku = factory.LazyAttribute(lambda o: o.product.sku)
    name = factory.LazyAttribute(lambda o: o.product.name)
    quantity = 1
    base_unit_price = factory.LazyAttribute(lambda o: o.product.base_price)
    unit_price = factory.SelfAttribute("base_unit_price")
    line_total = factory.LazyAttribute(lambda o: o.unit_price * o.quantity)
    discount_share = Decimal("0.00")
    tax_class = "standard"
    tax_rate = Decimal("0.2000")
    tax = factory.LazyAttribute(lambda o: (o.line_total * o.tax_rate).quantize(Decimal("0.01")))
    display_unit_price = factory.LazyAttribute(
        lambda o: (o.unit_price * (1 + o.tax_rate)).quantize(Decimal("0.01"))
    )
    display_total = factory.LazyAttribute(lambda o: o.line_total + o.tax)


class CardPaymentFactory(DjangoModelFactory):
    """A card payment (dummy provider) of a card order, for the order's total, waiting."""

    class Meta:
        model = "shop.CardPayment"

    order = factory.SubFactory(OrderFactory, payment_method="card")
    variant = "card"
    status = "waiting"
    total = factory.SelfAttribute("order.total")
    currency = factory.SelfAttribute("order.currency")
    billing_email = factory.SelfAttribute("order.email")


class PageFactory(DjangoModelFactory):
    """A published content page, saved through `page_save` (versions kept, cache dropped)."""

    class Meta:
        model = "shop.Page"

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.LazyAttribute(lambda o: o.title.lower().replace(" ", "-"))
    kind = "other"
    body = "First paragraph.\n\nSecond paragraph."
    is_published = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from shop.pages.services import page_save

        return page_save(page=model_class(*args, **kwargs))


class TermsPageFactory(PageFactory):
    title = "Terms of sale"
    slug = "terms-of-sale"
    kind = "terms"
    body = "These terms apply to every order.\n\nPrices include VAT for consumers."


class WithdrawalPageFactory(PageFactory):
    title = "Withdrawal and returns"
    slug = "withdrawal"
    kind = "withdrawal"
    body = "You may withdraw within 14 days of delivery."


class SavedListFactory(DjangoModelFactory):
    """An empty saved list of a new customer; add `SavedListLineFactory(saved_list=...)`."""

    class Meta:
        model = "shop.SavedList"

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"List {n}")


class SavedListLineFactory(DjangoModelFactory):
    class Meta:
        model = "shop.SavedListLine"

    saved_list = factory.SubFactory(SavedListFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = 1
    note = ""


class CompanyFactory(DjangoModelFactory):
    """A company in the wholesale group with 30 days' terms and €5,000.00 of credit (no
    members: add `CompanyMemberFactory(company=...)`)."""

    class Meta:
        model = "customers.Company"

    name = factory.Sequence(lambda n: f"Company {n}")
    group = factory.SubFactory(WholesaleGroupFactory)
    payment_terms_days = 30
    credit_limit = Decimal("5000.00")


class CompanyMemberFactory(DjangoModelFactory):
    """A member (a buyer unless `role=`); the user is a customer in the company's group."""

    class Meta:
        model = "customers.CompanyMember"

    company = factory.SubFactory(CompanyFactory)
    user = factory.LazyAttribute(lambda o: UserFactory(group=o.company.group))
    role = "buyer"


class OrderApprovalFactory(DjangoModelFactory):
    """A request awaiting approval from a buyer of a company, €600.00 at submission, over his
    €500.00 limit (no lines: add `OrderApprovalLineFactory(approval=...)`)."""

    class Meta:
        model = "shop.OrderApproval"

    number = factory.Sequence(lambda n: f"PA-{n:08d}")
    idempotency_key = factory.Sequence(lambda n: f"approval-key-{n:012d}")
    company = factory.SubFactory(CompanyFactory)
    buyer = factory.LazyAttribute(
        lambda o: CompanyMemberFactory(company=o.company, spending_limit=Decimal("500.00")).user
    )
    billing_address = factory.LazyFunction(
        lambda: {
            "full_name": "Alice Martin",
            "line1": "3 rue des Lilas",
            "postal_code": "69002",
            "city": "Lyon",
            "country": "FR",
            "company": "",
            "line2": "",
            "phone": "",
        }
    )
    shipping_address = factory.SelfAttribute("billing_address")
    payment_method = "bank_transfer"
    total = Decimal("600.00")
    reason = "over_limit"
    threshold = Decimal("500.00")


class OrderApprovalLineFactory(DjangoModelFactory):
    class Meta:
        model = "shop.OrderApprovalLine"

    approval = factory.SubFactory(OrderApprovalFactory)
    product = factory.SubFactory(ProductFactory)
    sku = factory.SelfAttribute("product.sku")
    name = factory.SelfAttribute("product.name")
    quantity = 1
