"""The one error type a write path raises to say no."""


class Refusal(Exception):  # noqa: N818 - a refusal is an answer, not a failure
    """A change the person asked for is not allowed; `message` is shown to them as it is."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
