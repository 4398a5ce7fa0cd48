"""Logging pieces the settings name in LOGGING."""

import logging


class OneLineWarning(logging.Filter):
    """Makes a record a warning without its traceback.

    For events caused by the client, such as a Host header the shop does not serve: scanners
    send them all day, a traceback tells nothing, and an error would alert the operator.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno = logging.WARNING
        record.levelname = logging.getLevelName(logging.WARNING)
        record.exc_info = None
        record.exc_text = None
        return True
