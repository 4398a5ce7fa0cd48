from shop.session import cart_key

from .pages import versions_for


class StorefrontReadsMiddleware:
    """Reads first what nearly every request needs: the versions its page depends on, with
    the session's account and a guest's group, in one query (`pages.versions_for`); read
    later, the account would cost a query of its own. Needs the session, the user and the
    request's pricing snapshot (`pricing.middleware`), so it comes after them. A view marked
    `storefront_reads = False` (the health check, which must answer when the database does
    not) is left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "storefront_reads", True):
            return
        # A kept page's own row and saved lists (`pages.kept_page`) come in the same query.
        row, saved_lists = getattr(view_func, "reads_with_versions", (None, False))
        value = view_kwargs.get(row.match) if row is not None else None
        # So does the visitor's cart, for the cart and checkout pages (`reads_cart`).
        cart_of = cart_key(request) if getattr(view_func, "reads_cart", False) else None
        versions_for(request, row, value, saved_lists, cart_of)
