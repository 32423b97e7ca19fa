"""Name database failures that are the situation, not a bug: a lost connection, a lock
held by a concurrent writer. Web and CLI turn them into one clear line instead of a
traceback that prints SQL and its parameters (which may hold personal data)."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import exc as sa_exc

Failure = Literal["busy", "unavailable"]

# PostgreSQL SQLSTATEs: serialization failure, deadlock, lock not available.
_BUSY_PGCODES = {"40001", "40P01", "55P03"}
# Class 08 is "connection exception"; 57P01-03 are shutdowns of the server.
_GONE_PGCODES = {"57P01", "57P02", "57P03"}


def classify(error: BaseException) -> Failure | None:
    """``"busy"`` (retry later), ``"unavailable"`` (database unreachable) or ``None``."""
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated:
            return "unavailable"
        orig = error.orig
        operational = isinstance(error, sa_exc.OperationalError)
    elif _driver_error(error):
        # raised by the driver itself, not wrapped by SQLAlchemy: the PostgreSQL COPY paths
        # (netral.store.sql) work on psycopg's own cursor
        orig = error
        operational = any(c.__name__ == "OperationalError" for c in type(error).__mro__)
    else:
        return None
    code = str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")
    if code in _BUSY_PGCODES:
        return "busy"
    if code.startswith("08") or code in _GONE_PGCODES:
        return "unavailable"
    text = str(orig).lower()
    if "database is locked" in text or "database table is locked" in text:
        return "busy"
    if operational and any(
        s in text for s in ("connection refused", "could not connect", "server closed",
                            "connection failed", "terminating connection", "unable to open")
    ):
        return "unavailable"
    return None


def refused(error: BaseException) -> bool:
    """Whether the database refused the data itself (an integrity constraint: a foreign key
    whose row is gone, a NOT NULL, a CHECK), as SQLAlchemy's wrapped error or the driver's own
    (the COPY paths): retrying the same rows fails the same way."""
    if isinstance(error, sa_exc.IntegrityError):
        return True
    if not _driver_error(error):
        return False
    code = str(getattr(error, "sqlstate", None) or "")
    integrity = any(c.__name__ == "IntegrityError" for c in type(error).__mro__)
    return code.startswith("23") or integrity


def describe(error: BaseException) -> str:
    """One line without SQL or parameters: the driver's first message line."""
    orig = getattr(error, "orig", None) or error
    first = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    return first[:300]


def _driver_error(error: BaseException) -> bool:
    """A DB-API driver's own exception (psycopg's, sqlite3's), by the module it comes from:
    neither driver is imported here (psycopg is an extra)."""
    return type(error).__module__.split(".")[0] in ("psycopg", "sqlite3")
