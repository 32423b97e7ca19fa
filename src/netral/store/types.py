"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Integer
from sqlalchemy.types import TypeDecorator

# Integer primary keys that are 64-bit on PostgreSQL and SQLite's rowid alias on SQLite
# (a BIGINT primary key on SQLite would not auto-increment).
BigIntPK = BigInteger().with_variant(Integer(), "sqlite")

# Portable JSON column (JSON on PostgreSQL, JSON-as-text on SQLite).
PortableJSON = JSON()


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime stored as UTC.

    PostgreSQL keeps ``timestamptz``; SQLite keeps naive UTC text. Either way, values written
    are converted to UTC (naive values are taken to be UTC already) and values read back are
    always aware UTC datetimes, so code never mixes naive and aware times.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected datetime, got {type(value).__name__}")
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
