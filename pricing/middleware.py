from . import services


class PricingSnapshotMiddleware:
    """Gives each request one consistent view of the pricing rules, read once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = services.request_snapshot.set({})
        try:
            return self.get_response(request)
        finally:
            services.request_snapshot.reset(token)
