"""Refusals the shop's write paths raise; `message` is shown to the person who tried."""


class ShopError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


class TotalChanged(ShopError):  # noqa: N818 - a refusal, like ShopError
    """The order's total is not the one the buyer confirmed on the review page."""
