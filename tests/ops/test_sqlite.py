"""SQLite as the embedded default: several gunicorn workers writing at once."""

import json

from .subprocess_settings import read_settings, run_python

# Two transactions that both read, then write. The first to begin writes last, after the
# second has written and committed: with deferred transactions the first one's read
# snapshot is stale by then and its write fails with "database is locked" at once, whatever
# the busy timeout. `unprotected` is the test's seam: the same settings without the
# transaction mode.
RACE = """
import json, sys, threading, time
import django
from django.conf import settings
if sys.argv[1] == "unprotected":
    settings.DATABASES["default"].get("OPTIONS", {}).pop("transaction_mode", None)
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (n integer)")
    cursor.execute("INSERT INTO counter VALUES (0)")
connection.close()
errors = []

def add_one(delay_before_write):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            time.sleep(delay_before_write)
            cursor.execute("UPDATE counter SET n = n + 1")
    except Exception as error:
        errors.append(str(error))
    finally:
        connection.close()

first = threading.Thread(target=add_one, args=(0.6,))
second = threading.Thread(target=add_one, args=(0,))
first.start()
time.sleep(0.2)
second.start()
first.join()
second.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM counter")
    (total,) = cursor.fetchone()
    cursor.execute("PRAGMA journal_mode")
    (journal,) = cursor.fetchone()
    cursor.execute("PRAGMA synchronous")
    (synchronous,) = cursor.fetchone()
    cursor.execute("PRAGMA busy_timeout")
    (busy_timeout,) = cursor.fetchone()
print(json.dumps({"errors": errors, "total": total, "journal": journal,
                  "synchronous": synchronous, "busy_timeout": busy_timeout}))
"""


def race(tmp_path, mode):
    url = f"sqlite:///{tmp_path / f'{mode}.sqlite3'}"
    done = run_python(RACE, "config.settings.test", {"DATABASE_URL": url}, mode)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_sqlite_entry_is_configured_for_a_web_server(tmp_path):
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    (database,) = read_settings("config.settings.test", {"DATABASE_URL": url}, "DATABASES").values()
    options = database["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]
    assert "synchronous=NORMAL" in options["init_command"]


def test_postgresql_is_left_alone():
    url = "postgres://postgres@127.0.0.1:5432/comptoir"
    (database,) = read_settings("config.settings.test", {"DATABASE_URL": url}, "DATABASES").values()
    assert "transaction_mode" not in database["default"].get("OPTIONS", {})


def test_two_writers_that_read_first_both_commit(tmp_path):
    unprotected = race(tmp_path, "unprotected")
    assert unprotected["total"] == 1
    assert any("database is locked" in error for error in unprotected["errors"])

    protected = race(tmp_path, "protected")
    assert protected["errors"] == []
    assert protected["total"] == 2
    assert protected["journal"] == "wal"
    assert protected["synchronous"] == 1  # NORMAL
    assert protected["busy_timeout"] >= 5000
