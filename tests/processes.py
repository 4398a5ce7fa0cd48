"""A serving process as the invalidation tests see it: it compiled the pricing data earlier
and keeps it in memory; its next request checks the version once."""

from pricing import services


class ServingProcess:
    """A process that compiled the rules before the manager's change and keeps them."""

    def __init__(self):
        self.compiled = services.pricing_data()

    def next_request(self, read):
        """`read()` as this process answers its next request: from the rules it holds, after
        the one version check every request makes (as `PricingSnapshotMiddleware` opens it)."""
        services._process_data = self.compiled
        token = services.request_snapshot.set({})
        try:
            return read()
        finally:
            services.request_snapshot.reset(token)


def new_process(read):
    """`read()` in a process that starts now: what the database holds."""
    services._process_data = None
    return read()
