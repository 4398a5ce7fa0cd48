"""The database settings entry, tuned for SQLite when SQLite is chosen; PostgreSQL through
`core.postgresql`, Django's backend with a health check that costs no round trip."""

SQLITE_ENGINE = "django.db.backends.sqlite3"
POSTGRESQL_ENGINE = "django.db.backends.postgresql"
# Seconds a connection waits for another one's write lock before "database is locked".
SQLITE_BUSY_TIMEOUT = 20
SQLITE_INIT_COMMAND = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"


def for_web_server(database: dict) -> dict:
    """SQLite set up for several processes writing at once, PostgreSQL through
    `core.postgresql`; other engines unchanged.

    WAL lets readers go on while one connection writes. IMMEDIATE takes the write lock when
    a transaction begins, so a transaction that read first never has to upgrade its lock
    (an upgrade that meets another writer fails at once, whatever the busy timeout); the
    waiting happens in BEGIN, where the busy timeout applies. synchronous=NORMAL is durable
    under WAL except for the last transactions before a power loss, and much cheaper.
    """
    if database.get("ENGINE") == POSTGRESQL_ENGINE:
        return {**database, "ENGINE": "core.postgresql"}
    if database.get("ENGINE") != SQLITE_ENGINE:
        return database
    options = database.setdefault("OPTIONS", {})
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault("timeout", SQLITE_BUSY_TIMEOUT)
    options.setdefault("init_command", SQLITE_INIT_COMMAND)
    return database
