"""Gunicorn's settings, read from the working directory (its default config file); options
given on the command line (``--workers``, ``--bind``) still win.

Each worker compiles the pricing rules as it boots, before it accepts a request: at 100,000
rules a full compile takes seconds, which the first request of each new worker would
otherwise wait. Later rule changes are applied incrementally on the next request.

The garbage collector then leaves what the worker built at boot (Django, the compiled rules)
out of its collections, and runs once per few thousand allocations rather than every 700: a
request allocates tens of thousands of objects, nearly all freed by their reference counts."""

import gc

# Allocations between two collections of the youngest generation (Python's default: 700).
YOUNG_COLLECTION_EVERY = 7_000


def post_worker_init(worker) -> None:
    from django.db import connections

    from pricing import services

    try:
        services.pricing_data()
    except Exception:
        # The database may be down while the worker boots: the first request compiles instead.
        worker.log.exception("Pricing rules not compiled at boot")
    finally:
        # Requests open their own connection (threaded workers serve from other threads).
        connections.close_all()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, *gc.get_threshold()[1:])
