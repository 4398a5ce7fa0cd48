"""Django's PostgreSQL backend, whose health check of a kept connection costs no round trip.

With `CONN_HEALTH_CHECKS`, Django checks a connection kept from an earlier request before the
request's first query, by sending `SELECT 1`: one more round trip to the server for every
request. An idle connection receives nothing until it sends a query, unless the server ended
it (a restart, an administrator, an idle timeout, a pooler closing it): then its farewell or
its end is already waiting on the socket. So a kept connection is usable when the client
knows of no failure and nothing is waiting to be read."""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            waiting, _writable, _failed = select.select([connection.fileno()], [], [], 0)
        except ValueError:  # a descriptor beyond what select() takes: Django's own check
            return super().is_usable()
        except OSError:
            return False
        return not waiting
