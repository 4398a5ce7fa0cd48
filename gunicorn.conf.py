"""Gunicorn's settings, read from the working directory (its default config file); options
given on the command line (``--workers``, ``--bind``) still win.

Each worker compiles the pricing rules as it boots, before it accepts a request: at 100,000
rules a full compile takes seconds, which the first request of each new worker would
otherwise wait. Later rule changes are applied incrementally on the next request."""


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
