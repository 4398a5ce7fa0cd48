"""What the shop keeps in a visitor's session, in one place: the guest cart's token, the
checkout choices and the order just placed. Web code only: services never see a session."""

import secrets

from customers.web import session_user_to_load
from shop.cart import selectors as cart_selectors
from shop.cart import services as cart_services
from shop.cart.models import Cart
from shop.page_cache.pages import cart_read

CART_TOKEN = "cart_token"
CHECKOUT_CHOICES = "checkout"
PLACED_ORDER = "order_placed"
SHARED_CART = "shared_cart"


def reads_cart(view):
    """Mark a view whose page shows the visitor's cart: it is read with the request's
    versions, in the same query (`shop.page_cache.middleware`)."""
    view.reads_cart = True
    return view


def cart_key(request) -> tuple[str, object] | None:
    """How the visitor's cart is found (`StorefrontVersion.read`'s `cart_of`), read off the
    session without loading the account: by the customer's id, by a guest's token, or None
    for a guest without a cart."""
    user_id = session_user_to_load(request)
    if user_id is None and request.user.is_authenticated:
        user_id = request.user.pk
    if user_id is not None:
        return ("user_id", user_id)
    token = request.session.get(CART_TOKEN)
    return ("token", token) if token else None


class ShopSession:
    def __init__(self, request):
        self.request = request
        self.session = request.session
        self.customer = request.user if request.user.is_authenticated else None

    def cart(self, *, create: bool = False) -> Cart | None:
        """The customer's cart, or the guest's cart found through the token in the session:
        as read with the versions when the view asked for it (`reads_cart`) for this same
        visitor, else read now."""
        read = cart_read(self.request)
        read_for_me = read is not None and read.key == cart_key(self.request)
        if read_for_me and (read.cart is not None or not create):
            return read.cart
        if self.customer is not None:
            if create:
                return cart_services.cart_get_or_create(user=self.customer)
            return cart_selectors.cart_get(user=self.customer)
        token = self.session.get(CART_TOKEN)
        if not create:
            return cart_selectors.cart_get(token=token)
        if not token:
            token = self.session[CART_TOKEN] = secrets.token_urlsafe(32)
        return cart_services.cart_get_or_create(token=token)

    def merge_guest_cart(self, user) -> list[str]:
        """Right after login: the guest's cart (its token survives login) joins the customer's
        cart. Returns the notes to show about lines that could not move."""
        return cart_services.cart_merge_guest(token=self.session.pop(CART_TOKEN, None), user=user)

    @property
    def choices(self) -> dict:
        """What the buyer chose at checkout so far (email, addresses, shipping, payment)."""
        return dict(self.session.get(CHECKOUT_CHOICES) or {})

    def save_choices(self, choices: dict) -> None:
        """Choices the session already holds are not written again (a session write is three
        queries)."""
        if self.session.get(CHECKOUT_CHOICES) != choices:
            self.session[CHECKOUT_CHOICES] = choices

    @property
    def destination_country(self) -> str | None:
        """The destination chosen at checkout, if any: the cart shows that country's tax."""
        return (self.choices.get("shipping") or {}).get("country")

    def remember_placed(self, number: str) -> None:
        self.session[PLACED_ORDER] = number

    def just_placed(self, number: str, *, forget: bool = False) -> bool:
        """Whether `number` is the order this visitor has just placed (the confirmation shows
        once: `forget` clears it)."""
        placed = self.session.get(PLACED_ORDER) == number
        if placed and forget:
            self.session.pop(PLACED_ORDER)
        return placed

    def remember_shared_cart(self, shared_cart_id: int) -> None:
        """The shared cart whose lines this visitor added to their cart: the order they place
        next is recorded on it (`shop.cart.sharing.services.shared_cart_mark_ordered`)."""
        self.session[SHARED_CART] = shared_cart_id

    def shared_cart_id(self) -> int | None:
        """The shared cart remembered above, kept."""
        return self.session.get(SHARED_CART)

    def pop_shared_cart(self) -> int | None:
        """The shared cart remembered above, forgotten as it is read (at order placement)."""
        return self.session.pop(SHARED_CART, None)
